package io.marketgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.internal.EnvironmentReader;
import io.marketgate.config.internal.Messages;
import io.marketgate.config.internal.Problems;
import io.marketgate.config.internal.YamlTree;
import io.marketgate.limiter.Budget;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads and validates {@code environments/<env>.yaml}. Every problem in the file is reported at once, each with
 * the file, the path inside it and the rule it breaks, in one {@link ConfigException}:
 *
 * <pre>
 * environments/dev.yaml: markets.coupang.budgets.vendor.limit: must be &gt; 0, was 0
 * environments/dev.yaml: markets.coupang.calls.ship-order.budgets[0]: unknown budget 'vendr' of market coupang; its budgets: vendor
 * </pre>
 *
 * <pre>{@code
 * EnvironmentConfig dev = EnvironmentLoader.load(Path.of("environments"), "dev");
 * }</pre>
 *
 * <p>The file format is described in the package documentation ({@code io.marketgate.config}).
 */
public final class EnvironmentLoader {

    /** The extension of environment files. */
    public static final String EXTENSION = ".yaml";

    private EnvironmentLoader() {}

    /** Loads {@code <environmentsDir>/<environment>.yaml}; a missing file is reported with the environments that do exist. */
    public static EnvironmentConfig load(Path environmentsDir, String environment) {
        if (environment == null || !Budget.NAME_PART.matcher(environment).matches()) {
            Problems problems = new Problems(environmentsDir);
            problems.add("", "environment name '" + environment + "' must be lower-case letters, digits, '-', '_' or '.'; "
                    + "environments here: " + Messages.list(environments(environmentsDir)));
            problems.throwIfAny();
        }
        return load(environmentsDir.resolve(environment + EXTENSION));
    }

    /** Loads one environment file; its base name is the environment's name. */
    public static EnvironmentConfig load(Path file) {
        Problems problems = new Problems(file);
        Optional<String> content = read(file, problems);
        Optional<JsonNode> root = content.flatMap(text -> YamlTree.parse(text, problems));
        Optional<EnvironmentConfig> config = root.flatMap(tree -> EnvironmentReader.read(tree, baseName(file), problems));
        problems.throwIfAny();
        return config.orElseThrow();
    }

    /** The names of the environments in {@code environmentsDir} (the base names of its {@code *.yaml} files), sorted; empty when the directory does not exist. */
    public static List<String> environments(Path environmentsDir) {
        if (!Files.isDirectory(environmentsDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(environmentsDir)) {
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

    private static Optional<String> read(Path file, Problems problems) {
        if (!Files.isRegularFile(file)) {
            problems.add("", missing(file));
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

    private static String missing(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.exists(file)) {
            return "is not a regular file";
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "no such file, and its directory " + (dir == null ? "" : dir + " ") + "does not exist";
        }
        return "no such file; environments in " + (file.getParent() == null ? dir : file.getParent()) + ": "
                + Messages.list(environments(dir));
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
