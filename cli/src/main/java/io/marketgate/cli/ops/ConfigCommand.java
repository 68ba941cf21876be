package io.marketgate.cli.ops;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.Home;
import io.marketgate.cli.UsageException;
import io.marketgate.config.ConfigException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marketgate config check}: loads and validates environment files and prints every problem as
 * {@code file: path: rule}, before anything is deployed.
 *
 * <pre>
 * ./marketgate config check --env prod
 * ./marketgate config check --all
 * </pre>
 */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Environment files: check them before a deploy.",
        subcommands = {ConfigCommand.Check.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Loads and validates environments/<env>.yaml (or every one with --all) and prints every problem.",
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:every file is valid", "1:no environment file to check", ExitCodes.USAGE_LINE, "3:a file has problems"})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-e", "--env"}, paramLabel = "ENV", description = "The environment: environments/<env>.yaml (default: dev).")
        String env;

        @Option(names = "--all", description = "Every environment file of the folder.")
        boolean all;

        @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
        Path environments;

        @Option(names = "--json", description = "Print JSON for scripts instead of text.")
        boolean json;

        @Override
        public Integer call() {
            if (all && env != null) {
                throw new UsageException("--env and --all exclude each other");
            }
            Path dir = environments != null ? environments : Home.environments();
            List<String> names = all ? EnvironmentLoader.environments(dir) : List.of(env != null ? env : OperatorOptions.DEFAULT_ENVIRONMENT);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("no environment files (*.yaml) in " + dir);
            }
            List<Map<String, Object>> results = new ArrayList<>();
            boolean valid = true;
            for (String name : names) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("environment", name);
                try {
                    EnvironmentConfig config = EnvironmentLoader.load(dir, name);
                    r.put("valid", true);
                    r.put("markets", config.markets().size());
                    r.put("budgets", config.budgets().size());
                    r.put("problems", List.of());
                } catch (ConfigException e) {
                    valid = false;
                    r.put("valid", false);
                    r.put("problems", e.problems().stream().map(Object::toString).toList());
                }
                results.add(r);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                OperatorOptions.printJson(out, Map.of("environments", results));
            } else {
                for (Map<String, Object> r : results) {
                    if ((Boolean) r.get("valid")) {
                        out.printf("%s: valid (%s markets, %s budgets)%n", r.get("environment"), r.get("markets"), r.get("budgets"));
                    } else {
                        @SuppressWarnings("unchecked")
                        List<String> problems = (List<String>) r.get("problems");
                        out.printf("%s: %d problem%s%n", r.get("environment"), problems.size(), problems.size() == 1 ? "" : "s");
                        problems.forEach(p -> out.println("  " + p));
                    }
                }
                out.flush();
            }
            return valid ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}
