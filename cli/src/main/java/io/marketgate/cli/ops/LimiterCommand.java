package io.marketgate.cli.ops;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.UsageException;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.InfrastructureConfig.LimiterStoreKind;
import io.marketgate.config.MarketConfig;
import io.marketgate.deployed.DeployedStore;
import io.marketgate.deployed.StoreLocation;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.LimiterControl;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbLimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbStoreOptions;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import software.amazon.awssdk.regions.Region;

/**
 * {@code marketgate limiter status|pause|resume|set-limit|clear-limit}: the live state of the fleet's budgets in
 * Valkey, and the operator's changes to it, each with an expiry. Every input is checked before the store is
 * touched. A change to a deployed environment's store (anything but {@code --local}) is shown as a plan and made
 * only once the operator confirms it, or with {@code --yes}, as {@link CanaryCommand} does.
 *
 * <pre>
 * ./marketgate limiter status --market coupang --budget vendor:V123 --local
 * ./marketgate limiter pause --market 11st --priority LOW --for 15m --local
 * ./marketgate limiter pause --market coupang --budget vendor --priority LOW --for 15m --local   # every vendor
 * ./marketgate limiter set-limit --market naver --budget dispatch --limit 1 --for 30m --env prod --valkey rediss://…
 * ./marketgate limiter resume --market 11st --priority LOW --env prod --yes     # no question: scripts, CI
 * ./marketgate limiter pause --market coupang --priority LOW --for 15m --env prod \
 *     --valkey-cluster prod-limiter-abc.serverless.apn2.cache.amazonaws.com:6379   # user from prod-limiter-valkey
 * </pre>
 */
@Command(name = "limiter",
        mixinStandardHelpOptions = true,
        description = {"The fleet's budgets in Valkey: usage per priority over the last window, limits and overrides,",
            "cool-downs and pauses; pause or resume a priority, override a limit for a while."},
        subcommands = {LimiterCommand.Status.class, LimiterCommand.Pause.class, LimiterCommand.Resume.class,
            LimiterCommand.SetLimit.class, LimiterCommand.ClearLimit.class})
public final class LimiterCommand implements Runnable {

    /** The CDK app names the secret of the cluster's user {@code <env>-limiter-valkey} (cdk-app ValkeyStack). */
    static final String CDK_SECRET_SUFFIX = "limiter-valkey";

    /** The CDK app names the DynamoDB limiter table {@code <env>-limiter} (cdk-app StateStack). */
    static final String CDK_TABLE_SUFFIX = "limiter";

    /** How long one store command may take from an operator's machine, across a VPN or a bastion's tunnel. */
    static final Duration OPERATOR_COMMAND_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long connecting may take from there: a cluster client makes a TLS handshake with every node it discovers,
     * which across a tunnel takes longer than the Lambdas' second inside the VPC.
     */
    static final Duration OPERATOR_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Exit code 1 of the commands that change the store. */
    static final String CHANGE_FAILED = "1:refused (no terminal to confirm, and no --yes), cancelled, or the store failed";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every limiter subcommand shares: the environment, the store, the output. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        OperatorOptions options;

        @Option(names = "--valkey", paramLabel = "URL",
                description = "A standalone Valkey: redis://host:port or rediss://user:password@host:port (default: $MARKETGATE_VALKEY_URL; with --local the local platform's).")
        String valkey;

        @Option(names = "--valkey-cluster", paramLabel = "HOST:PORT",
                description = {"The environment's Valkey cluster as the Lambdas reach it: its endpoint (the ValkeyStack output",
                    "LimiterValkeyEndpoint; default: $MARKETGATE_VALKEY_CLUSTER), over TLS as the user of --valkey-secret."})
        String valkeyCluster;

        @Option(names = "--valkey-secret", paramLabel = "NAME|ARN",
                description = "The Secrets Manager secret of the cluster's user (default: $MARKETGATE_VALKEY_SECRET, else <env>-limiter-valkey, the CDK app's).")
        String valkeySecret;

