package io.marketgate.config.internal;

import io.marketgate.config.ConfigException;
import io.marketgate.config.ConfigProblem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one file, so that a reader keeps going after the first and reports them all. */
public final class Problems {
    private final Path file;
    private final List<ConfigProblem> found = new ArrayList<>();

    public Problems(Path file) {
        this.file = file;
    }

    /** The file the problems are in. */
    public Path file() {
        return file;
    }

    public void add(String path, String rule) {
        found.add(new ConfigProblem(file, path, rule));
    }

    public boolean isEmpty() {
        return found.isEmpty();
    }

    public int count() {
        return found.size();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new ConfigException(found);
        }
    }
}
