package io.marketgate.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An environment file could not be loaded: it is missing, unreadable or breaks one or more rules. Carries
 * every problem found, not just the first; the message lists them one per line as {@code file: path: rule}.
 */
public final class ConfigException extends RuntimeException {
    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order the loader met them. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}
