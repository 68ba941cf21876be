package io.marketgate.cli.ops;

import io.marketgate.cli.UsageException;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.canary.CanaryConfig;
import io.marketgate.config.canary.RouteConfig;
import io.marketgate.config.canary.RouteState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one canary command will change on a stage, worked out from the stage as it is before anything is sent:
 * the action, each change as {@code before → after}, and notes that compare the result with
 * {@code canary-config/<env>.yaml}. A command that cannot apply to the stage (promote or roll back without a canary)
 * is refused here, before any change is sent.
 *
 * <pre>{@code
 * CanaryPlan plan = CanaryPlan.set(stage, 25, config, Optional.empty());
 * plan.changes();   // [canary.percentTraffic: 10 → 25]
 * }</pre>
 */
record CanaryPlan(Action action, StageState before, OptionalDouble percent, Map<String, String> canaryOverrides, List<Change> changes,
        List<String> notes) {

    /** What the plan does to the stage. */
    enum Action {
        /** A new deployment becomes the stage's canary. */
        CREATE_CANARY,
        /** The canary's share of the traffic changes. */
        SET_PERCENT,
        /** The canary's deployment and stage variable overrides become the stage's; the canary goes. */
        PROMOTE,
        /** The canary goes; the stage's deployment serves everything. */
        ROLLBACK,
        /** The stage is already as asked. */
        NOTHING;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** One value of the stage before and after; {@code none} where there is no value. */
    record Change(String field, String before, String after) {
        @Override
        public String toString() {
            return field + ": " + before + " → " + after;
        }
    }

    /** What a new canary's deployment is called in a plan, before API Gateway gives it an id. */
    static final String NEW_DEPLOYMENT = "(a new deployment of the API's current definition)";
    private static final String NONE = "none";

    CanaryPlan {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(percent, "percent");
        canaryOverrides = Map.copyOf(canaryOverrides);
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }

    /**
     * {@code --percent} as an operator typed it: a number from 0 to 100, inclusive. (0 keeps the canary's deployment
     * on the stage without traffic, 100 sends it everything before a promotion; {@code canary-config} itself only
     * takes a share strictly between the two, since a route at 0 or 100 is legacy or migrated.)
     */
    static double percent(String text) {
        String rule = "must be a number from 0 to 100 (the share of the stage's requests the canary serves)";
        if (text == null || text.isBlank()) {
            throw new UsageException("--percent is missing; it " + rule);
        }
        double percent;
        try {
            percent = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--percent is '" + text + "', " + rule, e);
        }
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw new UsageException("--percent is " + text.trim() + ", " + rule);
        }
        return percent;
    }

    /**
     * Creates the canary at {@code percent}, or changes its share; nothing when it already has that share. A new
     * canary gets the stage variable override that sends canary routes to the handlers ({@code canaryBackend}, the
     * origin API); without an origin API while the file has canary routes, it would send its share to the legacy
     * backend as well, so that is refused.
     */
    static CanaryPlan set(StageState stage, double percent, CanaryConfig config, Optional<String> canaryBackend) {
        List<String> notes = new ArrayList<>();
        String wanted = CanaryConfig.formatPercent(percent);
        boolean routesInCanary = !config.routes(RouteState.CANARY).isEmpty();
        if (!routesInCanary) {
            notes.add(file(config) + " lists no canary route: mark the routes to try as 'canary' there and deploy, so that "
                    + "the canary's requests differ from the stage's");
        } else if (config.canaryPercent().getAsDouble() != percent) {
            notes.add(file(config) + " says " + config.describeCanaryPercent() + "; set the percent of its canary routes to "
                    + wanted + " to keep it in step");
        }
        Optional<StageState.Canary> canary = stage.canary();
        if (canary.isEmpty()) {
            if (routesInCanary && canaryBackend.isEmpty()) {
                throw new IllegalStateException("no REST API named " + CanaryConfig.originApiName(config.environment())
                        + " beside " + stage.restApiName() + ": a canary would send its share of " + String.join(", ",
                        routes(config, RouteState.CANARY)) + " to the legacy backend too; deploy the environment with its "
                        + "canary routes first. Nothing was changed");
            }
            Map<String, String> overrides = canaryBackend.map(b -> Map.of(CanaryConfig.BACKEND_VARIABLE, b)).orElse(Map.of());
            List<Change> changes = new ArrayList<>(List.of(
                    new Change("canary.percentTraffic", NONE, wanted),
                    new Change("canary.deploymentId", NONE, NEW_DEPLOYMENT)));
            overrides.forEach((name, value) -> changes.add(new Change("canary.stageVariableOverrides." + name, NONE, value)));
            return new CanaryPlan(Action.CREATE_CANARY, stage, OptionalDouble.of(percent), overrides, changes, notes);
        }
        if (canary.get().percent() == percent) {
            return new CanaryPlan(Action.NOTHING, stage, OptionalDouble.of(percent), Map.of(), List.of(), notes);
        }
        return new CanaryPlan(Action.SET_PERCENT, stage, OptionalDouble.of(percent), Map.of(), List.of(
                new Change("canary.percentTraffic", CanaryConfig.formatPercent(canary.get().percent()), wanted)), notes);
    }

    /** The canary's deployment and stage variable overrides become the stage's; refused when there is no canary. */
    static CanaryPlan promote(StageState stage, CanaryConfig config) {
        StageState.Canary canary = requireCanary(stage, "promote");
        List<Change> changes = new ArrayList<>();
        changes.add(new Change("deploymentId", stage.deploymentId(), canary.deploymentId()));
        canary.stageVariableOverrides().forEach((name, value) ->
                changes.add(new Change("variables." + name, stage.variables().getOrDefault(name, NONE), value)));
        changes.add(new Change("canary", canary.describe(), NONE));
        List<String> notes = new ArrayList<>();
        List<String> canaryRoutes = routes(config, RouteState.CANARY);
        if (!canaryRoutes.isEmpty()) {
            notes.add("the handlers now serve every request of " + String.join(", ", canaryRoutes) + ": mark them 'migrated' in "
                    + file(config));
        }
        return new CanaryPlan(Action.PROMOTE, stage, OptionalDouble.empty(), Map.of(), changes, notes);
    }

    /** The canary goes and the stage's deployment serves everything; refused when there is no canary. */
    static CanaryPlan rollback(StageState stage, CanaryConfig config) {
        StageState.Canary canary = requireCanary(stage, "roll back");
        List<String> notes = new ArrayList<>();
        List<String> canaryRoutes = routes(config, RouteState.CANARY);
        if (!canaryRoutes.isEmpty()) {
            notes.add("the legacy backend serves every request of " + String.join(", ", canaryRoutes)
                    + " again: mark them 'legacy' in " + file(config) + ", or create the canary again after a fix");
        }
        return new CanaryPlan(Action.ROLLBACK, stage, OptionalDouble.empty(), Map.of(), List.of(new Change("canary", canary.describe(), NONE)), notes);
    }

    /** The canary's share after a {@code set}. */
    double percentAfter() {
        return percent.orElseThrow(() -> new IllegalStateException(action + " sets no percent"));
    }

    /** One line that says what the plan does. */
    String summary() {
        return switch (action) {
            case CREATE_CANARY -> "create the stage's canary: a new deployment of the API's current definition serves "
                    + CanaryConfig.formatPercent(percentAfter()) + "% of the requests";
            case SET_PERCENT -> "change the canary's share of the requests";
            case PROMOTE -> "promote the canary: its deployment and stage variable overrides become the stage's, then its "
                    + "settings are removed";
            case ROLLBACK -> "roll the canary back: remove its settings, so that the stage's deployment serves every request";
            case NOTHING -> "nothing to change: the canary already serves " + CanaryConfig.formatPercent(percentAfter()) + "%";
        };
    }

    /** The plan as JSON-ready maps and values. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("action", action.jsonName());
        json.put("stage", before.toJson());
        json.put("changes", changes.stream().map(c -> {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("field", c.field());
            change.put("before", c.before().equals(NONE) ? null : c.before());
            change.put("after", c.after().equals(NONE) ? null : c.after());
            return change;
        }).toList());
        json.put("notes", notes);
        return json;
    }

    private static StageState.Canary requireCanary(StageState stage, String verb) {
        return stage.canary().orElseThrow(() -> new IllegalStateException(stage.describe() + " has no canary to " + verb
                + "; nothing was changed ('canary set --percent N' creates one)"));
    }

    private static List<String> routes(CanaryConfig config, RouteState state) {
        return config.routes(state).stream().map(RouteConfig::route).map(ApiRoute::toString).toList();
    }

    private static String file(CanaryConfig config) {
        return "canary-config/" + config.environment() + ".yaml";
    }
}
