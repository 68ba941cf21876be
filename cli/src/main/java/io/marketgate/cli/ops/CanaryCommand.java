package io.marketgate.cli.ops;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.Home;
import io.marketgate.cli.UsageException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.canary.CanaryConfig;
import io.marketgate.config.canary.CanaryConfigLoader;
import io.marketgate.config.canary.RouteConfig;
import io.marketgate.config.canary.RouteState;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marketgate canary status|set|promote|rollback}: the canary of an environment's REST API
 * ({@code <env>-marketgate-api}, stage {@code live} or {@code canary-config/<env>.yaml}'s {@code stage}) in API
 * Gateway, beside the routes of {@code canary-config/<env>.yaml}. Each change is shown as a plan (before → after)
 * and applied only after the operator confirms it, or with {@code --yes}; every input is checked before anything is
 * sent, and the stage is read again just before the change, so that a plan shown is the plan applied.
 *
 * <pre>
 * ./marketgate canary status --env prod
 * ./marketgate canary set --percent 10 --env staging
 * ./marketgate canary promote --env staging --yes
 * ./marketgate canary rollback --local
 * </pre>
 */
@Command(name = "canary",
        mixinStandardHelpOptions = true,
        description = "The canary of an environment's REST API (<env>-marketgate-api) in API Gateway: its share of the "
            + "requests, promotion and roll-back, beside the routes of canary-config/<env>.yaml.",
        subcommands = {CanaryCommand.Status.class, CanaryCommand.Set.class, CanaryCommand.Promote.class,
            CanaryCommand.Rollback.class})
public final class CanaryCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every canary subcommand shares: the environment, its canary configuration, the API Gateway client. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OperatorOptions options;

        @Option(names = "--canary-config", paramLabel = "DIR",
                description = "Folder of the canary configurations (default: canary-config/ of the project).")
        Path canaryConfigDir;

        @Option(names = "--endpoint-url", paramLabel = "URL",
                description = "Send API Gateway's calls to this endpoint instead of the region's (as the AWS CLI's --endpoint-url).")
        String endpointUrl;

        /** Where confirmations are asked; a test answers in the operator's place. */
        Terminal terminal = Terminal.system();

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** The options, the environment and its canary configuration, all validated, before anything is sent. */
        CanaryConfig canaryConfig() {
            if (endpointUrl != null && options.local) {
                throw new UsageException("--endpoint-url and --local both say where API Gateway is; give one");
            }
            endpoint();   // a malformed --endpoint-url is refused here, before anything is sent
            EnvironmentConfig env = options.environment();
            return CanaryConfigLoader.load(canaryConfigDir != null ? canaryConfigDir : Home.canaryConfig(), env.name());
        }

        CanaryGateway gateway() {
            return CanaryGateway.open(options.environment(), options.localEndpoints(), endpoint());
        }

        private Optional<URI> endpoint() {
            if (endpointUrl == null) {
                return Optional.empty();
            }
            try {
                URI uri = new URI(endpointUrl.trim());
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(endpointUrl, "not an http(s) URL with a host");
                }
                return Optional.of(uri);
            } catch (URISyntaxException e) {
                throw new UsageException("--endpoint-url is '" + endpointUrl + "', must be an http or https URL such as "
                        + "http://127.0.0.1:4567", e);
            }
        }
    }

    /** What the commands that change the stage share: the plan, the confirmation, the check that nothing moved. */
    abstract static class Changing extends Base {
        @Option(names = {"-y", "--yes"}, description = "Apply the plan without asking (needed when the input is not a terminal).")
        boolean yes;

        /**
         * Shows the plan that {@code planner} makes of the stage, asks for confirmation (unless {@code --yes}),
         * checks that the stage has not changed since, applies the plan and shows the stage after it.
         */
        Integer change(CanaryConfig config, Function<CanaryGateway.Found, CanaryPlan> planner) {
            try (CanaryGateway gateway = gateway()) {
                CanaryGateway.Found found = gateway.find(config);
                StageState stage = found.stage();
                CanaryPlan plan = planner.apply(found);
                if (!options.json()) {
                    printPlan(plan, gateway.where());
                }
                if (plan.action() == CanaryPlan.Action.NOTHING) {
                    finish(plan, Optional.empty());
                    return 0;
                }
                if (!confirmed(plan)) {
                    finish(plan, Optional.empty());
                    err().println("cancelled: nothing was changed");
                    return 1;
                }
                StageState now = gateway.stage(stage.restApiId(), stage.restApiName(), stage.stageName());
                if (!now.equals(stage)) {
                    throw new IllegalStateException(stage.describe() + " changed since the plan was made; nothing was changed: "
                            + "run the command again to see the new plan");
                }
                apply(gateway, plan, config);
                StageState after = gateway.stage(stage.restApiId(), stage.restApiName(), stage.stageName());
                finish(plan, Optional.of(after));
                return 0;
            }
        }

        private boolean confirmed(CanaryPlan plan) {
            if (yes) {
                return true;
            }
            if (!terminal.interactive()) {
                finish(plan, Optional.empty());
                throw Terminal.noConfirmation();
            }
            return terminal.confirm("Apply this change to " + plan.before().describe() + "?");
        }

        private static void apply(CanaryGateway gateway, CanaryPlan plan, CanaryConfig config) {
            StageState stage = plan.before();
            switch (plan.action()) {
                case CREATE_CANARY -> gateway.createCanary(stage, plan.percentAfter(), plan.canaryOverrides(), "marketgate canary set --percent "
                        + CanaryConfig.formatPercent(plan.percentAfter()) + " (" + config.environment() + ", stage " + stage.stageName() + ")");
                case SET_PERCENT -> gateway.setPercent(stage, plan.percentAfter());
                case PROMOTE -> gateway.promote(stage);
                case ROLLBACK -> gateway.removeCanary(stage);
                case NOTHING -> { }
            }
        }

        private void printPlan(CanaryPlan plan, String where) {
            PrintWriter out = out();
            out.println("Plan for " + plan.before().describe() + " (" + where + "):");
            out.println("  " + plan.summary());
            plan.changes().forEach(change -> out.println("    " + change));
            plan.notes().forEach(note -> out.println("  note: " + note));
            out.flush();
        }

        /** Text: the stage after the change, if applied. JSON: the plan, whether it was applied, and the stage after. */
        private void finish(CanaryPlan plan, Optional<StageState> after) {
            if (options.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("plan", plan.toJson());
                json.put("applied", after.isPresent());
                json.put("stageAfter", after.map(StageState::toJson).orElse(null));
                OperatorOptions.printJson(out(), json);
                return;
            }
            after.ifPresent(stage -> {
                out().println("Done: " + stage.describe() + " serves deployment " + stage.deploymentId() + "; canary: "
                        + stage.canary().map(StageState.Canary::describe).orElse("none"));
                out().flush();
            });
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The stage's deployment and canary (share, deployment, stage variable overrides) and the routes of canary-config/<env>.yaml.")
    static final class Status extends Base {
        @Override
        public Integer call() {
            CanaryConfig config = canaryConfig();
            try (CanaryGateway gateway = gateway()) {
                CanaryGateway.Found found = gateway.find(config);
                StageState stage = found.stage();
                List<String> notes = notes(found, config);
                if (options.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("environment", config.environment());
                    json.put("stage", stage.toJson());
                    json.put("routes", config.routes().values().stream().map(Status::routeJson).toList());
                    json.put("notes", notes);
                    OperatorOptions.printJson(out(), json);
                } else {
                    print(stage, config, notes, gateway.where());
                }
                return 0;
            }
        }

        private void print(StageState stage, CanaryConfig config, List<String> notes, String where) {
            PrintWriter out = out();
            out.println(stage.describe() + " (" + where + ")");
            out.println("  deployment  " + stage.deploymentId());
            out.println("  variables   " + describe(stage.variables()));
            out.println("  canary      " + stage.canary().map(c -> c.describe() + "; stage variable overrides: "
                    + describe(c.stageVariableOverrides()) + "; stage cache: " + (c.useStageCache() ? "on" : "off")).orElse("none"));
            out.println("Routes of canary-config/" + config.environment() + ".yaml (canary: " + config.describeCanaryPercent() + "):");
            int width = config.routes().keySet().stream().mapToInt(r -> r.toString().length()).max().orElse(0);
            for (RouteConfig route : config.routes().values()) {
                out.printf("  %-" + width + "s  %-12s %s%n", route.route(), route.describeState(), route.handler().orElse(""));
            }
            notes.forEach(note -> out.println("note: " + note));
            out.flush();
        }

        /** Where the stage and the file disagree. */
        private static List<String> notes(CanaryGateway.Found found, CanaryConfig config) {
            StageState stage = found.stage();
            List<String> notes = new ArrayList<>();
            String file = "canary-config/" + config.environment() + ".yaml";
            boolean routesInCanary = !config.routes(RouteState.CANARY).isEmpty();
            if (stage.canary().isEmpty() && routesInCanary) {
                notes.add(file + " has canary routes at " + config.describeCanaryPercent() + " but the stage has no canary: "
                        + "'canary set' creates it");
            } else if (stage.canary().isPresent() && !routesInCanary) {
                notes.add("the stage has a canary but " + file + " lists no canary route");
            } else if (stage.canary().isPresent() && stage.canary().get().percent() != config.canaryPercent().getAsDouble()) {
                notes.add("the stage's canary serves " + CanaryConfig.formatPercent(stage.canary().get().percent()) + "% but "
                        + file + " says " + config.describeCanaryPercent());
            }
            String backend = stage.canary().map(c -> c.stageVariableOverrides().get(CanaryConfig.BACKEND_VARIABLE)).orElse(null);
            if (stage.canary().isPresent() && found.canaryBackend().isPresent() && !found.canaryBackend().get().equals(backend)) {
                notes.add("the canary's " + CanaryConfig.BACKEND_VARIABLE + " is " + (backend == null ? "not set" : backend)
                        + ", not the origin API's " + found.canaryBackend().get() + ": its requests do not reach the handlers");
            }
            return notes;
        }

        private static Map<String, Object> routeJson(RouteConfig route) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("route", route.route().toString());
            json.put("state", route.state().configName());
            json.put("percent", route.percent().isPresent() ? route.percent().getAsDouble() : null);
            json.put("handler", route.handler().orElse(null));
            return json;
        }

        private static String describe(Map<String, String> variables) {
            if (variables.isEmpty()) {
                return "(none)";
            }
            List<String> pairs = new ArrayList<>();
            variables.forEach((k, v) -> pairs.add(k + "=" + v));
            return String.join(", ", pairs);
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Creates the stage's canary (a new deployment of the API's current definition, as the console's "
                + "'Create canary') or changes its share of the requests.",
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:applied, or nothing to change", "1:refused, cancelled, or API Gateway failed; nothing changed",
                ExitCodes.USAGE_LINE})
    static final class Set extends Changing {
        @Option(names = "--percent", paramLabel = "N",
                description = "The canary's share of the stage's requests, 0 to 100 (default: the percent of the canary routes in canary-config/<env>.yaml).")
        String percent;

        @Override
        public Integer call() {
            CanaryConfig config = canaryConfig();
            double share = percent != null ? CanaryPlan.percent(percent) : config.canaryPercent().orElseThrow(() ->
                    new UsageException("--percent is missing, and canary-config/" + config.environment()
                            + ".yaml has no canary route to take it from; give --percent N (0 to 100)"));
            return change(config, found -> CanaryPlan.set(found.stage(), share, config, found.canaryBackend()));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Promotes the canary: its deployment and stage variable overrides become the stage's, then its "
                + "settings are removed.",
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:applied", "1:no canary, refused, cancelled, or API Gateway failed; nothing changed",
                ExitCodes.USAGE_LINE})
    static final class Promote extends Changing {
        @Override
        public Integer call() {
            CanaryConfig config = canaryConfig();
            return change(config, found -> CanaryPlan.promote(found.stage(), config));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Rolls the canary back: removes its settings, so that the stage's deployment serves every request.",
            exitCodeListHeading = ExitCodes.HEADING,
            exitCodeList = {"0:applied", "1:no canary, refused, cancelled, or API Gateway failed; nothing changed",
                ExitCodes.USAGE_LINE})
    static final class Rollback extends Changing {
        @Override
        public Integer call() {
            CanaryConfig config = canaryConfig();
            return change(config, found -> CanaryPlan.rollback(found.stage(), config));
        }
    }
}
