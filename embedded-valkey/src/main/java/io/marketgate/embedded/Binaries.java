package io.marketgate.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the server and cli binaries: an environment variable first, then Valkey's names, then Redis's, on the PATH. */
final class Binaries {
    /** Points at the server binary to use, for example {@code /opt/valkey/bin/valkey-server}. */
    static final String SERVER_ENV = "MARKETGATE_REDIS_SERVER";
    /** Points at the cli binary to use (only needed for clusters), for example {@code /opt/valkey/bin/valkey-cli}. */
    static final String CLI_ENV = "MARKETGATE_REDIS_CLI";

    private static final String INSTALL_HINT = "Install one (Debian 12: apt-get install -t bookworm-backports"
            + " valkey-server, or apt-get install redis-server; newer Debian/Ubuntu: apt-get install valkey-server;"
            + " macOS: brew install valkey)";
    /** The start of {@code --version}'s line: {@code Valkey server v=8.0.1 sha=…}, {@code Redis server v=7.0.15 sha=…}. */
    private static final Pattern VERSION = Pattern.compile("^(\\S+) server v=(\\S+)");

    private Binaries() {}

    static Path server() {
        Path p = fromEnv(SERVER_ENV);
        if (p != null) {
            return p;
        }
        p = onPath(List.of("valkey-server", "redis-server"));
        if (p == null) {
            throw new EmbeddedValkeyException("neither valkey-server nor redis-server was found on the PATH ("
                    + System.getenv("PATH") + ") and " + SERVER_ENV + " is not set. " + INSTALL_HINT
                    + " or set " + SERVER_ENV + " to the server binary.");
        }
        return p;
    }

    /**
     * Every server binary at hand, the one {@link #server()} picks first, then valkey-server and redis-server on the
     * PATH, each engine and version once (a redis-server that is Valkey's compatibility link counts as Valkey).
     */
    static Map<String, Path> engines() {
        List<Path> candidates = new ArrayList<>();
        try {
            candidates.add(server());
        } catch (EmbeddedValkeyException e) {
            return Map.of();
        }
        for (String name : List.of("valkey-server", "redis-server")) {
            Path p = onPath(List.of(name));
            if (p != null) {
                candidates.add(p);
            }
        }
        Map<String, Path> engines = new LinkedHashMap<>();
        for (Path p : candidates) {
            engines.putIfAbsent(version(p), p);
        }
        return engines;
    }

    /** {@code valkey 8.0.1} or {@code redis 7.0.15}: the engine and version a server binary reports. */
    static String version(Path binary) {
        checked(binary);
        Process process;
        try {
            process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmbeddedValkeyException("could not run " + binary + " --version: " + e.getMessage(), e);
        }
        try {
            // one short line, well within the pipe's buffer: wait first, so that a binary that hangs cannot block the read
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedValkeyException(binary + " --version did not exit within 10 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            Matcher m = VERSION.matcher(out);
            if (!m.find()) {
                throw new EmbeddedValkeyException(binary + " --version printed \"" + out
                        + "\", not \"<Engine> server v=<version> ...\": is it a Valkey or Redis server?");
            }
            return m.group(1).toLowerCase(Locale.ROOT) + " " + m.group(2);
        } catch (IOException e) {
            throw new EmbeddedValkeyException("could not read " + binary + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedValkeyException("interrupted while running " + binary + " --version", e);
        }
    }

    /** The binary, when it is an executable file; else an error that names it. */
    static Path checked(Path binary) {
        if (!Files.isExecutable(binary) || Files.isDirectory(binary)) {
            throw new EmbeddedValkeyException(binary + " is not an executable file (a valkey-server or redis-server"
                    + " binary was expected)");
        }
        return binary;
    }

    static Path cli(Path server) {
        Path p = fromEnv(CLI_ENV);
        if (p != null) {
            return p;
        }
        String name = server.getFileName().toString().startsWith("valkey") ? "valkey-cli" : "redis-cli";
        Path sibling = server.resolveSibling(name);
        if (Files.isExecutable(sibling)) {
            return sibling;
        }
        p = onPath(List.of(name, "valkey-cli", "redis-cli"));
        if (p == null) {
            throw new EmbeddedValkeyException("forming a cluster needs valkey-cli or redis-cli, found neither next to "
                    + server + " nor on the PATH, and " + CLI_ENV + " is not set. " + INSTALL_HINT
                    + " (the redis-server package brings redis-cli via redis-tools) or set " + CLI_ENV + ".");
        }
        return p;
    }

    private static Path fromEnv(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return null;
        }
        Path p = Path.of(value);
        if (!Files.isExecutable(p)) {
            throw new EmbeddedValkeyException(variable + " is " + value + ", which is not an executable file");
        }
        return p;
    }

    private static Path onPath(List<String> names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
