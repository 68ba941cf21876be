package io.marketgate.embedded;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the server and cli binaries: an environment variable first, then Valkey's names, then Redis's, on the PATH. */
final class Binaries {
    /** Points at the server binary to use, for example {@code /opt/valkey/bin/valkey-server}. */
    static final String SERVER_ENV = "MARKETGATE_REDIS_SERVER";
    /** Points at the cli binary to use (only needed for clusters), for example {@code /opt/valkey/bin/valkey-cli}. */
    static final String CLI_ENV = "MARKETGATE_REDIS_CLI";

    private static final String INSTALL_HINT =
            "Install one (Debian/Ubuntu: apt-get install redis-server, or valkey-server where packaged; macOS: brew install valkey)";

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
