package io.marketgate.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.marketgate.cli.Home;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.UsageException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every operator command shares: which environment, whether to talk to the local runtime, and JSON
 * output. A picocli mixin.
 *
 * <pre>{@code
 * @Mixin OperatorOptions options;
 * EnvironmentConfig env = options.environment();
 * }</pre>
 */
public final class OperatorOptions {

    static final String DEFAULT_ENVIRONMENT = "dev";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = {"-e", "--env"}, paramLabel = "ENV",
            description = "Environment: environments/<env>.yaml (default: the local platform's with --local, else dev).")
    String env;

    @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
    Path environments;

    @Option(names = "--local", description = "Talk to the running local platform ('./marketgate local up'; endpoints in .marketgate/local.json).")
    boolean local;

    @Option(names = "--json", description = "Print JSON for scripts instead of text.")
    boolean json;

    private LocalEndpoints endpoints;
    private EnvironmentConfig environment;

    /** The running local platform's endpoints, read once; empty without {@code --local}. */
    Optional<LocalEndpoints> localEndpoints() {
        if (!local) {
            return Optional.empty();
        }
        if (endpoints == null) {
            endpoints = LocalEndpoints.read(LocalEndpoints.defaultFile());
        }
        return Optional.of(endpoints);
    }

    /**
     * The environment file, loaded and validated. With {@code --local} it is the one the local platform runs; an
     * explicit {@code --env} that names another is refused, since the platform's resources carry its name.
     */
    EnvironmentConfig environment() {
        if (environment == null) {
            String name = env;
            Optional<LocalEndpoints> here = localEndpoints();
            if (here.isPresent()) {
                String running = here.get().environment();
                if (name != null && !name.equals(running)) {
                    throw new UsageException("--env is '" + name + "' but the local platform runs environment '"
                            + running + "'; drop --env or --local");
                }
                name = running;
            }
            Path dir = environments != null ? environments : Home.environments();
            if (name != null && !EnvironmentLoader.environments(dir).contains(name)) {
                throw new UsageException("--env is '" + name + "', but " + dir.resolve(name + ".yaml")
                        + " does not exist; environments: " + String.join(", ", EnvironmentLoader.environments(dir)));
            }
            environment = EnvironmentLoader.load(dir, name != null ? name : DEFAULT_ENVIRONMENT);
        }
        return environment;
    }

    boolean json() {
        return json;
    }

    /** Writes {@code tree} (maps, lists, strings, numbers) as indented JSON. */
    static void printJson(PrintWriter out, Object tree) {
        try {
            out.println(JSON.writeValueAsString(tree));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }
}