        @Option(names = "--valkey-ca", paramLabel = "FILE",
                description = "A PEM file of CA certificates to trust instead of the JVM's (default: $MARKETGATE_VALKEY_CA).")
        String valkeyCa;

        @Option(names = "--limiter-table", paramLabel = "NAME",
                description = {"The DynamoDB table of the markets whose egress group keeps its budgets there (limiterStore: dynamodb,",
                    "e.g. Cafe24) (default: $MARKETGATE_LIMITER_TABLE, else <env>-limiter, the CDK app's; with --local the platform's)."})
        String limiterTable;

        @Option(names = "--dynamodb-endpoint", paramLabel = "URL",
                description = "A DynamoDB-compatible server instead of DynamoDB for --limiter-table (default: $AWS_ENDPOINT_URL_DYNAMODB).")
        String dynamoDbEndpoint;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /**
         * Where the fleet's budgets are: --valkey (a standalone server) or --valkey-cluster (the CDK app's cluster, its
         * user from --valkey-secret, else $MARKETGATE_VALKEY_SECRET, else the CDK app's secret of the environment), else the
         * local platform's with --local, else the variables the Lambdas read ($MARKETGATE_VALKEY_CLUSTER and _SECRET, or
         * $MARKETGATE_VALKEY_URL); each with --valkey-ca or $MARKETGATE_VALKEY_CA.
         */
        StoreLocation storeLocation(EnvironmentConfig env) {
            return storeLocation(env, null);
        }

        /**
         * Where {@code market}'s budgets are: the limiter table when its egress group keeps them in DynamoDB (a dynamic-IP
         * group), else the Valkey of {@link #storeLocation(EnvironmentConfig)}. {@code null}: the Valkey.
         */
        StoreLocation storeLocation(EnvironmentConfig env, String market) {
            if (market != null && onDynamoDb(env, market)) {
                return tableLocation(env);
            }
            Optional<LocalEndpoints> local = options.localEndpoints();
            if (local.isPresent() && valkey == null && valkeyCluster == null) {
                String url = local.get().valkeyUrl().orElseThrow(() -> new IllegalArgumentException("the local platform runs the"
                        + " in-memory limiter store, which only its own JVM can see; install redis-server or valkey-server and"
                        + " restart it to use the limiter commands"));
                return StoreLocation.standalone(url, "the local platform's Valkey", Optional.empty());
            }
            try {
                return fromOptionsOrVariables(env);
            } catch (IllegalArgumentException e) {
                // a malformed option or variable, or two that exclude each other: a usage error, naming it
                throw e instanceof UsageException ? e : new UsageException(e.getMessage(), e);
            }
        }

        /** Whether the market's egress group keeps its budgets in the DynamoDB limiter table. */
        static boolean onDynamoDb(EnvironmentConfig env, String market) {
            return env.infrastructure().filter(i -> i.markets().containsKey(market))
                    .map(i -> i.egressGroup(i.market(market).egressGroup()).limiterStore() == LimiterStoreKind.DYNAMODB)
                    .orElse(false);
        }

