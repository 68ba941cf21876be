package io.marketgate.config.internal;

import static io.marketgate.config.internal.Presence.OPTIONAL;
import static io.marketgate.config.internal.Presence.REQUIRED;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.AdapterConfig;
import io.marketgate.config.AdapterType;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.ApiConfig;
import io.marketgate.config.AwsConfig;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.BudgetScope;
import io.marketgate.config.CallConfig;
import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.FailureModeKind;
import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.LimiterConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.config.ReferenceRestConfig;
import io.marketgate.config.SecretValue;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.ThrottleRecovery;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Walks the YAML tree of one environment file, section by section, and reports every problem it finds with
 * its path. Each section has a fixed list of keys (a new section or key is added here and to its list); names
 * the author chooses (markets, budgets, calls) are checked against {@link Budget#NAME_PART}.
 *
 * <p>Where the limiter validates a value itself ({@link Budget}, {@link Ceilings}, {@link ThrottleRecovery},
 * {@link Call}), the reader builds the limiter's object and reports the limiter's message at the section's
 * path, so that the rules live in one place. The reader's own checks are only those that name a single field
 * (a limit ≤ 0, a ceiling outside (0, 1]) so that the problem points at that field.
 */
public final class EnvironmentReader {

    /** The keys of an environment file's top mapping. */
    public static final List<String> TOP_KEYS = List.of("environment", "aws", "limiter", "markets", "api", "infrastructure");
    static final List<String> AWS_KEYS = List.of("account", "region");
    static final List<String> LIMITER_KEYS = List.of("keyPrefix", "failureMode");
    static final List<String> MARKET_KEYS = List.of("displayName", "fleetSize", "failureMode", "jitterGuard", "budgets", "calls",
            "adapter");
    static final List<String> BUDGET_KEYS = List.of("scope", "limit", "window", "ceilings", "throttle", "followsMarketLevel",
            "jitterGuard");

    /** A {@code jitterGuard} setting: a fixed guard, or {@code auto} (sized from the measured round trips). */
    private record Guard(Duration fixed, boolean measured) {
        static final Guard AUTO = new Guard(Duration.ZERO, true);
    }
    static final List<String> CEILING_KEYS = List.of("high", "medium", "low");
    static final List<String> THROTTLE_KEYS = List.of("defaultCooldown", "reduceTo", "recoveryStep", "recoveryInterval");
    static final List<String> CALL_KEYS = List.of("budgets");
    static final List<String> ADAPTER_KEYS = List.of(
            "type", "baseUrl", "apiKey", "pageSize", "maxRangePerCall", "requestTimeout", "throttleCodes", "calls",
            "apiVersion", "redirectUri", "scopes");
    /** The adapter keys only a per-mall type ({@link AdapterType#perMall()}) takes. */
    static final List<String> PER_MALL_KEYS = List.of("apiVersion", "redirectUri", "scopes");

    private static final Pattern AWS_ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** Braces would make the prefix a hash tag of its own and put every market into one cluster slot. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[^\\s{}]+");
    private static final Duration MIN_WINDOW = Duration.ofMillis(1);
    private static final Duration MIN_RECOVERY_INTERVAL = Duration.ofMillis(1);
    private static final Duration MIN_RANGE_PER_CALL = Duration.ofSeconds(1);
    private static final Duration MIN_REQUEST_TIMEOUT = Duration.ofMillis(1);
    private static final String API_KEY_FORMS = "a text: ${env:NAME} to read the key from the environment variable NAME, "
            + "or the key itself (for development and simulated markets)";
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([^}]*)}");

    private final Problems problems;

    private EnvironmentReader(Problems problems) {
        this.problems = problems;
    }

    /**
     * Reads the tree of one file; returns the environment when no problem was found (counting those already in
     * {@code problems}), else empty with every problem added to {@code problems}.
     *
     * @param expectedName the file's base name, which {@code environment:} must equal
     */
    public static Optional<EnvironmentConfig> read(JsonNode root, String expectedName, Problems problems) {
        Optional<EnvironmentConfig> config = new EnvironmentReader(problems).environment(root, expectedName);
        return problems.isEmpty() ? config : Optional.empty();
    }

    private Optional<EnvironmentConfig> environment(JsonNode root, String expectedName) {
        Optional<Mapping> top = Mapping.of(root, "", TOP_KEYS, problems);
        if (top.isEmpty()) {
            return Optional.empty();
        }
        Mapping file = top.get();
        int before = problems.count();
        Optional<String> name = file.environmentName("environment", expectedName);
        AwsConfig aws = file.mapping("aws", OPTIONAL, AWS_KEYS).map(this::aws).orElse(AwsConfig.CLI_DEFAULTS);
        Optional<LimiterConfig> limiter = file.mapping("limiter", REQUIRED, LIMITER_KEYS).flatMap(this::limiter);
        FailureModeKind defaultMode = limiter.map(LimiterConfig::defaultFailureMode).orElse(LimiterConfig.DEFAULT_FAILURE_MODE);
        Map<String, MarketConfig> markets = markets(file, defaultMode);
        // the markets' names as written, so that a market with problems of its own is not also reported unknown here
        Set<String> marketNames = marketNames(root);
        Optional<ApiConfig> api = file.mapping("api", OPTIONAL, ApiReader.API_KEYS)
                .map(section -> new ApiReader(problems).read(section, marketNames))
                .orElse(Optional.of(ApiConfig.DEFAULTS));
        Optional<InfrastructureConfig> infrastructure = file.mapping("infrastructure", OPTIONAL, InfrastructureReader.KEYS)
                .flatMap(section -> InfrastructureReader.read(section, markets, marketNames, problems));
        if (api.isPresent() && infrastructure.isPresent()) {
            Duration ttl = api.get().exports().ttl();
            Duration kept = infrastructure.get().exportExpiry();
            if (kept.compareTo(ttl) < 0) {
                problems.add("infrastructure.exports.expireAfter", "must be at least api.exports.ttl (" + Durations.format(ttl)
                        + "): the bucket would delete a result (after " + Durations.format(kept) + ") that a job still offers");
            }
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentConfig(name.orElseThrow(), aws, limiter.orElseThrow(), markets, api.orElseThrow(),
                infrastructure));
    }

    /** Every key under {@code markets:}, valid or not, so that the api and infrastructure sections do not report them again. */
    private static Set<String> marketNames(JsonNode root) {
        Set<String> names = new LinkedHashSet<>();
        JsonNode markets = root.get("markets");
        if (markets != null && markets.isObject()) {
            markets.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private AwsConfig aws(Mapping aws) {
        Optional<String> account = aws.value("account", OPTIONAL, Values.TEXT).flatMap(v -> {
            if (v.isNumber()) {
                aws.problem("account", "must be the 12-digit account id in quotes (an unquoted number loses leading zeros), "
                        + "or null for the CLI's default, was " + Values.describe(v));
                return Optional.empty();
            }
            return Values.text(v, aws.pathOf("account"), problems);
        });
        account.filter(a -> !AWS_ACCOUNT.matcher(a).matches()).ifPresent(a ->
                aws.problem("account", "must be a 12-digit AWS account id, or null for the CLI's default, was '" + a + "'"));
        Optional<String> region = aws.text("region", OPTIONAL);
        region.filter(r -> !AWS_REGION.matcher(r).matches()).ifPresent(r ->
                aws.problem("region", "must be an AWS region such as ap-northeast-2, or null for the CLI's default, was '" + r + "'"));
        return new AwsConfig(account, region);
    }

    private Optional<LimiterConfig> limiter(Mapping limiter) {
        int before = problems.count();
        Optional<String> keyPrefix = limiter.text("keyPrefix", REQUIRED);
        keyPrefix.filter(p -> !KEY_PREFIX.matcher(p).matches()).ifPresent(p -> limiter.problem("keyPrefix",
                "must not contain braces or white space (the limiter adds its own {market} hash tag), was '" + p + "'"));
        FailureModeKind mode = limiter.choice("failureMode", FailureModeKind.class, OPTIONAL)
                .orElse(LimiterConfig.DEFAULT_FAILURE_MODE);
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new LimiterConfig(keyPrefix.orElseThrow(), mode));
    }

    private Map<String, MarketConfig> markets(Mapping file, FailureModeKind defaultMode) {
        Map<String, JsonNode> entries = file.entries("markets", REQUIRED, "markets by name").orElse(Map.of());
        // Budget names of every market first, so that a call may name a budget of a market defined further down.
        // A market whose budgets are not a mapping gets null: its budgets are unknown, not absent.
        Map<String, Set<String>> budgetNames = new LinkedHashMap<>();
        entries.forEach((market, node) -> {
            JsonNode budgets = node.get("budgets");
            Set<String> names = null;
            if (budgets != null && budgets.isObject()) {
                names = new LinkedHashSet<>();
                budgets.fieldNames().forEachRemaining(names::add);
            }
            budgetNames.put(market, names);
        });
        Map<String, MarketConfig> markets = new LinkedHashMap<>();
        entries.forEach((market, node) ->
                market(market, node, defaultMode, budgetNames).ifPresent(m -> markets.put(market, m)));
        return markets;
    }

    private Optional<MarketConfig> market(String name, JsonNode node, FailureModeKind defaultMode, Map<String, Set<String>> budgetNames) {
        String path = Values.child("markets", name);
        int before = problems.count();
        checkName(path, "market", name);
        Optional<Mapping> section = Mapping.of(node, path, MARKET_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping market = section.get();
        String displayName = market.text("displayName", OPTIONAL).orElse(name);
        Optional<Long> fleetSize = market.integer("fleetSize", REQUIRED);
        fleetSize.filter(f -> f < 1).ifPresent(f ->
                market.problem("fleetSize", "must be ≥ 1 (the collector's maximum concurrency), was " + f));
        fleetSize.filter(f -> f > Integer.MAX_VALUE).ifPresent(f ->
                market.problem("fleetSize", "must be ≤ " + Integer.MAX_VALUE + ", was " + f));
        FailureModeKind mode = market.choice("failureMode", FailureModeKind.class, OPTIONAL).orElse(defaultMode);
        Guard marketGuard = jitterGuard(market).orElse(Guard.AUTO);

        Map<String, BudgetConfig> budgets = new LinkedHashMap<>();
        market.entries("budgets", REQUIRED, "budgets by name").ifPresent(entries -> {
            if (entries.isEmpty()) {
                market.problem("budgets", "must define at least one budget: every call of a market draws from one");
            }
            entries.forEach((budget, budgetNode) ->
                    budget(name, budget, budgetNode, marketGuard).ifPresent(b -> budgets.put(budget, b)));
        });
        Map<String, CallConfig> calls = new LinkedHashMap<>();
        Set<String> callNames = new LinkedHashSet<>();
        market.entries("calls", OPTIONAL, "calls by name").ifPresent(entries -> {
            callNames.addAll(entries.keySet());
            entries.forEach((call, callNode) -> call(name, call, callNode, budgetNames).ifPresent(c -> calls.put(call, c)));
        });
        Optional<AdapterConfig> adapter = market.mapping("adapter", OPTIONAL, ADAPTER_KEYS)
                .flatMap(adapterSection -> adapter(name, adapterSection, callNames));
        adapter.filter(a -> a.type() != AdapterType.CAFE24).ifPresent(a -> budgets.values().stream()
                .filter(BudgetConfig::followsMarketLevel)
                .forEach(b -> problems.add(Values.child(Values.child(path, "budgets"), b.name()) + ".followsMarketLevel",
                        "only a budget of a market whose adapter reports its bucket's level (adapter type cafe24) can "
                                + "follow it; this market's adapter is " + a.type().configName())));
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new MarketConfig(name, displayName, fleetSize.orElseThrow().intValue(), mode, budgets, calls, adapter));
    }

    /**
     * A {@code jitterGuard}: {@code auto} (the guard follows the spread p99 − p50 of the market's measured round trips)
     * or a fixed duration from 0s to 1m ({@code 0s} turns it off); empty when absent or wrong (reported).
     */
    private Optional<Guard> jitterGuard(Mapping section) {
        return section.value("jitterGuard", OPTIONAL, "auto or a duration").flatMap(v -> {
            String path = section.pathOf("jitterGuard");
            if (v.isTextual() && v.textValue().strip().equals("auto")) {
                return Optional.of(Guard.AUTO);
            }
            Optional<Duration> fixed = Values.duration(v, path, problems);
            fixed.filter(d -> d.compareTo(Budget.MAX_JITTER_GUARD) > 0).ifPresent(d -> problems.add(path,
                    "must be auto or a duration from 0s to 1m (the largest spread of call delays a guard allows for), was "
                            + Durations.format(d)));
            return fixed.filter(d -> d.compareTo(Budget.MAX_JITTER_GUARD) <= 0).map(d -> new Guard(d, false));
        });
    }

    private Optional<BudgetConfig> budget(String market, String name, JsonNode node, Guard marketGuard) {
        String path = Values.child(Values.child(Values.child("markets", market), "budgets"), name);
        int before = problems.count();
        checkName(path, "budget", name);
        Optional<Mapping> section = Mapping.of(node, path, BUDGET_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping budget = section.get();
        Optional<BudgetScope> scope = budget.choice("scope", BudgetScope.class, REQUIRED);
        Optional<Long> limit = budget.integer("limit", REQUIRED);
        limit.filter(l -> l <= 0).ifPresent(l -> budget.problem("limit", "must be > 0, was " + l));
        Duration window = budget.duration("window", OPTIONAL).orElse(Budget.DEFAULT_WINDOW);
        if (window.compareTo(MIN_WINDOW) < 0 || window.compareTo(Budget.MAX_WINDOW) > 0) {
            budget.problem("window", "must be between " + Durations.format(MIN_WINDOW) + " and "
                    + Budget.MAX_WINDOW.toHours() + "h, was " + Durations.format(window));
        }
        Ceilings ceilings = budget.mapping("ceilings", OPTIONAL, CEILING_KEYS).flatMap(this::ceilings).orElse(Ceilings.DEFAULT);
        ThrottleRecovery recovery = budget.mapping("throttle", OPTIONAL, THROTTLE_KEYS).flatMap(this::throttle)
                .orElse(ThrottleRecovery.DEFAULT);
        boolean followsMarketLevel = budget.bool("followsMarketLevel", OPTIONAL).orElse(false);
        Guard guard = jitterGuard(budget).orElse(marketGuard);
        // A bad market name is reported once, at the market; the limiter would reject it again in every budget.
        if (problems.count() != before || !Budget.NAME_PART.matcher(market).matches()) {
            return Optional.empty();
        }
        String qualified = market + "/" + name;
        return limiterCheck(path, () -> {
            Budget.Builder b = Budget.named(qualified).limit(limit.orElseThrow()).window(window).ceilings(ceilings)
                    .recovery(recovery).jitterGuard(guard.fixed());
            return new BudgetConfig(guard.measured() ? b.measuredJitterGuard().build() : b.build(), scope.orElseThrow(),
                    followsMarketLevel);
        });
    }

    private Optional<Ceilings> ceilings(Mapping ceilings) {
        int before = problems.count();
        double high = fraction(ceilings, "high", Ceilings.DEFAULT.high());
        double medium = fraction(ceilings, "medium", Ceilings.DEFAULT.medium());
        double low = fraction(ceilings, "low", Ceilings.DEFAULT.low());
        if (problems.count() != before) {
            return Optional.empty();
        }
        return limiterCheck(ceilings.path(), () -> new Ceilings(high, medium, low));
    }

    private Optional<ThrottleRecovery> throttle(Mapping throttle) {
        int before = problems.count();
        ThrottleRecovery defaults = ThrottleRecovery.DEFAULT;
        Duration cooldown = throttle.duration("defaultCooldown", OPTIONAL).orElse(defaults.defaultCooldown());
        if (cooldown.isZero()) {
            throttle.problem("defaultCooldown", "must be > 0, was " + Durations.format(cooldown));
        }
        double reduceTo = fraction(throttle, "reduceTo", defaults.reductionFactor());
        double recoveryStep = fraction(throttle, "recoveryStep", defaults.stepFraction());
        Duration interval = throttle.duration("recoveryInterval", OPTIONAL).orElse(defaults.stepInterval());
        if (interval.compareTo(MIN_RECOVERY_INTERVAL) < 0) {
            throttle.problem("recoveryInterval", "must be at least " + Durations.format(MIN_RECOVERY_INTERVAL)
                    + ", was " + Durations.format(interval));
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return limiterCheck(throttle.path(), () -> new ThrottleRecovery(cooldown, reduceTo, recoveryStep, interval));
    }

    private Optional<CallConfig> call(String market, String name, JsonNode node, Map<String, Set<String>> budgetNames) {
        String path = Values.child(Values.child(Values.child("markets", market), "calls"), name);
        int before = problems.count();
        checkName(path, "call", name);
        Optional<Mapping> section = Mapping.of(node, path, CALL_KEYS, problems);
        if (section.isEmpty()) {
            return Optional.empty();
        }
        Mapping call = section.get();
        List<String> budgets = new ArrayList<>();
        call.list("budgets", REQUIRED).ifPresent(references -> {
            if (references.isEmpty()) {
                call.problem("budgets", "must not be empty: a call draws from at least one budget");
            }
            for (int i = 0; i < references.size(); i++) {
                String elementPath = Values.element(call.pathOf("budgets"), i);
                Values.text(references.get(i), elementPath, problems)
                        .filter(reference -> checkReference(elementPath, market, reference, budgetNames))
                        .ifPresent(budgets::add);
            }
        });
        if (problems.count() != before) {
            return Optional.empty();
        }
        // The limiter's Call states the rules of a budget list (one market, no budget twice).
        return limiterCheck(call.pathOf("budgets"), () -> {
            new Call(budgets, Priority.HIGH, 1);
            return new CallConfig(market, name, budgets);
        });
    }

    /**
     * The {@code adapter} section. {@code callNames} are the keys under the market's {@code calls}, valid or not,
     * so that a call with a problem of its own is not reported again as unknown here.
     */
    private Optional<AdapterConfig> adapter(String market, Mapping adapter, Set<String> callNames) {
        int before = problems.count();
        Optional<AdapterType> type = adapter.choice("type", AdapterType.class, REQUIRED);
        if (type.isPresent() && type.get() != AdapterType.REFERENCE_REST) {
            return marketApi(market, type.get(), adapter, callNames);
        }
        refusePerMallKeys(adapter, AdapterType.REFERENCE_REST);
        Optional<URI> baseUrl = adapter.httpUrl("baseUrl", REQUIRED, "http://127.0.0.1:8601/coupang");
        Optional<SecretValue> apiKey = apiKey(adapter);
        Optional<Long> pageSize = adapter.integer("pageSize", OPTIONAL);
        pageSize.filter(n -> n < 1 || n > ReferenceRestConfig.MAX_PAGE_SIZE).ifPresent(n -> adapter.problem("pageSize",
                "must be between 1 and " + ReferenceRestConfig.MAX_PAGE_SIZE + ", was " + n));
        Duration maxRange = adapter.duration("maxRangePerCall", OPTIONAL).orElse(ReferenceRestConfig.DEFAULT_MAX_RANGE_PER_CALL);
        if (maxRange.compareTo(MIN_RANGE_PER_CALL) < 0 || maxRange.compareTo(ReferenceRestConfig.MAX_RANGE_PER_CALL) > 0) {
            adapter.problem("maxRangePerCall", "must be between " + Durations.format(MIN_RANGE_PER_CALL) + " and "
                    + Durations.format(ReferenceRestConfig.MAX_RANGE_PER_CALL) + ", was " + Durations.format(maxRange));
        }
        Duration timeout = adapter.duration("requestTimeout", OPTIONAL).orElse(ReferenceRestConfig.DEFAULT_REQUEST_TIMEOUT);
        if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 || timeout.compareTo(ReferenceRestConfig.MAX_REQUEST_TIMEOUT) > 0) {
            adapter.problem("requestTimeout", "must be between " + Durations.format(MIN_REQUEST_TIMEOUT) + " and "
                    + Durations.format(ReferenceRestConfig.MAX_REQUEST_TIMEOUT) + ", was " + Durations.format(timeout));
        }
        List<String> throttleCodes = throttleCodes(adapter);
        Map<String, String> operations = operations(market, adapter, callNames);
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new ReferenceRestConfig(baseUrl.orElseThrow(), apiKey.orElseThrow(),
                pageSize.orElse((long) ReferenceRestConfig.DEFAULT_PAGE_SIZE).intValue(), maxRange, timeout, throttleCodes,
                operations));
    }

    /** The {@code adapter} section of a market's own protocol: no key (sellers register theirs), the protocol's limits. */
    private Optional<AdapterConfig> marketApi(String market, AdapterType type, Mapping adapter, Set<String> callNames) {
        int before = problems.count();
        for (String key : List.of("apiKey", "throttleCodes")) {
            if (adapter.value(key, OPTIONAL, "absent").isPresent()) {
                adapter.problem(key, "is not a setting of type " + type.configName() + (key.equals("apiKey")
                        ? ": each seller registers its own credentials (POST /v1/sellers, marketgate sellers add)"
                        : ": the adapter knows the market's throttle signals"));
            }
        }
        URI baseUrl = type.perMall()
                ? mallUrlTemplate(adapter, "baseUrl").orElse(type.defaultBaseUrl())
                : adapter.httpUrl("baseUrl", OPTIONAL, type.defaultBaseUrl().toString()).orElse(type.defaultBaseUrl());
        Optional<String> apiVersion = Optional.empty();
        Optional<URI> redirectUri = Optional.empty();
        List<String> scopes = List.of();
        if (type.perMall()) {
            apiVersion = Optional.of(adapter.text("apiVersion", OPTIONAL).map(String::strip).orElse(MarketApiConfig.DEFAULT_API_VERSION));
            apiVersion.filter(v -> !MarketApiConfig.API_VERSION.matcher(v).matches()).ifPresent(v -> adapter.problem("apiVersion",
                    "must be a date yyyy-MM-dd (the version of the market's API the adapter speaks), was '" + v + "'"));
            redirectUri = adapter.httpUrl("redirectUri", OPTIONAL, "https://api.example.com/v1/connections/callback");
            scopes = scopes(adapter);
        } else {
            refusePerMallKeys(adapter, type);
        }
        long pageSize = type.defaultPageSize();
        if (!type.paged()) {
            if (adapter.value("pageSize", OPTIONAL, "absent").isPresent()) {
                adapter.problem("pageSize", "is not a setting of type " + type.configName()
                        + ": the market answers a time range whole, without pages");
            }
        } else {
            pageSize = adapter.integer("pageSize", OPTIONAL).orElse((long) type.defaultPageSize());
            if (pageSize < 1 || pageSize > type.maxPageSize()) {
                adapter.problem("pageSize", "must be between 1 and " + type.maxPageSize() + " (the market's largest page), was " + pageSize);
            }
        }
        Duration maxRange = adapter.duration("maxRangePerCall", OPTIONAL).orElse(type.defaultRangePerCall());
        if (maxRange.compareTo(MIN_RANGE_PER_CALL) < 0 || maxRange.compareTo(type.maxRangePerCall()) > 0) {
            adapter.problem("maxRangePerCall", "must be between " + Durations.format(MIN_RANGE_PER_CALL) + " and "
                    + Durations.format(type.maxRangePerCall()) + " (the market's longest range per call), was " + Durations.format(maxRange));
        }
        Duration timeout = adapter.duration("requestTimeout", OPTIONAL).orElse(ReferenceRestConfig.DEFAULT_REQUEST_TIMEOUT);
        if (timeout.compareTo(MIN_REQUEST_TIMEOUT) < 0 || timeout.compareTo(ReferenceRestConfig.MAX_REQUEST_TIMEOUT) > 0) {
            adapter.problem("requestTimeout", "must be between " + Durations.format(MIN_REQUEST_TIMEOUT) + " and "
                    + Durations.format(ReferenceRestConfig.MAX_REQUEST_TIMEOUT) + ", was " + Durations.format(timeout));
        }
        Map<String, String> operations = new LinkedHashMap<>();
        List<String> allowed = new ArrayList<>(type.requiredCalls());
        allowed.addAll(type.optionalCalls());
        adapter.mapping("calls", REQUIRED, allowed).ifPresent(calls -> {
            for (String operation : allowed) {
                calls.text(operation, type.requiredCalls().contains(operation) ? REQUIRED : OPTIONAL)
                        .ifPresent(c -> operations.put(operation, c));
            }
            operations.forEach((operation, call) -> {
                if (!callNames.contains(call)) {
                    calls.problem(operation, Messages.unknownCall(market, call, callNames)
                            + " (each operation draws from the budgets of one of the market's calls)");
                }
            });
        });
        if (type.perMall()) {
            for (Map.Entry<String, List<String>> need : new java.util.TreeMap<>(MarketApiConfig.SCOPES_BY_OPERATION).entrySet()) {
                if (operations.containsKey(need.getKey()) && !scopes.containsAll(need.getValue())) {
                    adapter.problem("scopes", "must include " + String.join(" and ", need.getValue()) + " when calls."
                            + need.getKey() + " is set (the consent must grant what the call needs), was " + scopes);
                }
            }
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new MarketApiConfig(type, baseUrl, (int) pageSize, maxRange, timeout, operations, apiVersion,
                redirectUri, scopes));
    }

    /** Refuses the keys of per-mall types in the section of {@code type}, which has one API for every seller. */
    private static void refusePerMallKeys(Mapping adapter, AdapterType type) {
        for (String key : PER_MALL_KEYS) {
            if (adapter.value(key, OPTIONAL, "absent").isPresent()) {
                adapter.problem(key, "is not a setting of type " + type.configName() + ": only a market with one API per "
                        + "mall, whose owners connect it by consent (cafe24), has it");
            }
        }
    }

    /**
     * A per-mall base URL: an http(s) URL with {@code {mallId}} exactly once, in the host or the path, checked as a URL
     * with a mall's id in its place; held percent-encoded ({@link MarketApiConfig#MALL_ID_ENCODED}).
     */
    private static Optional<URI> mallUrlTemplate(Mapping adapter, String key) {
        return adapter.text(key, OPTIONAL).map(String::strip).flatMap(template -> {
            String rule = "must be an http or https URL with " + MarketApiConfig.MALL_ID_PLACEHOLDER + " exactly once, in the "
                    + "host or the path, and without query, fragment or user info, such as https://{mallId}.cafe24api.com/api/v2 "
                    + "or http://127.0.0.1:8604/cafe24/{mallId}/api/v2, was '" + template + "'";
            String encoded = template.replace(MarketApiConfig.MALL_ID_PLACEHOLDER, MarketApiConfig.MALL_ID_ENCODED);
            int count = encoded.split(Pattern.quote(MarketApiConfig.MALL_ID_ENCODED), -1).length - 1;
            URI sample;
            try {
                sample = new URI(encoded.replace(MarketApiConfig.MALL_ID_ENCODED, "mall"));
            } catch (java.net.URISyntaxException e) {
                adapter.problem(key, rule);
                return Optional.empty();
            }
            String scheme = sample.getScheme() == null ? "" : sample.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (count != 1 || !(scheme.equals("http") || scheme.equals("https")) || sample.getHost() == null
                    || sample.getRawQuery() != null || sample.getRawFragment() != null || sample.getRawUserInfo() != null) {
                adapter.problem(key, rule);
                return Optional.empty();
            }
            while (encoded.endsWith("/")) {
                encoded = encoded.substring(0, encoded.length() - 1);
            }
            return Optional.of(URI.create(encoded));
        });
    }

    /** {@code adapter.scopes}: the scopes a mall's consent asks for; by default read and write orders. */
    private List<String> scopes(Mapping adapter) {
        List<String> scopes = new ArrayList<>();
        Optional<List<JsonNode>> given = adapter.list("scopes", OPTIONAL);
        if (given.isEmpty()) {
            return MarketApiConfig.DEFAULT_SCOPES;
        }
        List<JsonNode> elements = given.get();
        for (int i = 0; i < elements.size(); i++) {
            String path = Values.element(adapter.pathOf("scopes"), i);
            Values.text(elements.get(i), path, problems).map(String::strip).ifPresent(scope -> {
                if (!MarketApiConfig.SCOPE.matcher(scope).matches()) {
                    problems.add(path, "must be a scope such as mall.read_order, was '" + scope + "'");
                } else if (scopes.contains(scope)) {
                    problems.add(path, "scope '" + scope + "' is listed twice");
                } else {
                    scopes.add(scope);
                }
            });
        }
        if (!scopes.contains("mall.read_order")) {
            adapter.problem("scopes", "must include mall.read_order (collecting orders reads them), was " + scopes);
        }
        return scopes;
    }

    /** Never quotes the value: it may be the key itself. */
    private Optional<SecretValue> apiKey(Mapping adapter) {
        Optional<JsonNode> node = adapter.value("apiKey", REQUIRED, API_KEY_FORMS);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        String path = adapter.pathOf("apiKey");
        if (!node.get().isTextual()) {
            adapter.problem("apiKey", "must be " + API_KEY_FORMS + " (a key of digits only goes in quotes)");
            return Optional.empty();
        }
        String text = node.get().textValue().strip();
        if (text.isEmpty()) {
            adapter.problem("apiKey", "must not be empty");
            return Optional.empty();
        }
        java.util.regex.Matcher reference = ENV_REFERENCE.matcher(text);
        if (reference.matches()) {
            String variable = reference.group(1);
            if (!SecretValue.VARIABLE.matcher(variable).matches()) {
                adapter.problem("apiKey", "${env:NAME} needs NAME to be letters, digits and '_', not starting with a digit, was '"
                        + variable + "'");
                return Optional.empty();
            }
            return Optional.of(new SecretValue.FromEnvironment(variable, problems.file(), path));
        }
        if (text.contains("${")) {
            adapter.problem("apiKey", "must be exactly ${env:NAME}, or a key without '${'; no other ${...} form is resolved");
            return Optional.empty();
        }
        return Optional.of(new SecretValue.Literal(text, problems.file(), path));
    }

    private List<String> throttleCodes(Mapping adapter) {
        List<String> codes = new ArrayList<>();
        adapter.list("throttleCodes", OPTIONAL).ifPresent(elements -> {
            for (int i = 0; i < elements.size(); i++) {
                String path = Values.element(adapter.pathOf("throttleCodes"), i);
                JsonNode element = elements.get(i);
                if (element.isNumber()) {
                    problems.add(path, "must be a text in quotes, such as \"004\" (an unquoted number loses leading zeros), was "
                            + Values.describe(element));
                    continue;
                }
                Values.text(element, path, problems).map(String::strip).ifPresent(code -> {
                    if (codes.contains(code)) {
                        problems.add(path, "code '" + code + "' is listed twice");
                    } else {
                        codes.add(code);
                    }
                });
            }
        });
        return codes;
    }

    /** {@code adapter.calls}: operation → the market's call whose budgets the operation draws from. */
    private Map<String, String> operations(String market, Mapping adapter, Set<String> callNames) {
        Map<String, String> operations = new LinkedHashMap<>();
        adapter.mapping("calls", REQUIRED, ReferenceRestConfig.OPERATIONS).ifPresent(calls -> {
            calls.text(ReferenceRestConfig.LIST_ORDERS, REQUIRED).ifPresent(c -> operations.put(ReferenceRestConfig.LIST_ORDERS, c));
            calls.text(ReferenceRestConfig.SHIP_ORDER, OPTIONAL).ifPresent(c -> operations.put(ReferenceRestConfig.SHIP_ORDER, c));
            calls.text(ReferenceRestConfig.GET_ORDER, OPTIONAL).ifPresent(c -> operations.put(ReferenceRestConfig.GET_ORDER, c));
            for (String operation : ReferenceRestConfig.OPERATIONS.subList(3, ReferenceRestConfig.OPERATIONS.size())) {
                calls.text(operation, OPTIONAL).ifPresent(c -> operations.put(operation, c));
            }
            operations.forEach((operation, call) -> {
                if (!callNames.contains(call)) {
                    calls.problem(operation, Messages.unknownCall(market, call, callNames)
                            + " (each operation draws from the budgets of one of the market's calls)");
                }
            });
        });
        return operations;
    }

    /** Whether {@code reference} names an existing budget of the call's own market; reports why not. */
    private boolean checkReference(String path, String callMarket, String reference, Map<String, Set<String>> budgetNames) {
        BudgetName name;
        try {
            name = BudgetName.parse(reference);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return false;
        }
        String market = name.market();
        if (name.isInstance()) {
            problems.add(path, reference + " names one instance of " + name.configured() + "; a call names the configured"
                    + " budget, and the adapter draws from the seller's or mall's instance of it");
            return false;
        }
        String budget = name.budget();
        if (!budgetNames.containsKey(market)) {
            problems.add(path, "unknown market '" + market + "' in " + reference + "; markets: " + Messages.list(budgetNames.keySet()));
            return false;
        }
        if (!market.equals(callMarket)) {
            problems.add(path, reference + " is a budget of market " + market + ", but this is a call of market " + callMarket
                    + "; a call draws from its own market's budgets only (one store hash tag per call)");
            return false;
        }
        Set<String> known = budgetNames.get(market);
        if (known != null && !known.contains(budget)) {
            problems.add(path, "unknown budget '" + budget + "' of market " + market + "; its budgets: " + Messages.list(known));
            return false;
        }
        return true;
    }

    private double fraction(Mapping section, String key, double defaultValue) {
        Optional<Double> value = section.number(key, OPTIONAL);
        value.filter(v -> !(v > 0.0 && v <= 1.0)).ifPresent(v -> section.problem(key, "must be in (0, 1], was " + v));
        return value.orElse(defaultValue);
    }

    private void checkName(String path, String what, String name) {
        checkName(problems, path, what, name);
    }

    /** Reports a name the author chose (market, budget, call, egress group, schedule) that is not a {@link Budget#NAME_PART}. */
    static void checkName(Problems problems, String path, String what, String name) {
        if (!Budget.NAME_PART.matcher(name).matches()) {
            problems.add(path, what + " name '" + name + "' must be 1 to 63 lower-case letters, digits, '-', '_' or '.', "
                    + "starting with a letter or digit");
        }
    }

    /** Builds a limiter object, reporting the limiter's own message at {@code path} when it rejects the values. */
    private <T> Optional<T> limiterCheck(String path, Supplier<T> build) {
        try {
            return Optional.of(build.get());
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }
}
