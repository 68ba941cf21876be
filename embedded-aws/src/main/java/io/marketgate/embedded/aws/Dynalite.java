package io.marketgate.embedded.aws;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds what {@link EmbeddedDynamoDb} runs: a Node.js 22 or newer and a dynalite package, and installs the pinned
 * dynalite with {@code npm ci} (from the package.json and package-lock.json beside this class) when there is none.
 *
 * <p>Node.js: {@code $MARKETGATE_NODE}, else the PATH's {@code node} when it is 22 or newer, else the one that
 * {@code scripts/find-node.sh} keeps in the repository's {@code .marketgate/node/}.
 *
 * <p>dynalite: {@code $MARKETGATE_DYNALITE} (its package directory or its {@code cli.js}), else the pinned version in
 * the repository's {@code .marketgate/dynalite/<version>-<lock hash>/} (outside a repository:
 * {@code ~/.cache/marketgate/dynalite/…}), else a {@code dynalite} on the PATH (a global npm install), else the pinned
 * version installed there now with the PATH's {@code npm}. The install runs in a temporary directory beside its
 * target and is renamed into place, under a file lock, so that test JVMs that start at once (surefire forks, several
 * modules) install it once and never see half an install.
 */
final class Dynalite {
    /** Names dynalite's package directory (or its cli.js) to use instead of the pinned install. */
    static final String DYNALITE_ENV = "MARKETGATE_DYNALITE";
    /** Names the node binary to run dynalite with (22 or newer). */
    static final String NODE_ENV = "MARKETGATE_NODE";
    static final int MIN_NODE_MAJOR = 22;

    private static final String RESOURCES = "/io/marketgate/embedded/aws/dynalite/";
    private static final Pattern NODE_VERSION = Pattern.compile("^v(\\d+)\\.\\d+\\.\\d+");
    private static final Pattern PINNED = Pattern.compile("\"dynalite\"\\s*:\\s*\"([^\"]+)\"");
    private static final long NPM_TIMEOUT_MILLIS = 300_000;

    /** What to run: node, its version, and dynalite's package directory (the one with index.js). */
    record Installation(Path node, String nodeVersion, Path dynalite) {}

    /** Where to look: the process environment and the directories a repository is searched upwards from. */
    record Surroundings(Map<String, String> env, List<Path> startDirs) {
        static Surroundings ofThisProcess() {
            List<Path> dirs = new ArrayList<>();
            String home = System.getProperty("marketgate.home");
            if (home != null && !home.isBlank()) {
                dirs.add(Path.of(home));
            }
            dirs.add(Path.of(System.getProperty("user.dir")));
            return new Surroundings(System.getenv(), dirs);
        }

        String get(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value;
        }
    }

    private static Installation cached;

    private Dynalite() {}

    /** The node and dynalite of this process's surroundings, found (and installed) once per JVM. */
    static synchronized Installation locate() {
        if (cached == null) {
            cached = locate(Surroundings.ofThisProcess());
        }
        return cached;
    }

    static Installation locate(Surroundings where) {
        Optional<Path> repository = repository(where.startDirs());
        NodeBinary node = node(where, repository);
        return new Installation(node.path(), node.version(), dynalite(where, repository, node.path()));
    }

