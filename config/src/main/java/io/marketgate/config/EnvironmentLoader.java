package io.marketgate.config;

import io.marketgate.config.internal.ConfigFiles;
import io.marketgate.config.internal.EnvironmentReader;
import java.nio.file.Path;
import java.util.List;

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
    public static final String EXTENSION = ConfigFiles.EXTENSION;

    private EnvironmentLoader() {}

    /** Loads {@code <environmentsDir>/<environment>.yaml}; a missing file is reported with the environments that do exist. */
    public static EnvironmentConfig load(Path environmentsDir, String environment) {
        return load(ConfigFiles.fileOf(environmentsDir, environment, "environments"));
    }

    /** Loads one environment file; its base name is the environment's name. */
    public static EnvironmentConfig load(Path file) {
        return ConfigFiles.load(file, "environments", EnvironmentReader.TOP_KEYS, EnvironmentReader::read);
    }

    /** The names of the environments in {@code environmentsDir} (the base names of its {@code *.yaml} files), sorted; empty when the directory does not exist. */
    public static List<String> environments(Path environmentsDir) {
        return ConfigFiles.names(environmentsDir);
    }
}
