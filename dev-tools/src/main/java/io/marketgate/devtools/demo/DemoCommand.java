package io.marketgate.devtools.demo;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.Home;
import io.marketgate.cli.UsageException;
import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code marketgate demo}: a fleet of simulated instances against an environment's budgets. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Runs simulated instances of a fleet (threads, each with its own limiter and store connection) that call",
            "every market of an environment with mixed priorities (HIGH 10%, MEDIUM 40%, LOW 50%) as fast as the",
            "budgets allow. Prints each second what every budget admitted in its last window per priority against",
            "its limit, then proves from the store's grant timestamps that no sliding window held more than the",
            "limit (or a priority more than its ceiling). Without --valkey the store is in-memory (this JVM); run",
            "several processes with the same --valkey URL to watch them share the budgets."},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {"0:every budget held", "1:bad configuration, unreachable store", ExitCodes.USAGE_LINE, "3:a budget was exceeded"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--env"}, defaultValue = "dev", description = "Environment name: environments/<env>.yaml (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
    Path environments;

    @Option(names = {"-m", "--market"}, split = ",", paramLabel = "MARKET",
            description = "Only these markets (repeatable, or comma-separated; default: every market of the environment).")
    List<String> onlyMarkets = new ArrayList<>();

    @Option(names = {"-i", "--instances"}, defaultValue = "8", description = "Simulated instances per market (default: ${DEFAULT-VALUE}).")
    int instances;

    @Option(names = "--for", defaultValue = "10s", paramLabel = "DURATION",
            description = "How long to run: 500ms, 10s, 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    /**
     * The spelling before "how long to run" was {@code --for} in every command (as {@code local up --for}); kept for
     * scripts, not shown. A field of its own: picocli gives an unmatched {@code --for} its default after parsing.
     */
    @Option(names = {"-d", "--duration"}, hidden = true)
    String durationAlias;

    @Option(names = "--valkey", paramLabel = "URL", description = "Use the Valkey/Redis store at URL (redis://host:port) instead of the in-memory one.")
    String valkey;

    @Override
    public Integer call() throws Exception {
        if (instances < 1 || instances > 256) {
            throw new UsageException("--instances is " + instances + ", must be in 1..256");
        }
        if (durationAlias != null) {
            duration = durationAlias;
        }
        Duration runFor;
        try {
            runFor = Durations.parse(duration);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--for: " + e.getMessage(), e);
        }
        if (runFor.compareTo(Duration.ofSeconds(1)) < 0 || runFor.compareTo(Duration.ofHours(1)) > 0) {
            throw new UsageException("--for is " + duration + ", must be between 1s and 1h");
        }
        EnvironmentConfig config = EnvironmentLoader.load(environments != null ? environments : Home.environments(), env);
        List<DemoMarket> markets = new ArrayList<>();
        List<String> wanted = onlyMarkets.isEmpty() ? new ArrayList<>(config.markets().keySet()) : onlyMarkets;
        for (String name : wanted) {
            MarketConfig m = config.market(name);
            List<List<String>> calls = m.calls().values().stream().map(c -> c.budgets()).toList();
            markets.add(new DemoMarket(m.name(), m.limiterBudgets(), calls, m.failureMode()));
        }

        Supplier<LimiterStore> stores;
        String storeName;
        if (valkey == null) {
            InMemoryLimiterStore shared = InMemoryLimiterStore.create();
            stores = () -> shared;
            storeName = shared.describe();
        } else {
            ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix(config.limiter().keyPrefix()).build();
            try (LimiterStore probe = ValkeyLimiterStore.standalone(valkey, options)) {
                storeName = probe.describe();
            }
            stores = () -> ValkeyLimiterStore.standalone(valkey, options);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.printf("marketgate demo: environment %s, markets %s, %d instances per market, %s, store %s%n",
                config.name(), wanted, instances, Durations.format(runFor), storeName);
        out.println("Each second: what each budget admitted in its last window, per priority, against its effective limit.");
        out.println();
        boolean held = new DemoRun(markets, instances, runFor, stores, out).run();
        return held ? 0 : 3;
    }
}