    /** The pinned dynalite version, as the package.json beside this class names it. */
    static String pinnedVersion() {
        Matcher m = PINNED.matcher(new String(resource("package.json"), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IllegalStateException(RESOURCES + "package.json names no dynalite dependency");
        }
        return m.group(1);
    }

    /** The directory the pinned version is installed in: {@code <version>-<first 12 hex digits of the lock's SHA-256>}. */
    static Path pinnedInstall(Path base) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(resource("package-lock.json"));
            return base.resolve(pinnedVersion() + "-" + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The script that starts dynalite on a kernel-chosen port (see its comment). */
    static String launchScript() {
        return new String(resource("launch.js"), StandardCharsets.UTF_8);
    }

    // ---- Node.js

    private record NodeBinary(Path path, String version) {}

    private static NodeBinary node(Surroundings where, Optional<Path> repository) {
        String fromEnv = where.get(NODE_ENV);
        if (fromEnv != null) {
            Path p = Path.of(fromEnv);
            if (!isExecutableFile(p)) {
                throw new EmbeddedDynamoDbException(NODE_ENV + " is " + fromEnv + ", which is not an executable file");
            }
            String version = nodeVersion(p);
            if (major(version) < MIN_NODE_MAJOR) {
                throw new EmbeddedDynamoDbException(NODE_ENV + " is " + fromEnv + ", a Node.js " + version
                        + "; dynalite is run on Node.js " + MIN_NODE_MAJOR + " or newer");
            }
            return new NodeBinary(p, version);
        }
        String onPath = "no node";
        Path pathNode = onPath(where, "node");
        if (pathNode != null) {
            String version = nodeVersion(pathNode);
            if (major(version) >= MIN_NODE_MAJOR) {
                return new NodeBinary(pathNode, version);
            }
            onPath = "node " + version + " (" + pathNode + ")";
        }
        if (repository.isPresent()) {
            for (Path candidate : repositoryNodes(repository.get())) {
                String version = nodeVersion(candidate);
                if (major(version) >= MIN_NODE_MAJOR) {
                    return new NodeBinary(candidate, version);
                }
            }
        }
        throw new EmbeddedDynamoDbException("the embedded DynamoDB (dynalite) runs on Node.js " + MIN_NODE_MAJOR
                + " or newer; the PATH has " + onPath
                + (repository.map(r -> " and " + r.resolve(".marketgate/node") + " has none").orElse(""))
                + ". From the repository, run: source scripts/find-node.sh && mg_find_node \"$PWD\" (it fetches"
                + " Node.js into .marketgate/node with npm, where this looks), or install Node.js " + MIN_NODE_MAJOR
                + "+ (https://nodejs.org; macOS: brew install node), or set " + NODE_ENV + " to a node binary.");
    }

    /** find-node.sh's installs, {@code .marketgate/node/<version>/node_modules/node-linux-<arch>/bin/node}, newest first. */
    private static List<Path> repositoryNodes(Path repository) {
        Path base = repository.resolve(".marketgate/node");
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(base)) {
            List<Path> nodes = new ArrayList<>();
            for (Path version : versions.sorted(Comparator.comparing(Dynalite::versionKey).reversed()).toList()) {
                Path modules = version.resolve("node_modules");
                if (!Files.isDirectory(modules)) {
                    continue;
                }
                try (Stream<Path> packages = Files.list(modules)) {
                    packages.filter(p -> p.getFileName().toString().startsWith("node-"))
                            .map(p -> p.resolve("bin/node")).filter(Dynalite::isExecutableFile).forEach(nodes::add);
                }
            }
            return nodes;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code 24.22.3} as {@code 00024.00022.00003}, so that a string order is the version order. */
    private static String versionKey(Path dir) {
        StringBuilder key = new StringBuilder();
        for (String part : dir.getFileName().toString().split("\\.")) {
            key.append(part.matches("\\d{1,5}") ? "%05d".formatted(Integer.parseInt(part)) : part).append('.');
        }
        return key.toString();
    }

    /** {@code v24.22.3}: what {@code node --version} prints. */
    static String nodeVersion(Path node) {
        Process process;
        try {
            process = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmbeddedDynamoDbException("could not run " + node + " --version: " + e.getMessage(), e);
        }
        try {
            // one short line, well within the pipe's buffer: wait first, so that a binary that hangs cannot block the read
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedDynamoDbException(node + " --version did not exit within 10 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!NODE_VERSION.matcher(out).find()) {
                throw new EmbeddedDynamoDbException(node + " --version printed \"" + out
                        + "\", not \"v<major>.<minor>.<patch>\": is it Node.js?");
            }
            return out;
        } catch (IOException e) {
            throw new EmbeddedDynamoDbException("could not read " + node + " --version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedDynamoDbException("interrupted while running " + node + " --version", e);
        }
    }

    private static int major(String version) {
        Matcher m = NODE_VERSION.matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    // ---- dynalite

    private static Path dynalite(Surroundings where, Optional<Path> repository, Path node) {
        String fromEnv = where.get(DYNALITE_ENV);
        if (fromEnv != null) {
            Path p = Path.of(fromEnv).toAbsolutePath();
            Path dir = Files.isRegularFile(p) ? p.getParent() : p;
            if (!isDynalitePackage(dir)) {
                throw new EmbeddedDynamoDbException(DYNALITE_ENV + " is " + fromEnv + ", which is neither dynalite's"
                        + " package directory (with package.json and index.js) nor its cli.js");
            }
            return dir;
        }
        Path base = installBase(where, repository);
        Path pinned = pinnedInstall(base).resolve("node_modules/dynalite");
        if (isDynalitePackage(pinned)) {
            return pinned;
        }
        Path onPath = onPath(where, "dynalite");
        if (onPath != null) {
            try {
                Path dir = onPath.toRealPath().getParent(); // npm links bin/dynalite to the package's cli.js
                if (isDynalitePackage(dir)) {
                    return dir;
                }
            } catch (IOException e) {
                // a dangling link: install the pinned version instead
            }
        }
        Path npm = onPath(where, "npm");
        if (npm == null) {
            throw new EmbeddedDynamoDbException("dynalite (the embedded DynamoDB) is not installed: " + DYNALITE_ENV
                    + " is not set, " + pinnedInstall(base) + " does not exist, the PATH has no dynalite, and no npm to"
                    + " install dynalite " + pinnedVersion() + " with. Install npm (Debian/Ubuntu: apt-get install npm;"
                    + " it comes with Node.js from https://nodejs.org), or run npm install -g dynalite@"
                    + pinnedVersion() + ", or set " + DYNALITE_ENV + " to a dynalite package directory.");
        }
        return install(base, npm, node).resolve("node_modules/dynalite");
    }

    /**
     * Installs the pinned dynalite under {@code base} unless it is there, and returns its install directory. Holds
     * {@code base/.install.lock} meanwhile; npm writes into {@code base/.install-*}, renamed into place when complete.
     */
    static synchronized Path install(Path base, Path npm, Path node) {
        Path target = pinnedInstall(base);
        try {
            Files.createDirectories(base);
            try (FileChannel channel = FileChannel.open(base.resolve(".install.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (isDynalitePackage(target.resolve("node_modules/dynalite"))) {
                    return target; // another JVM installed it while this one waited for the lock
                }
                deleteLeftovers(base);
                Path work = Files.createTempDirectory(base, ".install-");
                try {
                    Files.write(work.resolve("package.json"), resource("package.json"));
                    Files.write(work.resolve("package-lock.json"), resource("package-lock.json"));
                    runNpmCi(npm, node, work);
                    if (!isDynalitePackage(work.resolve("node_modules/dynalite"))) {
                        throw new EmbeddedDynamoDbException("npm ci in " + work + " finished without installing dynalite");
                    }
                    moveIntoPlace(work, target);
                } finally {
                    deleteTree(work);
                }
                return target;
            }
        } catch (IOException e) {
            throw new EmbeddedDynamoDbException("could not install dynalite into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void runNpmCi(Path npm, Path node, Path work) throws IOException {
        // --ignore-scripts: no package's install script runs; the one native part (LevelDB, unused in memory) ships
        // prebuilt binaries
        ProcessBuilder pb = new ProcessBuilder(npm.toString(), "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                "--loglevel=error").directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("npm.log").toFile());
        // npm itself runs on the PATH's first node: make that the one dynalite will run on
        pb.environment().put("PATH", node.getParent() + File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
        pb.environment().put("npm_config_update_notifier", "false");
        Process process = pb.start();
        try {
            if (!process.waitFor(NPM_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedDynamoDbException(npm + " ci (installing dynalite " + pinnedVersion() + ") did not"
                        + " finish within " + NPM_TIMEOUT_MILLIS / 1000 + " s; its output:\n" + tail(work.resolve("npm.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedDynamoDbException("interrupted while installing dynalite", e);
        }
        if (process.exitValue() != 0) {
            throw new EmbeddedDynamoDbException(npm + " ci (installing dynalite " + pinnedVersion() + " from the npm"
                    + " registry) failed with exit code " + process.exitValue() + "; its output:\n"
                    + tail(work.resolve("npm.log")));
        }
    }

    private static void moveIntoPlace(Path work, Path target) throws IOException {
        Files.deleteIfExists(work.resolve("npm.log"));
        deleteTree(target); // an incomplete one (someone deleted part of it): under the lock, nobody is reading it
        try {
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(work, target);
        }
    }

    /** Temporary directories of installs that died (under the lock, nobody else is writing them). */
    private static void deleteLeftovers(Path base) throws IOException {
        try (Stream<Path> entries = Files.list(base)) {
            entries.filter(p -> p.getFileName().toString().startsWith(".install-")).forEach(Dynalite::deleteTree);
        }
    }

    private static Path installBase(Surroundings where, Optional<Path> repository) {
        if (repository.isPresent()) {
            return repository.get().resolve(".marketgate/dynalite");
        }
        String cache = where.get("XDG_CACHE_HOME");
        Path cacheDir = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache");
        return cacheDir.resolve("marketgate/dynalite");
    }

    /** The first of {@code startDirs}' ancestors (or themselves) that is this project's repository. */
    static Optional<Path> repository(List<Path> startDirs) {
        for (Path start : startDirs) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("embedded-aws/pom.xml"))) {
                    return Optional.of(dir);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isDynalitePackage(Path dir) {
        return Files.isRegularFile(dir.resolve("package.json")) && Files.isRegularFile(dir.resolve("index.js"));
    }

    private static boolean isExecutableFile(Path p) {
        return Files.isExecutable(p) && !Files.isDirectory(p);
    }

    private static Path onPath(Surroundings where, String name) {
        String path = where.get("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (isExecutableFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static byte[] resource(String name) {
        try (InputStream in = Dynalite.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCES + name + " is missing from embedded-aws's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + RESOURCES + name, e);
        }
    }

    static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
        } catch (IOException e) {
            return "(none: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a left-over temporary directory is harmless; the next install deletes it
        }
    }
}
