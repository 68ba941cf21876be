package io.marketgate.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One problem found in an environment file: the file, the path inside it (for example
 * {@code markets.coupang.budgets.vendor.limit}, or {@code line 3, column 7} for a YAML syntax error) and the rule
 * that the value breaks (for example {@code must be > 0, was 0}).
 *
 * <p>{@link #toString()} gives the one-line form {@code file: path: rule} (or {@code file: rule} when the problem
 * concerns the whole file) that {@link ConfigException} lists.
 */
public record ConfigProblem(Path file, String path, String rule) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
    }

    @Override
    public String toString() {
        return path.isEmpty() ? file + ": " + rule : file + ": " + path + ": " + rule;
    }
}