        /**
         * The limiter table: the local platform's with --local, else --limiter-table, $MARKETGATE_LIMITER_TABLE or the CDK
         * app's {@code <env>-limiter}, in the environment's region, at --dynamodb-endpoint or $AWS_ENDPOINT_URL_DYNAMODB.
         */
        private StoreLocation tableLocation(EnvironmentConfig env) {
            Function<String, String> variables = System::getenv;
            String name = Optional.ofNullable(limiterTable).or(() -> Optional.ofNullable(blankToNull(variables.apply(StoreLocation.TABLE))))
                    .orElse(env.name() + "-" + CDK_TABLE_SUFFIX);
            if (!StoreLocation.TABLE_NAME.matcher(name).matches()) {
                throw new UsageException("--limiter-table is '" + name + "', must be a DynamoDB table name: 3 to 255 letters, digits,"
                        + " '_', '-' or '.'");
            }
            Optional<LocalEndpoints> local = options.localEndpoints();
            if (local.isPresent() && limiterTable == null && dynamoDbEndpoint == null) {
                return new StoreLocation.Table(env.name() + "-" + CDK_TABLE_SUFFIX, Optional.empty(), Optional.of(local.get().dynamoDb()));
            }
            String endpoint = Optional.ofNullable(dynamoDbEndpoint)
                    .orElseGet(() -> blankToNull(variables.apply(StoreLocation.DYNAMODB_ENDPOINT)));
            Optional<java.net.URI> uri = Optional.empty();
            if (endpoint != null) {
                if (!(endpoint.startsWith("http://") || endpoint.startsWith("https://"))) {
                    throw new UsageException("--dynamodb-endpoint is '" + endpoint + "', must be an http:// or https:// URL");
                }
                uri = Optional.of(java.net.URI.create(endpoint));
            }
            Optional<String> region = env.aws().region().or(() -> Optional.ofNullable(blankToNull(variables.apply(StoreLocation.REGION))));
            return new StoreLocation.Table(name, region, uri);
        }

        private StoreLocation fromOptionsOrVariables(EnvironmentConfig env) {
            Function<String, String> variables = System::getenv;
            Optional<Path> caOption = Optional.ofNullable(valkeyCa).map(f -> StoreLocation.caFile(f, "--valkey-ca"));
            String defaultSecret = env.name() + "-" + CDK_SECRET_SUFFIX;
            if (valkey != null && valkeyCluster != null) {
                throw new IllegalArgumentException("--valkey and --valkey-cluster are both given; pass one: a standalone server or the cluster");
            }
            if (valkey != null || valkeyCluster != null) {
                // an option names the store; the variables may still give its CA and the cluster's secret
                Optional<Path> ca = caOption.or(() -> Optional.ofNullable(blankToNull(variables.apply(StoreLocation.CA)))
                        .map(f -> StoreLocation.caFile(f, StoreLocation.CA)));
                if (valkey != null) {
                    return StoreLocation.standalone(valkey, "--valkey", ca);
                }
                String secret = valkeySecret != null ? valkeySecret
                        : Optional.ofNullable(blankToNull(variables.apply(StoreLocation.SECRET))).orElse(defaultSecret);
                return new StoreLocation.Cluster(StoreLocation.seed(valkeyCluster, "--valkey-cluster"), secret, ca);
            }
            if (valkeySecret != null && blankToNull(variables.apply(StoreLocation.CLUSTER)) == null) {
                throw new IllegalArgumentException("--valkey-secret needs --valkey-cluster (or $" + StoreLocation.CLUSTER + ")");
            }
            // the variables the Lambdas read, opened as they open them
            return StoreLocation.fromVariables(variables, Optional.ofNullable(valkeySecret), Optional.of(defaultSecret), caOption)
                    .orElseThrow(() -> new UsageException("no Valkey to talk to: pass --valkey-cluster HOST:PORT (the deployed"
                            + " cluster) or --valkey URL, set $" + StoreLocation.CLUSTER + " or $" + StoreLocation.URL + ", or use --local"));
        }

