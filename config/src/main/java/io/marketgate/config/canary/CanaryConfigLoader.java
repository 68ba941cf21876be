package io.marketgate.config.canary;

import io.marketgate.config.ConfigException;
import io.marketgate.config.internal.CanaryReader;
import io.marketgate.config.internal.ConfigFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and validates {@code canary-config/<env>.yaml}. Every problem in the file is reported at once, each with
 * the file, the path inside it and the rule it breaks, in one {@link ConfigException}:
 *
 * <pre>
 * canary-config/dev.yaml: routes."GET /v1/orders".handler: unknown route for handler api: it does not serve GET /v1/orders (…)
 * canary-config/dev.yaml: routes."GET /v1/jobs/{id}".percent: must be &lt; 100 (a canary at 100% serves everything: use state migrated), was 100
 * </pre>
 *
 * <pre>{@code
 * CanaryConfig dev = CanaryConfigLoader.load(Path.of("canary-config"), "dev");
 * }</pre>
 *
 * <p>The format (every key is checked; others are errors):
 *
 * <pre>{@code
 * environment: dev              # required; equals the file's base name
 * stage: live                   # optional, default live: the REST API's stage that holds the canary
 * legacy:
 *   baseUrl: https://legacy.dev.example.com   # required: http(s) URL of the legacy backend API Gateway proxies to
 * routes:                       # required, at least one; keys "METHOD /path" (ApiRoute.parse), each route once
 *   "POST /v1/collections": {state: migrated, handler: api}
 *   "GET /v1/collections/{id}": {state: canary, percent: 10, handler: api}
 *   "GET /v1/orders": {state: legacy}
 * }</pre>
 *
 * <ul>
 *   <li>{@code state}: {@code legacy} (the legacy backend serves it), {@code canary} (the handler serves
 *       {@code percent} of the requests through the stage's canary, the legacy backend the rest) or
 *       {@code migrated} (the handler serves it all).
 *   <li>{@code handler}: required for canary and migrated, optional for legacy (the handler it will move to); one of
 *       {@link io.marketgate.config.ApiCatalog#handlers()} that serves the route.
 *   <li>{@code percent}: canary only, a number {@code > 0} and {@code < 100}: a canary at 0% would serve nothing
 *       (that is {@code legacy}) and one at 100% everything (that is {@code migrated}). Every canary route has the
 *       same percent, because API Gateway has one canary per stage.
 * </ul>
 */
public final class CanaryConfigLoader {

    /** The directory of the canary configurations, relative to the repository's root. */
    public static final String DIRECTORY = "canary-config";

    /** The files' kind in messages. */
    private static final String WHAT = "canary configurations";

    private CanaryConfigLoader() {}

    /** Loads {@code <dir>/<environment>.yaml}; a missing file is reported with the configurations that do exist. */
    public static CanaryConfig load(Path dir, String environment) {
        return load(ConfigFiles.fileOf(dir, environment, WHAT));
    }

    /** Loads one canary configuration; its base name is the environment's name. */
    public static CanaryConfig load(Path file) {
        return ConfigFiles.load(file, WHAT, CanaryReader.TOP_KEYS, CanaryReader::read);
    }

    /** The environments that have a canary configuration in {@code dir}, sorted; empty when the directory does not exist. */
    public static List<String> environments(Path dir) {
        return ConfigFiles.names(dir);
    }
}
