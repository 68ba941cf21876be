package io.marketgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.ConfigException;
import io.marketgate.limiter.Budget;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reading the YAML files of a directory of named files ({@code environments/<env>.yaml},
 * {@code canary-config/<env>.yaml}): a missing file is reported with the names that do exist there, so that a
 * typo in a name is obvious.
 */
public final class ConfigFiles {

    /** The extension of every configuration file. */
    public static final String EXTENSION = ".yaml";

    private ConfigFiles() {}

    /** The base names of the {@code *.yaml} files in {@code dir}, sorted; empty when the directory does not exist. */
    public static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(EXTENSION))
                    .map(name -> name.substring(0, name.length() - EXTENSION.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * The file's text, or empty after adding why it cannot be read to {@code problems}.
     *
     * @param what what the directory's files are, in the plural, for the missing-file message ({@code environments})
     */
    public static Optional<String> read(Path file, String what, Problems problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("", missing(file, what));
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file));
        } catch (CharacterCodingException e) {
            problems.add("", "is not UTF-8 text");
        } catch (IOException e) {
            problems.add("", "cannot be read: " + e);
        }
        return Optional.empty();
    }

    /** Reads the tree of one parsed file into a model, adding every problem to {@code problems}; empty when there was any. */
    @FunctionalInterface
    public interface Reader<T> {
        Optional<T> read(JsonNode root, String expectedName, Problems problems);
    }

    /**
     * Reads, parses and validates one file whose base name is its environment's name; throws a {@link ConfigException}
     * listing every problem.
     *
     * @param what what the directory's files are, in the plural, for the missing-file message
     * @param topKeys the keys of the file's top mapping
     */
    public static <T> T load(Path file, String what, List<String> topKeys, Reader<T> reader) {
        Problems problems = new Problems(file);
        Optional<String> content = read(file, what, problems);
        Optional<JsonNode> root = content.flatMap(text -> YamlTree.parse(text, topKeys, problems));
        Optional<T> config = root.flatMap(tree -> reader.read(tree, baseName(file), problems));
        problems.throwIfAny();
        return config.orElseThrow();
    }

    /**
     * {@code <dir>/<environment>.yaml}, after checking that {@code environment} is a name (so that it cannot reach
     * outside {@code dir}); throws a {@link ConfigException} naming the files that exist otherwise.
     */
    public static Path fileOf(Path dir, String environment, String what) {
        if (environment == null || !Budget.NAME_PART.matcher(environment).matches()) {
            Problems problems = new Problems(dir);
            problems.add("", "environment name '" + environment + "' must be lower-case letters, digits, '-', '_' or '.'; "
                    + what + " here: " + Messages.list(names(dir)));
            problems.throwIfAny();
        }
        return dir.resolve(environment + EXTENSION);
    }

    /** {@code dev.yaml} → {@code dev}. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String missing(Path file, String what) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.exists(file)) {
            return "is not a regular file";
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "no such file, and its directory " + (dir == null ? "" : dir + " ") + "does not exist";
        }
        return "no such file; " + what + " in " + (file.getParent() == null ? dir : file.getParent()) + ": "
                + Messages.list(names(dir));
    }
}