        /**
         * Runs {@code action} with live control over {@code budgets}, on a store opened for it and closed after: opened
         * as the Lambdas open it ({@link DeployedStore}, the same key prefix and options), with a longer command timeout.
         */
        <T> T withControl(EnvironmentConfig env, List<Budget> budgets, Function<LimiterControl, T> action) {
            List<String> markets = budgets.stream().map(b -> BudgetName.parse(b.name()).market()).distinct().toList();
            List<StoreLocation> locations = markets.stream().map(m -> storeLocation(env, m)).distinct().toList();
            if (locations.size() != 1) {
                throw new IllegalStateException("the budgets of " + markets + " are in more than one store: " + locations);
            }
            StoreLocation location = locations.get(0);
            LimiterStore store;
            if (location instanceof StoreLocation.Table table && options.localEndpoints().map(LocalEndpoints::dynamoDb)
                    .filter(endpoint -> table.endpoint().equals(Optional.of(endpoint))).isPresent()) {
                // the local platform's table: its DynamoDB takes any credentials, in its one region
                store = DynamoDbLimiterStore.create(DynamoDbLimiterStore.clientBuilder().endpointOverride(table.endpoint().get())
                        .region(OperatorAws.LOCAL_REGION).credentialsProvider(OperatorAws.LOCAL_CREDENTIALS).build(),
                        DynamoDbStoreOptions.table(table.name()).keyPrefix(env.limiter().keyPrefix()).build());
            } else {
                store = DeployedStore.resolve(location,
                        DeployedStore.options(env).commandTimeout(OPERATOR_COMMAND_TIMEOUT).connectTimeout(OPERATOR_CONNECT_TIMEOUT),
                        () -> DeployedStore.secretsManager(env.aws().region().map(Region::of))).open();
            }
            try (PriorityLimiter limiter = PriorityLimiter.builder().budgets(budgets).store(store).build()) {
                return action.apply(limiter.control());
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        /** Prints the budgets' status as text or JSON. */
        void print(EnvironmentConfig env, List<BudgetStatus> statuses, String headline) {
            if (options.json()) {
                Map<String, Object> tree = new LinkedHashMap<>();
                tree.put("environment", env.name());
                if (headline != null) {
                    tree.put("change", headline);
                }
                tree.put("budgets", statuses.stream().map(s -> tree(env, s)).toList());
                OperatorOptions.printJson(out(), tree);
                return;
            }
            PrintWriter out = out();
            if (headline != null) {
                out.println(headline);
            }
            for (BudgetStatus s : statuses) {
                printText(out, env, s);
            }
            out.flush();
        }
    }

    /**
     * What the commands that change the store share: with a deployed environment's store (anything but
     * {@code --local}, {@code dev} included: its fleet and its developers share that store too) the change is shown
     * as a plan and made only once the operator confirms it, or with {@code --yes}; without a terminal and without
     * {@code --yes} it is refused. The local platform is one developer's own, and is changed without a question.
     */
    abstract static class Changing extends Base {
        @Option(names = {"-y", "--yes"}, description = "Apply the change without asking (needed when the input is not a terminal; --local never asks).")
        boolean yes;

        /** Where confirmations are asked; a test answers in the operator's place. */
        Terminal terminal = Terminal.system();

        /**
         * Whether {@code plan} (what the command will do, in the words it prints after) may be applied to
         * {@code env}'s store; prints the plan and asks unless {@code --local} or {@code --yes}. Every input,
         * the store's URL included, has been checked before.
         */
        boolean confirmed(EnvironmentConfig env, String plan) {
            storeLocation(env);   // a bad --valkey or --valkey-cluster is refused before the question, not after the answer
            if (yes || options.local) {
                return true;
            }
            // with --json the plan goes to stderr, so that stdout stays one JSON document
            PrintWriter planOut = options.json() ? spec.commandLine().getErr() : out();
            planOut.println("Plan for the limiter of environment " + env.name() + ":");
            planOut.println("  " + plan);
            planOut.flush();
            if (!terminal.interactive()) {
                throw Terminal.noConfirmation();
            }
            if (terminal.confirm("Apply this change to environment " + env.name() + "?")) {
                return true;
            }
            spec.commandLine().getErr().println("cancelled: nothing was changed");
            return false;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Per budget: usage per priority over the last window, limit, effective limit and override, cool-down, paused priorities.")
    static final class Status extends Base {
        @Option(names = {"-m", "--market"}, description = "Only this market (default: every market of the environment).")
        String market;

        @Option(names = {"-b", "--budget"}, description = "Only this budget of --market: vendor, coupang/vendor, or one instance vendor:V123.")
        String budget;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            List<Budget> budgets = new ArrayList<>();
            if (market == null && budget != null) {
                throw new UsageException("--budget needs --market");
            }
            List<MarketConfig> markets = market != null ? List.of(Inputs.market(env, market)) : List.copyOf(env.markets().values());
            for (MarketConfig m : markets) {
                budgets.addAll(BudgetSelection.of(m, budget));
            }
            // each market's budgets from the store its egress group keeps them in (Valkey, or the DynamoDB table)
            List<BudgetStatus> statuses = new ArrayList<>();
            Map<Boolean, List<Budget>> byStore = budgets.stream().collect(java.util.stream.Collectors.partitioningBy(
                    b -> onDynamoDb(env, BudgetName.parse(b.name()).market())));
            for (List<Budget> some : List.of(byStore.get(false), byStore.get(true))) {
                if (!some.isEmpty()) {
                    statuses.addAll(withControl(env, some, control -> some.stream().map(b -> control.status(b.name())).toList()));
                }
            }
            print(env, statuses, null);
            return 0;
        }
    }

    /** Options of the commands that pause or resume a priority. */
    abstract static class PriorityChange extends Changing {
        @Option(names = {"-m", "--market"}, required = true, description = "The market.")
        String market;

        @Option(names = {"-p", "--priority"}, required = true, description = "HIGH, MEDIUM or LOW.")
        String priority;

        @Option(names = {"-b", "--budget"}, description = {"Only this budget: vendor, coupang/vendor (a per-vendor, -seller or -mall budget: every",
            "instance), or one instance vendor:V123 (default: every budget of the market, every instance included)."})
        String budget;

        static String names(List<Budget> budgets) {
            return String.join(", ", budgets.stream().map(Budget::name).toList());
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Admits nothing of a priority on the market's budgets (or one budget) until --for has passed.",
            exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, CHANGE_FAILED, ExitCodes.USAGE_LINE})
    static final class Pause extends PriorityChange {
        @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long: 15m, 1h, … (more than 0, at most 7d).")
        String duration;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            MarketConfig m = Inputs.market(env, market);
            Priority p = Inputs.priority(priority);
            Duration ttl = Inputs.ttl(duration);
            List<Budget> budgets = BudgetSelection.of(m, budget);
            if (!confirmed(env, "pause " + p + " on " + names(budgets) + " for " + Durations.format(ttl) + everyInstance(m, budgets))) {
                return ExitCodes.FAILED;
            }
            List<BudgetStatus> after = withControl(env, budgets, control -> {
                budgets.forEach(b -> control.pause(b.name(), p, ttl));
                return budgets.stream().map(b -> control.status(b.name())).toList();
            });
            print(env, after, "paused " + p + " on " + names(budgets) + " for " + Durations.format(ttl) + everyInstance(m, budgets));
            return ExitCodes.OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Ends a pause of a priority now.",
            exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, CHANGE_FAILED, ExitCodes.USAGE_LINE})
    static final class Resume extends PriorityChange {
        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            MarketConfig m = Inputs.market(env, market);
            Priority p = Inputs.priority(priority);
            List<Budget> budgets = BudgetSelection.of(m, budget);
            if (!confirmed(env, "resume " + p + " on " + names(budgets) + everyInstance(m, budgets))) {
                return ExitCodes.FAILED;
            }
            List<BudgetStatus> after = withControl(env, budgets, control -> {
                budgets.forEach(b -> control.resume(b.name(), p));
                return budgets.stream().map(b -> control.status(b.name())).toList();
            });
            print(env, after, "resumed " + p + " on " + names(budgets) + everyInstance(m, budgets));
            return ExitCodes.OK;
        }
    }

