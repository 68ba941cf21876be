package io.marketgate.devtools.simulate;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.Home;
import io.marketgate.cli.ProgressBar;
import io.marketgate.cli.UsageException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.devtools.local.LocalUpCommand;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.Priority;
import io.marketgate.local.LocalPlatform;
import io.marketgate.local.Scenario;
import io.marketgate.local.ScenarioLoader;
import io.marketgate.local.SimulationReport;
import io.marketgate.local.SimulationRun;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code marketgate simulate}: a scenario on the local runtime, to completion, with a report. */
@Command(name = "simulate",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a scenario (scenarios/*.yaml) on the local runtime: Valkey (or the in-memory limiter), embedded SQS",
            "and DynamoDB, simulated markets at their real limits, and the real Lambda handlers behind SQS pollers",
            "with Lambda's batch semantics. Shows progress on stderr, then writes report.json and report.html into",
            "--report-dir. The handlers' own output (JSON logs, EMF metrics) goes to lambda.log there."},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {"0:no call over any budget, nothing lost or duplicated",
            "1:bad scenario or configuration", ExitCodes.USAGE_LINE, "3:a budget was exceeded, a request was lost or duplicated, "
                    + "Cafe24 answered a 429, a mall's connection was lost that the scenario did not revoke, or an order "
                    + "created during the run is not final in the store where a tracking schedule follows its market"})
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--scenario"}, required = true, paramLabel = "FILE", description = "The scenario file.")
    Path scenarioFile;

    @Option(names = {"-o", "--report-dir"}, required = true, paramLabel = "DIR", description = "Where report.json, report.html and lambda.log go.")
    Path reportDir;

    @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
    Path environments;

    @Option(names = "--store", defaultValue = "auto", description = "Limiter store: auto (Valkey when redis-server or valkey-server is installed, else in-memory), valkey, memory (default: ${DEFAULT-VALUE}).")
    String store;

    /** The budget that sets the minimum, as {@code market/budget at PRIORITY}, or "none". */
    @SuppressWarnings("unchecked")
    static String bindingBudget(Map<String, Object> tree) {
        Object market = tree.get("bindingMarket");
        if (market == null) {
            return "none";
        }
        Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) tree.get("markets")).get(market);
        return market + "/" + m.get("bindingBudget") + " at " + m.get("minimumPriority");
    }

    @Option(names = "--baseline", description = "Run the scenario with one call in flight per collector instance "
            + "(every market's collector inFlight 1, as before issue 22), for a side-by-side comparison; the report names the "
            + "scenario <name>-baseline.")
    boolean baseline;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        LocalPlatform.StoreKind storeKind = LocalUpCommand.storeKind(store);
        if (!Files.isRegularFile(scenarioFile)) {
            throw new UsageException("--scenario " + scenarioFile + " is not a file");
        }
        Path envDir = environments != null ? environments : Home.environments();
        // the scenario names its environment; read it first with every market allowed, then validate against it
        String envName = ScenarioLoader.environmentOf(scenarioFile);
        EnvironmentConfig env = EnvironmentLoader.load(envDir, envName);
        Set<String> drivable = env.markets().values().stream()
                .filter(m -> m.adapter().isPresent())
                .map(m -> m.name()).collect(Collectors.toSet());
        Scenario loaded = ScenarioLoader.load(scenarioFile, drivable);
        Scenario scenario = baseline ? loaded.baseline() : loaded;

        Files.createDirectories(reportDir);
        PrintStream err = System.err;   // the progress bar and the platform's start-up lines
        PrintStream originalOut = System.out;
        Path lambdaLog = reportDir.resolve("lambda.log");
        SimulationReport report;
        try (PrintStream handlersOut = new PrintStream(new FileOutputStream(lambdaLog.toFile()), true, StandardCharsets.UTF_8)) {
            // the handlers log JSON lines and EMF metrics to stdout, as in Lambda; keep them out of the terminal
            System.setOut(handlersOut);
            ProgressBar bar = ProgressBar.onStderr(new java.io.PrintWriter(err, true), "requests");
            report = new SimulationRun(env, scenario, storeKind, err, bar::update).run();
            bar.finish();
        } finally {
            System.setOut(originalOut);
        }
        report.write(reportDir);
        java.io.PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> t = report.tree();
        out.printf("scenario %s: %s s (minimum %s s by the binding budgets, %s; duration ÷ minimum %s), wall %s s, store %s%n",
                t.get("scenario"), t.get("durationSeconds"), t.get("minimumSeconds"), bindingBudget(t),
                t.get("durationOverMinimum"), t.get("wallSeconds"), t.get("limiterStore"));
        if (t.get("guardedMinimumSeconds") instanceof Number guarded && t.get("minimumSeconds") instanceof Number minimum
                && guarded.doubleValue() > minimum.doubleValue()) {
            out.printf("jitter guard: the budgets as the limiter enforced them (window + guard) allow %s s at least; duration ÷ that %s"
                    + " (the guard's cost: %s of the budgets' throughput)%n", guarded, t.get("durationOverGuardedMinimum"),
                    String.format(java.util.Locale.ROOT, "%.0f %%", 100 * (1 - minimum.doubleValue() / guarded.doubleValue())));
        }
        if (t.get("lambda") instanceof Map<?, ?> lambda) {
            out.printf("lambda: %s requests, %s GB-s (%s s billed + %s s of %s inits), estimated cost %s%n", lambda.get("requests"),
                    lambda.get("gbSeconds"), lambda.get("billedSeconds"), lambda.get("initBilledSeconds"), lambda.get("inits"),
                    lambda.get("costUsd") == null ? "unknown (no infrastructure.pricing in the environment)"
                            : String.format(java.util.Locale.ROOT, "USD %.6f", ((Number) lambda.get("costUsd")).doubleValue()));
        }
        out.printf("calls over budget at the markets: %d (arrivals over the configured budgets' windows: %d); dead letters: %s%n",
                report.callsOverBudget(), report.arrivalsOverConfiguredBudgets(), t.get("deadLetters"));
        long lost = 0;
        long duplicates = 0;
        for (Priority p : Priority.values()) {
            Map<String, Object> v = report.priority(p);
            if (((Number) v.get("requests")).longValue() == 0) {
                continue;
            }
            out.printf("%-6s requests %s, succeeded %s, failed %s, lost %s, duplicates %s, wait p50 %s ms, p99 %s ms%n", p,
                    v.get("requests"), v.get("succeeded"), v.get("failed"), v.get("lost"), v.get("duplicates"),
                    v.get("waitP50Ms"), v.get("waitP99Ms"));
            lost += ((Number) v.get("lost")).longValue();
            duplicates += ((Number) v.get("duplicates")).longValue();
        }
        if (t.get("stored") instanceof Map<?, ?> stored && stored.values().stream()
                .anyMatch(kinds -> ((Map<?, ?>) kinds).keySet().stream().anyMatch(k -> !"orders".equals(k)))) {
            out.println("stored: " + stored);
        }
        if (t.get("actions") instanceof Map<?, ?> byType && !byType.isEmpty()) {
            StringBuilder line = new StringBuilder("HIGH actions:");
            byType.forEach((type, c) -> line.append(' ').append(type).append(' ').append(((Map<?, ?>) c).get("done")).append('/')
                    .append(((Map<?, ?>) c).get("asked")).append(" done,"));
            out.println(line.substring(0, line.length() - 1));
        }
        if (t.get("actionEvents") instanceof Map<?, ?> events) {
            out.printf("action events on %s: %s done, %s failed (%s entries failed by the bus, published again)%n",
                    events.get("bus"), events.get("done"), events.get("failed"), events.get("failedEntries"));
        }
        boolean tokensKept = true;
        for (Map.Entry<String, Object> e : ((Map<String, Object>) t.get("markets")).entrySet()) {
            if (((Map<String, Object>) e.getValue()).get("tokens") instanceof Map<?, ?> tokens) {
                out.printf("%s tokens: %s requests for %s accounts, at most %s answered per account (allowed %s: one, plus one "
                        + "per revocation, %s), %s refused, %s non-standard%n", e.getKey(), tokens.get("requests"),
                        tokens.get("accounts"), tokens.get("answeredPerAccountMax"), tokens.get("allowedPerAccount"),
                        tokens.get("revocations"), tokens.get("refused"), tokens.get("nonStandard"));
                // one token per account for the run (shorter than a token's 3 h) and one more per revocation, and never
                // a request Naver punishes
                tokensKept &= ((Number) tokens.get("answeredPerAccountMax")).longValue()
                        <= ((Number) tokens.get("allowedPerAccount")).longValue()
                        && ((Number) tokens.get("nonStandard")).longValue() == 0;
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) t.get("markets")).entrySet()) {
            Map<String, Object> market = (Map<String, Object>) e.getValue();
            if (market.get("connections") instanceof Map<?, ?> c) {
                out.printf("%s connections: %s malls, %s refreshes, %s invalid_grant (%s from reuse), %s revoked on purpose, "
                        + "%s reconnect-required, %s lost; %s answers 429%n", e.getKey(), c.get("malls"), c.get("refreshes"),
                        c.get("invalidGrants"), c.get("invalidGrantsFromReuse"), c.get("revokedOnPurpose"),
                        c.get("reconnectRequired"), c.get("connectionsLost"), market.get("answered429"));
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) t.get("markets")).entrySet()) {
            if (((Map<String, Object>) e.getValue()).get("orders") instanceof Map<?, ?> o) {
                out.printf("%s orders: %s created during the run, %s final in the store, %s not (%s), tracking gave up %s, %s still tracked%n",
                        e.getKey(), o.get("created"), o.get("final"), o.get("notFinal"), o.get("notFinalOrders"),
                        o.get("trackingGaveUp"), o.get("trackedLeft"));
            }
        }
        // Cafe24's bucket is kept by the limiter (a 429 would mean it was not), and a connection lost is a seller who
        // must consent again: both are broken promises unless the scenario revoked that mall
        boolean connectionsKept = report.cafe24Answered429() == 0 && report.connectionsLost() == 0;
        long highFailed = ((Number) report.priority(Priority.HIGH).get("failed")).longValue();
        out.printf("report: %s, %s; handler output: %s%n", reportDir.resolve("report.json"), reportDir.resolve("report.html"), lambdaLog);
        return report.callsOverBudget() == 0 && lost == 0 && duplicates == 0 && highFailed == 0 && tokensKept
                && connectionsKept && report.ordersNotFinal() == 0 ? 0 : 3;
    }
}
