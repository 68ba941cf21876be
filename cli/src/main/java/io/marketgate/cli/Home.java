package io.marketgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are: the {@code marketgate.home} property set by the launcher, else the working directory. */
public final class Home {
    private Home() {}

    public static Path dir() {
        String home = System.getProperty("marketgate.home");
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }

    /** {@code environments/} under the home, where {@code <env>.yaml} files live. */
    public static Path environments() {
        Path p = dir().resolve("environments");
        return Files.isDirectory(p) ? p : Path.of("environments").toAbsolutePath();
    }

    /** {@code canary-config/} under the home, where the {@code <env>.yaml} files of the canary commands live. */
    public static Path canaryConfig() {
        Path p = dir().resolve("canary-config");
        return Files.isDirectory(p) ? p : Path.of("canary-config").toAbsolutePath();
    }
}