    @Command(name = "set-limit", mixinStandardHelpOptions = true,
            description = "Uses --limit instead of the configured limit of one budget until --for has passed.",
            exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, CHANGE_FAILED, ExitCodes.USAGE_LINE})
    static final class SetLimit extends Changing {
        @Option(names = {"-m", "--market"}, required = true, description = "The market.")
        String market;

        @Option(names = {"-b", "--budget"}, required = true,
                description = "The budget: vendor, coupang/vendor (a per-vendor, -seller or -mall budget: every instance), or one instance vendor:V123.")
        String budget;

        @Option(names = {"-l", "--limit"}, required = true, description = "Calls per window for the whole fleet (1..1000000000).")
        long limit;

        @Option(names = "--for", required = true, paramLabel = "DURATION", description = "How long: 30m, 2h, … (more than 0, at most 7d).")
        String duration;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            MarketConfig m = Inputs.market(env, market);
            long checkedLimit = Inputs.limit(limit);
            Duration ttl = Inputs.ttl(duration);
            Budget b = BudgetSelection.of(m, budget).get(0);
            if (!confirmed(env, "set the limit of " + b.name() + " to " + checkedLimit + " (configured " + b.limit() + ") for "
                    + Durations.format(ttl) + everyInstance(m, List.of(b)))) {
                return ExitCodes.FAILED;
            }
            BudgetStatus after = withControl(env, List.of(b), control -> {
                control.overrideLimit(b.name(), checkedLimit, ttl);
                return control.status(b.name());
            });
            print(env, List.of(after), "set the limit of " + b.name() + " to " + checkedLimit + " (configured "
                    + b.limit() + ") for " + Durations.format(ttl) + everyInstance(m, List.of(b)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "clear-limit", mixinStandardHelpOptions = true, description = "Goes back to the configured limit of one budget now.",
            exitCodeListHeading = ExitCodes.HEADING, exitCodeList = {ExitCodes.OK_LINE, CHANGE_FAILED, ExitCodes.USAGE_LINE})
    static final class ClearLimit extends Changing {
        @Option(names = {"-m", "--market"}, required = true, description = "The market.")
        String market;

        @Option(names = {"-b", "--budget"}, required = true,
                description = "The budget: vendor, coupang/vendor (a per-vendor, -seller or -mall budget: every instance), or one instance vendor:V123.")
        String budget;

        @Override
        public Integer call() {
            EnvironmentConfig env = options.environment();
            MarketConfig m = Inputs.market(env, market);
            Budget b = BudgetSelection.of(m, budget).get(0);
            if (!confirmed(env, "clear the limit override of " + b.name() + everyInstance(m, List.of(b)))) {
                return ExitCodes.FAILED;
            }
            BudgetStatus after = withControl(env, List.of(b), control -> {
                control.clearOverride(b.name());
                return control.status(b.name());
            });
            print(env, List.of(after), "cleared the limit override of " + b.name() + everyInstance(m, List.of(b)));
            return ExitCodes.OK;
        }
    }

    /** Says which of the changed budgets are per-instance, so that the operator knows every instance follows. */
    private static String everyInstance(MarketConfig market, List<Budget> budgets) {
        List<String> scopes = budgets.stream().flatMap(b -> BudgetSelection.perInstance(market, b).stream())
                .map(c -> c.qualifiedName() + " (every " + c.scope().configName() + ")").toList();
        return scopes.isEmpty() ? "" : "; per-instance budgets apply to each instance: " + String.join(", ", scopes);
    }

    private static void printText(PrintWriter out, EnvironmentConfig env, BudgetStatus s) {
        Budget config = budgetOf(env, s.budget());
        Instant now = s.storeTime();
        out.printf("%s  limit %d per %s, effective %d%n", s.budget(), s.configuredLimit(), Durations.format(config.window()),
                s.effectiveLimit());
        Optional<BudgetConfig> perInstance = perInstance(env, s.budget());
        if (perInstance.isPresent()) {
            String scope = perInstance.get().scope().configName();
            out.printf("  instances    one window per %s; its pauses and override below apply to every %s;"
                    + " usage of one with --budget %s:<%sId>%n", scope, scope, perInstance.get().name(), scope);
        } else {
            StringBuilder usage = new StringBuilder();
            for (Priority p : Priority.values()) {
                usage.append(p).append(' ').append(s.usage().get(p)).append("  ");
            }
            if (s.marketUnits() > 0) {
                // the market's own level above the fleet's calls (followsMarketLevel): other apps' calls, leaving at the budget's rate
                out.printf("  last window  %s+ market %d  (%d of %d)%n", usage, s.marketUnits(), s.totalUsage() + s.marketUnits(),
                        s.effectiveLimit());
            } else {
                out.printf("  last window  %s(%d of %d)%n", usage, s.totalUsage(), s.effectiveLimit());
            }
        }
        out.printf("  override     %s%n", s.overrideLimit().map(l -> "limit " + l + until(s.overrideUntil().orElse(null), now)).orElse("none"));
        out.printf("  cool-down    %s%n", s.coolingDownUntil().map(t -> "cooling down" + until(t, now)).orElse("none"));
        if (s.pausedUntil().isEmpty()) {
            out.println("  paused       none");
        } else {
            s.pausedUntil().forEach((p, t) -> out.printf("  paused       %s%s%n", p, until(t, now)));
        }
    }

    /** The per-instance configured budget {@code name} is ({@code coupang/vendor}); empty for an instance or a fleet-wide budget. */
    private static Optional<BudgetConfig> perInstance(EnvironmentConfig env, String name) {
        if (BudgetName.parse(name).isInstance()) {
            return Optional.empty();
        }
        BudgetConfig config = env.budget(name);
        return config.scope().perInstance() ? Optional.of(config) : Optional.empty();
    }

    /** The configured budget of a status line: the status of {@code cafe24/mall:shop42} has the window of {@code cafe24/mall}. */
    private static Budget budgetOf(EnvironmentConfig env, String name) {
        return env.budget(BudgetName.parse(name).configured().toString()).budget();
    }

    private static String until(Instant until, Instant now) {
        if (until == null) {
            return "";
        }
        return " until " + until.truncatedTo(ChronoUnit.SECONDS) + " (" + remaining(Duration.between(now, until)) + " left)";
    }

    /** {@code 14m 59s}, {@code 2h 0m 5s}, {@code 0s}. */
    static String remaining(Duration d) {
        long s = Math.max(0, d.toSeconds());
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? h + "h " + m + "m " + sec + "s" : m > 0 ? m + "m " + sec + "s" : sec + "s";
    }

    private static Map<String, Object> tree(EnvironmentConfig env, BudgetStatus s) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("budget", s.budget());
        // a per-instance configured budget: its pauses and override apply to every instance; it has no usage of its own
        t.put("perInstance", perInstance(env, s.budget()).map(c -> c.scope().configName()).orElse(null));
        t.put("configuredLimit", s.configuredLimit());
        t.put("effectiveLimit", s.effectiveLimit());
        Map<String, Long> usage = new LinkedHashMap<>();
        s.usage().forEach((p, n) -> usage.put(p.name(), n));
        t.put("usageLastWindow", usage);
        // units that stand for the market's reported level beyond the fleet's own calls (a budget that follows it)
        t.put("marketUnits", s.marketUnits());
        t.put("overrideLimit", s.overrideLimit().orElse(null));
        t.put("overrideUntil", s.overrideUntil().map(Instant::toString).orElse(null));
        Map<String, String> paused = new LinkedHashMap<>();
        s.pausedUntil().forEach((p, until) -> paused.put(p.name(), until.toString()));
        t.put("pausedUntil", paused);
        t.put("coolingDownUntil", s.coolingDownUntil().map(Instant::toString).orElse(null));
        t.put("storeTime", s.storeTime().toString());
        return t;
    }
}
