package io.marketgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.marketgate.config.ConfigException;
import io.marketgate.config.ConfigProblem;
import io.marketgate.config.Durations;
import io.marketgate.limiter.Priority;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and validates a scenario file. Every problem is collected and reported at once as a
 * {@link ConfigException} of {@code file: path: rule} lines, as the environment loader does.
 *
 * <pre>{@code
 * name: scheduler-spike
 * environment: dev            # environments/dev.yaml gives budgets, fleet sizes and adapters
 * timeScale: 60               # 60 scenario seconds per real second (a 10 min period runs in 10 s)
 * seed: 42                    # orders at the simulated markets
 * maxDuration: 5m             # real time; the run stops and counts what is open as lost
 * queues: {visibilityTimeout: 3m, maxReceiveCount: 10}   # optional: overrides the environment's deployed queues
 * markets:
 *   coupang: {sellers: 300, ordersPerHour: 2}
 *   naver: {sellers: 60, revokeTokensAt: [5m]}   # the simulated Naver revokes every token it issued at 5m
 *   11st: {sellers: 100, baseUrl: http://127.0.0.1:9000/11st, apiKey: k}   # not simulated: any base URL
 *   cafe24:                     # the simulated Cafe24's malls' connections (markets on Cafe24's protocol only):
 *     sellers: 40
 *     expireAccessTokensAt: [3m]                     # every mall's access tokens expire
 *     revokeRefreshTokensAt: [{at: 5m, malls: 3}]    # the last 3 malls not revoked yet lose the app (on purpose)
 *     tokenEndpointOutages: [{from: 13m, to: 14m, status: 503}]   # the token endpoint answers 503 meanwhile
 *     orderLifecycle: {minStage: 1s, maxStage: 3s, cancelledPercent: 10}   # orders move paid → … → final (real time)
 *     latency: {p50: 80ms, p99: 300ms, slowPercent: 1, slow: 2s}   # network delay per request (real time; simulated only)
 * schedules:
 *   - {at: 0s, markets: [coupang, 11st], kind: ORDERS, lookback: 10m, spreadOver: 10m, priority: MEDIUM}
 *   - {at: 10m, every: 10m, until: 60m, track: unfinished, maxAge: 1h, spreadOver: 5m}   # tracking runs at LOW
 *     # every/until repeat a schedule; lookback and maxAge are real time (the markets' clock is not compressed)
 * collectors:                 # optional: overrides of the environment's collectors for this run
 *   coupang: {maxConcurrency: 20, inFlight: 10}   # 20 instances, each collecting 10 messages of its batch at once
 * faults:                     # each from/to in scenario time; a simulated market's faults (market: a simulated market)
 *   - {type: serverErrors, market: coupang, from: 10s, to: 40s, rate: 0.5, status: 503}   # rate default 1, status 503
 *   - {type: timeouts, market: coupang, from: 10s, to: 40s, rate: 0.3, delay: 30s}   # answered (and done) after delay
 *   - {type: hang, market: coupang, from: 10s, to: 40s}          # accepted, unanswered until 40s, then 503
 *   - {type: latency, market: coupang, from: 10s, to: 40s, p50: 100ms, p99: 800ms}   # latency with jitter
 *   - {type: storm429, market: coupang, from: 10s, to: 40s, rate: 1, retryAfter: 2s}  # throttled whatever the budgets
 *   - {type: penaltyBlock, market: coupang, from: 10s, to: 40s}  # the market's penalty answer until 40s
 *   - {type: ipRejected, egressGroup: fixed-ip, from: 10s, to: 40s, pause: 20s}   # or market: M; the market's 403
 *     # for our IP; pause: how long the handlers then pause its budgets (default as deployed, 10m)
 *   - {type: malformed, market: coupang, from: 10s, to: 40s, rate: 0.2}   # a 200 whose JSON breaks off
 *   - {type: credentialRevoked, market: coupang, from: 10s, to: 40s}      # 401 for every authenticated call
 *     # the platform's faults:
 *   - {type: valkeyPaused, from: 10s, to: 25s}       # SIGSTOP of the limiter's Valkey, SIGCONT at 25s
 *   - {type: valkeyRestarted, from: 10s, to: 25s}    # SIGKILL at 10s, started empty on the same port at 25s
 *   - {type: collectorKilled, market: coupang, from: 0s, to: 60s, afterMessages: 2, times: 3}   # batches die unacknowledged
 *   - {type: duplicateDeliveries, from: 0s, to: 60s, share: 0.2}   # market: M optional; messages delivered twice
 *   - {type: clockSkew, market: coupang, from: 0s, to: 60s, skewSeconds: -30}   # one instance's clock 30 s behind
 *   - {type: clusterFailover, from: 30s, to: 60s, market: coupang, mode: kill, nodeTimeout: 2s}
 *     # the limiter's store and the markets' tokens on a Valkey CLUSTER (3 masters, 1 replica each) instead of one
 *     # standalone Valkey (the platform starts one for a scenario with this fault; --store memory is refused): the
 *     # master serving coupang's budgets (without market: the one serving most of the scenario's markets) is killed
 *     # (SIGKILL) at 30s and its replica promoted after nodeTimeout (cluster-node-timeout, default 2s, 500ms..60s); at
 *     # 60s it is started on its port, empty, and rejoins as the new master's replica. mode: manual (default kill)
 *     # switches gracefully instead (CLUSTER FAILOVER on the replica at 30s, on the former master at 60s). At most one
 *     # per scenario, not with valkeyPaused or valkeyRestarted (which act on the standalone Valkey).
 * actions:
 *   - {market: coupang, count: 20, from: 1m, to: 8m}                       # HIGH ship-order actions
 *   - {market: cafe24, type: reply-review, count: 5, from: 1m, to: 8m}    # or answer-inquiry; ship-order by default
 * }</pre>
 */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "environment", "timeScale", "seed", "maxDuration", "queues", "markets",
            "schedules", "actions", "collectors", "faults");
    private static final Set<String> MARKET = Set.of("sellers", "ordersPerHour", "baseUrl", "apiKey", "penalty", "revokeTokensAt",
            "expireAccessTokensAt", "revokeRefreshTokensAt", "tokenEndpointOutages", "orderLifecycle", "latency");
    private static final Set<String> SCHEDULE = Set.of("at", "every", "until", "markets", "kind", "lookback", "spreadOver",
            "priority", "track", "maxAge");
    private static final Set<String> ACTION = Set.of("market", "type", "count", "from", "to");
    /** SQS's longest message delay, which bounds a fan-out's spread. */
    static final Duration MAX_SPREAD = Duration.ofMinutes(15);

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ScenarioLoader(Path file) {
        this.file = file;
    }

    /** Loads {@code file}; {@code knownMarkets} are the environment's markets with an adapter section. */
    public static Scenario load(Path file, Set<String> knownMarkets) {
        return new ScenarioLoader(file).read(knownMarkets);
    }

    /** The {@code environment} a scenario file names (default {@code dev}), read before the full validation needs it. */
    public static String environmentOf(Path file) {
        try {
            JsonNode root = YAML.readTree(Files.readString(file));
            JsonNode env = root == null ? null : root.get("environment");
            return env == null || !env.isTextual() || env.asText().isBlank() ? "dev" : env.asText();
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, "", "cannot be read: " + e.getMessage())));
        }
    }

    private Scenario read(Set<String> knownMarkets) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file, "", "cannot be read: " + e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of(new ConfigProblem(file, "", "must be a YAML mapping")));
        }
        unknownKeys(root, "", TOP);
        String name = text(root, "name", "", false).orElse(file.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
        String environment = text(root, "environment", "", false).orElse("dev");
        double timeScale = root.has("timeScale") ? number(root.get("timeScale"), "timeScale", 1, 3600) : 1.0;
        long seed = root.has("seed") ? (long) number(root.get("seed"), "seed", 0, Long.MAX_VALUE) : 1L;
        Duration maxDuration = duration(root, "maxDuration", "", Duration.ofMinutes(10));
        if (maxDuration.isZero()) {
            problem("maxDuration", "must be > 0");
        }

        Scenario.QueueSetup queues = Scenario.QueueSetup.AS_DEPLOYED;
        JsonNode q = root.get("queues");
        if (q != null && !q.isObject()) {
            problem("queues", "must be {visibilityTimeout: DURATION, maxReceiveCount: N}");
        } else if (q != null) {
            unknownKeys(q, "queues", Set.of("visibilityTimeout", "maxReceiveCount"));
            Optional<Duration> visibility = Optional.empty();
            if (q.has("visibilityTimeout")) {
                Duration v = duration(q, "visibilityTimeout", "queues", null);   // null: not a duration (reported)
                if (v != null && (v.isZero() || v.compareTo(Duration.ofHours(12)) > 0 || v.toMillis() % 1000 != 0)) {
                    problem("queues.visibilityTimeout", "must be whole seconds, 1s to 12h (SQS's range)");
                }
                visibility = Optional.ofNullable(v);
            }
            Optional<Integer> maxReceives = q.has("maxReceiveCount")
                    ? Optional.of((int) number(q.get("maxReceiveCount"), "queues.maxReceiveCount", 1, 1000)) : Optional.empty();
            queues = new Scenario.QueueSetup(visibility, maxReceives);
        }

        Map<String, Scenario.MarketSetup> markets = new LinkedHashMap<>();
        JsonNode ms = root.get("markets");
        if (ms == null || !ms.isObject() || ms.isEmpty()) {
            problem("markets", "must map at least one market to its setup");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext();) {
                var e = it.next();
                String p = "markets." + e.getKey();
                if (!knownMarkets.contains(e.getKey())) {
                    problem(p, "is not a market of environment '" + environment + "' with an adapter; known: "
                            + knownMarkets.stream().sorted().toList());
                    continue;
                }
                markets.put(e.getKey(), market(e.getKey(), e.getValue(), p));
            }
        }

        List<Scenario.ScheduleSpike> schedules = new ArrayList<>();
        JsonNode ss = root.get("schedules");
        if (ss != null && !ss.isArray()) {
            problem("schedules", "must be a list");
        } else if (ss != null) {
            for (int i = 0; i < ss.size(); i++) {
                schedules.addAll(schedule(ss.get(i), "schedules[" + i + "]", markets.keySet()));
            }
        }
        List<Scenario.ActionBurst> actions = new ArrayList<>();
        JsonNode as = root.get("actions");
        if (as != null && !as.isArray()) {
            problem("actions", "must be a list");
        } else if (as != null) {
            for (int i = 0; i < as.size(); i++) {
                actions.add(action(as.get(i), "actions[" + i + "]", markets));
            }
        }
        if (schedules.isEmpty() && actions.isEmpty()) {
            problem("", "needs at least one schedule or action");
        }
        Map<String, Scenario.CollectorSetup> collectors = collectors(root.get("collectors"), markets.keySet());
        List<Scenario.Fault> faults = new ArrayList<>();
        JsonNode fs = root.get("faults");
        if (fs != null && !fs.isArray()) {
            problem("faults", "must be a list of {type: T, from: DURATION, to: DURATION, ...}");
        } else if (fs != null) {
            for (int i = 0; i < fs.size(); i++) {
                Scenario.Fault f = fault(fs.get(i), i, markets);
                if (f != null) {
                    faults.add(f);
                }
            }
            storeFaults(faults);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Scenario(file, name, environment, timeScale, seed, maxDuration, queues, markets, schedules, actions,
                collectors, faults);
    }

    /**
     * {@code collectors.<m>: {maxConcurrency, inFlight}} of the scenario's markets: 2 to 1000 instances (an SQS event
     * source's range), 1 to 10 messages at once (a batch's most; the run checks it against the market's batch size).
     */
    private Map<String, Scenario.CollectorSetup> collectors(JsonNode n, Set<String> markets) {
        Map<String, Scenario.CollectorSetup> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        if (!n.isObject()) {
            problem("collectors", "must map markets to {maxConcurrency: N, inFlight: N}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            var e = it.next();
            String p = "collectors." + e.getKey();
            if (!markets.contains(e.getKey())) {
                problem(p, "'" + e.getKey() + "' is not under markets: " + markets);
                continue;
            }
            JsonNode c = e.getValue();
            if (c == null || !c.isObject() || c.isEmpty()) {
                problem(p, "must be {maxConcurrency: N, inFlight: N} with at least one of them");
                continue;
            }
            unknownKeys(c, p, Set.of("maxConcurrency", "inFlight"));
            Optional<Integer> instances = c.has("maxConcurrency")
                    ? Optional.of((int) number(c.get("maxConcurrency"), p + ".maxConcurrency", 2, 1000)) : Optional.empty();
            Optional<Integer> inFlight = c.has("inFlight")
                    ? Optional.of((int) number(c.get("inFlight"), p + ".inFlight", 1, 10)) : Optional.empty();
            out.put(e.getKey(), new Scenario.CollectorSetup(instances, inFlight));
        }
        return out;
    }

    /** The keys each fault type takes besides {@code type}, {@code from} and {@code to}. */
    static final Map<String, Set<String>> FAULT_KEYS = faultKeys();

    private static Map<String, Set<String>> faultKeys() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("serverErrors", Set.of("market", "rate", "status"));
        m.put("timeouts", Set.of("market", "rate", "delay"));
        m.put("hang", Set.of("market"));
        m.put("latency", Set.of("market", "p50", "p99"));
        m.put("storm429", Set.of("market", "rate", "retryAfter"));
        m.put("penaltyBlock", Set.of("market"));
        m.put("ipRejected", Set.of("market", "egressGroup", "pause"));
        m.put("malformed", Set.of("market", "rate"));
        m.put("credentialRevoked", Set.of("market"));
        m.put("valkeyPaused", Set.of());
        m.put("valkeyRestarted", Set.of());
        m.put("clusterFailover", Set.of("market", "mode", "nodeTimeout"));
        m.put("collectorKilled", Set.of("market", "afterMessages", "times"));
        m.put("duplicateDeliveries", Set.of("market", "share"));
        m.put("clockSkew", Set.of("market", "skewSeconds"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** One item of {@code faults}; null when it is too broken to build (the problems are recorded). */
    private Scenario.Fault fault(JsonNode n, int i, Map<String, Scenario.MarketSetup> markets) {
        String p = "faults[" + i + "]";
        if (n == null || !n.isObject()) {
            problem(p, "must be a mapping {type: T, from: DURATION, to: DURATION, ...}");
            return null;
        }
        Optional<String> typeText = text(n, "type", p, true);
        if (typeText.isEmpty()) {
            return null;
        }
        String type = typeText.get();
        Set<String> keys = FAULT_KEYS.get(type);
        if (keys == null) {
            problem(p + ".type", "must be one of " + String.join(", ", FAULT_KEYS.keySet()) + ", was '" + type + "'");
            return null;
        }
        Set<String> allowed = new java.util.HashSet<>(keys);
        allowed.addAll(Set.of("type", "from", "to"));
        unknownKeys(n, p, allowed);
        if (!n.has("from")) {
            problem(p + ".from", "is required (scenario time at which the fault starts)");
        }
        if (!n.has("to")) {
            problem(p + ".to", "is required (scenario time at which the fault ends)");
        }
        Duration from = duration(n, "from", p, Duration.ZERO);
        Duration to = duration(n, "to", p, from);
        if (n.has("from") && n.has("to") && to.compareTo(from) <= 0) {
            problem(p + ".to", "must be after from (" + Durations.format(from) + "), was " + Durations.format(to));
        }
        String market = null;
        if (keys.contains("market")) {
            boolean optional = type.equals("duplicateDeliveries") || type.equals("ipRejected") || type.equals("clusterFailover");
            Optional<String> m = text(n, "market", p, !optional && !n.has("egressGroup"));
            if (m.isPresent()) {
                market = m.get();
                Scenario.MarketSetup setup = markets.get(market);
                if (setup == null) {
                    problem(p + ".market", "'" + market + "' is not under markets: " + markets.keySet());
                } else if (!setup.simulated() && !type.equals("collectorKilled") && !type.equals("duplicateDeliveries")
                        && !type.equals("clockSkew") && !type.equals("clusterFailover")) {
                    problem(p + ".market", "'" + market + "' is at a base URL of its own; " + type
                            + " applies only to a simulated market");
                }
            }
        }
        return switch (type) {
            case "serverErrors" -> marketSide(i, from, to, market, () -> new io.marketgate.marketsim.MarketFault.ServerErrors(
                    rate(n, p, "rate"), n.has("status") ? (int) number(n.get("status"), p + ".status", 500, 599) : 503));
            case "timeouts" -> {
                double rate = rate(n, p, "rate");
                Duration delay = duration(n, "delay", p, Duration.ofSeconds(30));
                if (delay.isZero()) {
                    problem(p + ".delay", "must be > 0 (how late the market answers; longer than the client's timeout)");
                    yield null;
                }
                yield marketSide(i, from, to, market, () -> new io.marketgate.marketsim.MarketFault.Timeouts(rate, delay));
            }
            case "hang" -> marketSide(i, from, to, market, io.marketgate.marketsim.MarketFault.Hang::new);
            case "latency" -> {
                if (!n.has("p50")) {
                    problem(p + ".p50", "is required (the median latency, such as 100ms)");
                }
                if (!n.has("p99")) {
                    problem(p + ".p99", "is required (the 99th percentile latency, such as 800ms)");
                }
                Duration p50 = duration(n, "p50", p, Duration.ZERO);
                Duration p99 = duration(n, "p99", p, p50);
                if (n.has("p50") && p50.isZero()) {
                    problem(p + ".p50", "must be > 0");
                }
                if (p99.compareTo(p50) < 0) {
                    problem(p + ".p99", "must be ≥ p50 (" + Durations.format(p50) + "), was " + Durations.format(p99));
                    yield null;
                }
                if (market == null || p50.isZero()) {
                    yield null;
                }
                yield new Scenario.LatencyFault(i, from, to, market, io.marketgate.marketsim.Latency.of(p50, p99));
            }
            case "storm429" -> {
                double rate = rate(n, p, "rate");
                Duration retryAfter = duration(n, "retryAfter", p, Duration.ofSeconds(1));
                if (retryAfter.isZero()) {
                    problem(p + ".retryAfter", "must be > 0 (the wait the market's 429 asks for)");
                    yield null;
                }
                yield marketSide(i, from, to, market, () -> new io.marketgate.marketsim.MarketFault.Storm429(rate, retryAfter));
            }
            case "penaltyBlock" -> marketSide(i, from, to, market, io.marketgate.marketsim.MarketFault.PenaltyBlock::new);
            case "ipRejected" -> {
                Optional<String> group = text(n, "egressGroup", p, false);
                if (group.isPresent() == (market != null || n.has("market"))) {
                    problem(p, "needs exactly one of market (one market refuses our IP) and egressGroup (every market of "
                            + "the scenario in that egress group refuses it)");
                    yield null;
                }
                Optional<Duration> pause = n.has("pause") ? Optional.ofNullable(duration(n, "pause", p, null)) : Optional.empty();
                if (pause.isPresent() && (pause.get().isZero() || pause.get().compareTo(Duration.ofDays(7)) > 0)) {
                    problem(p + ".pause", "must be > 0 and at most 7d (the limiter's longest pause)");
                    yield null;
                }
                if (group.isPresent()) {
                    yield new Scenario.EgressRejected(i, from, to, group.get(), pause);
                }
                yield market == null ? null : new Scenario.MarketSide(i, from, to, market, new io.marketgate.marketsim.MarketFault.IpRejected(), pause);
            }
            case "malformed" -> marketSide(i, from, to, market, () -> new io.marketgate.marketsim.MarketFault.Malformed(
                    rate(n, p, "rate")));
            case "credentialRevoked" -> marketSide(i, from, to, market, io.marketgate.marketsim.MarketFault.CredentialRevoked::new);
            case "valkeyPaused" -> new Scenario.ValkeyPaused(i, from, to);
            case "valkeyRestarted" -> new Scenario.ValkeyRestarted(i, from, to);
            case "clusterFailover" -> {
                Scenario.FailoverMode mode = Scenario.FailoverMode.KILL;
                Optional<String> modeText = text(n, "mode", p, false);
                if (modeText.isPresent()) {
                    switch (modeText.get()) {
                        case "kill" -> mode = Scenario.FailoverMode.KILL;
                        case "manual" -> mode = Scenario.FailoverMode.MANUAL;
                        default -> problem(p + ".mode", "must be kill (SIGKILL of the master; its replica takes over after "
                                + "nodeTimeout) or manual (CLUSTER FAILOVER on its replica), was '" + modeText.get() + "'");
                    }
                }
                Duration nodeTimeout = duration(n, "nodeTimeout", p, Scenario.ClusterFailover.DEFAULT_NODE_TIMEOUT);
                if (nodeTimeout != null && (nodeTimeout.toMillis() < 500 || nodeTimeout.toMillis() > 60_000)) {
                    problem(p + ".nodeTimeout", "must be 500ms to 60s (the cluster's cluster-node-timeout), was "
                            + Durations.format(nodeTimeout));
                    yield null;
                }
                if (n.has("market") && market == null) {
                    yield null;
                }
                yield nodeTimeout == null ? null
                        : new Scenario.ClusterFailover(i, from, to, Optional.ofNullable(market), mode, nodeTimeout);
            }
            case "collectorKilled" -> {
                int after = n.has("afterMessages") ? (int) number(n.get("afterMessages"), p + ".afterMessages", 0, 9) : 1;
                int times = n.has("times") ? (int) number(n.get("times"), p + ".times", 1, 1000) : 1;
                yield market == null ? null : new Scenario.CollectorKilled(i, from, to, market, after, times);
            }
            case "duplicateDeliveries" -> {
                if (!n.has("share")) {
                    problem(p + ".share", "is required (the share of messages delivered twice, in (0, 1])");
                    yield null;
                }
                double share = rate(n, p, "share");
                yield new Scenario.DuplicateDeliveries(i, from, to, Optional.ofNullable(market), share);
            }
            case "clockSkew" -> {
                if (!n.has("skewSeconds")) {
                    problem(p + ".skewSeconds", "is required (seconds the instance's clock is off: ahead > 0, behind < 0)");
                    yield null;
                }
                double skew = number(n.get("skewSeconds"), p + ".skewSeconds", -3600, 3600);
                if (skew == 0) {
                    problem(p + ".skewSeconds", "must not be 0 (a skew of nothing is no fault)");
                    yield null;
                }
                yield market == null ? null : new Scenario.ClockSkew(i, from, to, market, Duration.ofMillis((long) (skew * 1000)));
            }
            default -> throw new IllegalStateException("fault type without a reader: " + type);
        };
    }

    /**
     * A scenario with a {@code clusterFailover} runs the limiter's store on a cluster: it has one, whose node timeout the
     * whole run uses, and no fault of the standalone Valkey.
     */
    private void storeFaults(List<Scenario.Fault> faults) {
        Scenario.Fault failover = null;
        for (Scenario.Fault f : faults) {
            if (f instanceof Scenario.ClusterFailover) {
                if (failover != null) {
                    problem("faults[" + f.index() + "].type", "only one clusterFailover per scenario (the cluster has one "
                            + "node timeout, and one failed master at a time); faults[" + failover.index() + "] is one already");
                } else {
                    failover = f;
                }
            }
        }
        if (failover == null) {
            return;
        }
        for (Scenario.Fault f : faults) {
            if (f instanceof Scenario.ValkeyPaused || f instanceof Scenario.ValkeyRestarted) {
                problem("faults[" + f.index() + "].type", f.type() + " acts on the standalone Valkey, but faults["
                        + failover.index() + "] (clusterFailover) runs the limiter's store on a cluster; put them in two scenarios");
            }
        }
    }

    /** A share in (0, 1], default 1 when the key is absent. */
    private double rate(JsonNode n, String p, String key) {
        if (!n.has(key)) {
            return 1.0;
        }
        double r = number(n.get(key), p + "." + key, 0, 1);
        if (r == 0 && n.get(key).isNumber() && n.get(key).asDouble() == 0) {
            problem(p + "." + key, "must be in (0, 1] (a share of 0 is no fault)");
            return 1.0;
        }
        return r == 0 ? 1.0 : r;   // 0: out of range, reported
    }

    private Scenario.Fault marketSide(int i, Duration from, Duration to, String market,
            java.util.function.Supplier<io.marketgate.marketsim.MarketFault> fault) {
        if (market == null) {
            return null;
        }
        try {
            return new Scenario.MarketSide(i, from, to, market, fault.get(), Optional.empty());
        } catch (IllegalArgumentException e) {
            problem("faults[" + i + "]", e.getMessage());
            return null;
        }
    }

    private Scenario.MarketSetup market(String market, JsonNode n, String p) {
        if (n == null || !n.isObject()) {
            problem(p, "must be a mapping with at least 'sellers'");
            return new Scenario.MarketSetup(market, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of());
        }
        unknownKeys(n, p, MARKET);
        int sellers = n.has("sellers") ? (int) number(n.get("sellers"), p + ".sellers", 1, 100_000) : missing(p + ".sellers");
        int ordersPerHour = n.has("ordersPerHour") ? (int) number(n.get("ordersPerHour"), p + ".ordersPerHour", 0, 499) : 2;
        Optional<URI> baseUrl = text(n, "baseUrl", p, false).flatMap(u -> {
            try {
                URI uri = URI.create(u);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    problem(p + ".baseUrl", "must be an http or https URL, was '" + u + "'");
                }
                return Optional.of(uri);
            } catch (IllegalArgumentException e) {
                problem(p + ".baseUrl", "is not a URL: " + e.getMessage());
                return Optional.empty();
            }
        });
        Optional<String> apiKey = text(n, "apiKey", p, false);
        Optional<Integer> penaltyAfter = Optional.empty();
        Optional<Duration> penaltyBlock = Optional.empty();
        JsonNode pen = n.get("penalty");
        if (pen != null) {
            if (!pen.isObject()) {
                problem(p + ".penalty", "must be {after: N, block: DURATION}");
            } else {
                unknownKeys(pen, p + ".penalty", Set.of("after", "block"));
                penaltyAfter = Optional.of((int) number(pen.get("after"), p + ".penalty.after", 1, 1_000_000));
                penaltyBlock = Optional.of(duration(pen, "block", p + ".penalty", Duration.ofMinutes(1)));
            }
        }
        if (baseUrl.isPresent() && pen != null) {
            problem(p + ".penalty", "applies only to a simulated market; remove it or baseUrl");
        }
        List<Duration> revokeTokensAt = new ArrayList<>();
        JsonNode revoke = n.get("revokeTokensAt");
        if (revoke != null) {
            if (!revoke.isArray()) {
                problem(p + ".revokeTokensAt", "must be a list of scenario times, such as [5m]");
            } else {
                for (int i = 0; i < revoke.size(); i++) {
                    String at = p + ".revokeTokensAt[" + i + "]";
                    try {
                        revokeTokensAt.add(Durations.parse(revoke.get(i).asText()));
                    } catch (IllegalArgumentException e) {
                        problem(at, e.getMessage());
                    }
                }
            }
            if (baseUrl.isPresent()) {
                problem(p + ".revokeTokensAt", "applies only to a simulated market; remove it or baseUrl");
            }
        }
        Scenario.ConnectionEvents connections = connectionEvents(n, p, sellers);
        if (baseUrl.isPresent() && connections.any()) {
            problem(p, "expireAccessTokensAt, revokeRefreshTokensAt and tokenEndpointOutages apply only to a simulated market; "
                    + "remove them or baseUrl");
        }
        io.marketgate.marketsim.OrderLifecycle lifecycle = io.marketgate.marketsim.OrderLifecycle.NONE;
        JsonNode lc = n.get("orderLifecycle");
        if (lc != null) {
            String lp = p + ".orderLifecycle";
            if (!lc.isObject()) {
                problem(lp, "must be {minStage: DURATION, maxStage: DURATION, cancelledPercent: N}");
            } else {
                unknownKeys(lc, lp, Set.of("minStage", "maxStage", "cancelledPercent"));
                Duration min = duration(lc, "minStage", lp, Duration.ZERO);
                Duration max = duration(lc, "maxStage", lp, min);
                int cancelled = lc.has("cancelledPercent") ? (int) number(lc.get("cancelledPercent"), lp + ".cancelledPercent", 0, 100) : 0;
                if (min.isZero()) {
                    problem(lp + ".minStage", "is required and must be > 0 (how long an order stays in a stage at least, real time)");
                } else if (max.compareTo(min) < 0) {
                    problem(lp + ".maxStage", "must be ≥ minStage (" + Durations.format(min) + "), was " + Durations.format(max));
                } else {
                    lifecycle = io.marketgate.marketsim.OrderLifecycle.stages(min, max, cancelled);
                }
            }
            if (baseUrl.isPresent()) {
                problem(lp, "applies only to a simulated market; remove it or baseUrl");
            }
        }
        io.marketgate.marketsim.Latency latency = latency(n, p);
        if (baseUrl.isPresent() && n.has("latency")) {
            problem(p + ".latency", "applies only to a simulated market; remove it or baseUrl");
        }
        return new Scenario.MarketSetup(market, sellers, ordersPerHour, baseUrl, apiKey, penaltyAfter, penaltyBlock,
                revokeTokensAt, connections, lifecycle, latency);
    }

    /**
     * A market's {@code latency: {p50, p99, slowPercent, slow}}: p50 required, p99 defaults to p50 (a fixed delay),
     * slowPercent (0..100) needs slow. Each error names its key.
     */
    private io.marketgate.marketsim.Latency latency(JsonNode n, String p) {
        JsonNode l = n.get("latency");
        if (l == null) {
            return io.marketgate.marketsim.Latency.NONE;
        }
        String lp = p + ".latency";
        if (!l.isObject()) {
            problem(lp, "must be {p50: DURATION, p99: DURATION, slowPercent: N, slow: DURATION}");
            return io.marketgate.marketsim.Latency.NONE;
        }
        unknownKeys(l, lp, Set.of("p50", "p99", "slowPercent", "slow"));
        int before = problems.size();
        Duration p50 = duration(l, "p50", lp, null);
        if (p50 == null && !l.has("p50")) {
            problem(lp + ".p50", "is required (the median network delay of a request's round trip, such as 80ms)");
        }
        Duration p99 = duration(l, "p99", lp, p50);
        double slowPercent = l.has("slowPercent") ? number(l.get("slowPercent"), lp + ".slowPercent", 0, 100) : 0;
        Duration slow = duration(l, "slow", lp, Duration.ZERO);
        if (l.has("slowPercent") && !l.has("slow")) {
            problem(lp + ".slow", "is required with slowPercent (what a slow answer adds, such as 2s)");
        }
        if (p50 != null && p99 != null) {
            if (p99.compareTo(p50) < 0) {
                problem(lp + ".p99", "must be ≥ p50 (" + Durations.format(p50) + "), was " + Durations.format(p99));
            } else if (p50.isZero() && !p99.isZero()) {
                problem(lp + ".p50", "must be > 0 when p99 is > 0 (a log-normal delay has no median of 0)");
            }
        }
        if (problems.size() > before || p50 == null || p99 == null || slow == null) {
            return io.marketgate.marketsim.Latency.NONE;
        }
        return new io.marketgate.marketsim.Latency(p50, p99, slowPercent / 100, slow);
    }

    /** The connection events of a simulated Cafe24: each list's errors name the key and the item. */
    private Scenario.ConnectionEvents connectionEvents(JsonNode n, String p, int sellers) {
        List<Duration> expire = new ArrayList<>();
        JsonNode e = n.get("expireAccessTokensAt");
        if (e != null) {
            if (!e.isArray()) {
                problem(p + ".expireAccessTokensAt", "must be a list of scenario times, such as [3m]");
            } else {
                for (int i = 0; i < e.size(); i++) {
                    try {
                        expire.add(Durations.parse(e.get(i).asText()));
                    } catch (IllegalArgumentException ex) {
                        problem(p + ".expireAccessTokensAt[" + i + "]", ex.getMessage());
                    }
                }
            }
        }
        List<Scenario.MallRevocation> revocations = new ArrayList<>();
        JsonNode r = n.get("revokeRefreshTokensAt");
        if (r != null) {
            if (!r.isArray()) {
                problem(p + ".revokeRefreshTokensAt", "must be a list of {at: DURATION, malls: N}, such as [{at: 5m, malls: 3}]");
            } else {
                for (int i = 0; i < r.size(); i++) {
                    String item = p + ".revokeRefreshTokensAt[" + i + "]";
                    JsonNode it = r.get(i);
                    if (!it.isObject()) {
                        problem(item, "must be {at: DURATION, malls: N}");
                        continue;
                    }
                    unknownKeys(it, item, Set.of("at", "malls"));
                    if (!it.has("at")) {
                        problem(item + ".at", "is required");
                    }
                    Duration at = duration(it, "at", item, Duration.ZERO);
                    int malls = it.has("malls") ? (int) number(it.get("malls"), item + ".malls", 1, 100_000) : missing(item + ".malls");
                    revocations.add(new Scenario.MallRevocation(at, malls));
                }
                int revoked = revocations.stream().mapToInt(Scenario.MallRevocation::malls).sum();
                if (sellers > 0 && revoked > sellers) {
                    problem(p + ".revokeRefreshTokensAt", "revokes " + revoked + " malls in all, more than the market's "
                            + sellers + " sellers");
                }
            }
        }
        List<Scenario.TokenOutage> outages = new ArrayList<>();
        JsonNode o = n.get("tokenEndpointOutages");
        if (o != null) {
            if (!o.isArray()) {
                problem(p + ".tokenEndpointOutages", "must be a list of {from: DURATION, to: DURATION, status: 5xx}");
            } else {
                for (int i = 0; i < o.size(); i++) {
                    String item = p + ".tokenEndpointOutages[" + i + "]";
                    JsonNode it = o.get(i);
                    if (!it.isObject()) {
                        problem(item, "must be {from: DURATION, to: DURATION, status: 5xx}");
                        continue;
                    }
                    unknownKeys(it, item, Set.of("from", "to", "status"));
                    if (!it.has("from") || !it.has("to")) {
                        problem(item, "needs from and to");
                    }
                    Duration from = duration(it, "from", item, Duration.ZERO);
                    Duration to = duration(it, "to", item, from);
                    if (it.has("from") && it.has("to") && to.compareTo(from) <= 0) {
                        problem(item + ".to", "must be after from (" + Durations.format(from) + ")");
                    }
                    int status = it.has("status") ? (int) number(it.get("status"), item + ".status", 500, 599) : 503;
                    outages.add(new Scenario.TokenOutage(from, to, status));
                }
            }
        }
        return new Scenario.ConnectionEvents(expire, revocations, outages);
    }

    /** One schedule item: one firing, or with {@code every} (and {@code until}, default {@code at}) one per period. */
    private List<Scenario.ScheduleSpike> schedule(JsonNode n, String p, Set<String> markets) {
        Scenario.ScheduleSpike first = firing(n, p, markets);
        if (first == null || !n.has("every")) {
            if (first != null && n.has("until")) {
                problem(p + ".until", "is taken only with every");
            }
            return first == null ? List.of() : List.of(first);
        }
        Duration every = duration(n, "every", p, Duration.ZERO);
        Duration until = duration(n, "until", p, first.at());
        if (every.isZero()) {
            problem(p + ".every", "must be > 0");
            return List.of(first);
        }
        if (until.compareTo(first.at()) < 0) {
            problem(p + ".until", "must be ≥ at (" + Durations.format(first.at()) + "), was " + Durations.format(until));
            return List.of(first);
        }
        List<Scenario.ScheduleSpike> out = new ArrayList<>();
        for (Duration at = first.at(); at.compareTo(until) <= 0; at = at.plus(every)) {
            out.add(new Scenario.ScheduleSpike(at, first.markets(), first.kind(), first.lookback(), first.spreadOver(),
                    first.priority(), first.trackUnfinishedFor()));
        }
        return out;
    }

    private Scenario.ScheduleSpike firing(JsonNode n, String p, Set<String> markets) {
        if (n == null || !n.isObject()) {
            problem(p, "must be a mapping");
            return null;
        }
        unknownKeys(n, p, SCHEDULE);
        Duration at = duration(n, "at", p, Duration.ZERO);
        List<String> ms = new ArrayList<>();
        JsonNode list = n.get("markets");
        if (list == null) {
            ms.addAll(markets);
        } else if (!list.isArray() || list.isEmpty()) {
            problem(p + ".markets", "must be a non-empty list of the scenario's markets");
        } else {
            for (int i = 0; i < list.size(); i++) {
                String m = list.get(i).asText();
                if (!markets.contains(m)) {
                    problem(p + ".markets[" + i + "]", "'" + m + "' is not under markets: " + markets);
                }
                ms.add(m);
            }
        }
        String kind = text(n, "kind", p, false).orElse("ORDERS");
        if (java.util.Arrays.stream(io.marketgate.market.DataKind.values()).noneMatch(k -> k.name().equals(kind))) {
            problem(p + ".kind", "must be one of " + java.util.Arrays.stream(io.marketgate.market.DataKind.values())
                    .map(Enum::name).toList() + " (a kind the markets offer; the fan-out refuses another naming the market), was '"
                    + kind + "'");
        } else if (n.has("track") && !kind.equals("ORDERS")) {
            problem(p + ".kind", "must be ORDERS with track (only orders are followed one by one), was '" + kind + "'");
        }
        Duration lookback = duration(n, "lookback", p, Duration.ofMinutes(10));
        Duration spread = duration(n, "spreadOver", p, Duration.ofMinutes(10));
        if (lookback.isZero()) {
            problem(p + ".lookback", "must be > 0");
        }
        if (spread.compareTo(MAX_SPREAD) > 0) {
            problem(p + ".spreadOver", "must be at most 15m (SQS's longest message delay), was " + Durations.format(spread));
        }
        Priority priority = Priority.MEDIUM;
        Optional<String> pr = text(n, "priority", p, false);
        if (pr.isPresent()) {
            try {
                priority = Priority.parse(pr.get());
            } catch (IllegalArgumentException e) {
                problem(p + ".priority", e.getMessage());
            }
        }
        Optional<Duration> track = Optional.empty();
        Optional<String> trackKey = text(n, "track", p, false);
        if (trackKey.isPresent()) {
            if (!trackKey.get().equals("unfinished")) {
                problem(p + ".track", "must be unfinished (follow each unfinished order until it is final), was '" + trackKey.get() + "'");
            }
            if (n.has("lookback")) {
                problem(p + ".lookback", "is not taken with track: a tracking run re-collects each tracked order, not a range");
            }
            if (!n.has("maxAge")) {
                problem(p + ".maxAge", "is required with track: how long (real time) an order is followed before it is given up");
            }
            Duration maxAge = duration(n, "maxAge", p, Duration.ofDays(14));
            if (maxAge.isZero()) {
                problem(p + ".maxAge", "must be > 0");
            }
            track = Optional.of(maxAge);
            if (pr.isEmpty()) {
                priority = Priority.LOW;
            }
        } else if (n.has("maxAge")) {
            problem(p + ".maxAge", "is taken only with track: unfinished");
        }
        return new Scenario.ScheduleSpike(at, List.copyOf(ms), kind, lookback, spread, priority, track);
    }

    private Scenario.ActionBurst action(JsonNode n, String p, Map<String, Scenario.MarketSetup> markets) {
        if (n == null || !n.isObject()) {
            problem(p, "must be a mapping");
            return null;
        }
        unknownKeys(n, p, ACTION);
        String market = text(n, "market", p, true).orElse("");
        String typeName = text(n, "type", p, false).orElse(Scenario.ActionBurst.SHIP_ORDER);
        if (!Scenario.ActionBurst.TYPES.contains(typeName)) {
            problem(p + ".type", "must be one of " + String.join(", ", Scenario.ActionBurst.TYPES) + ", was '" + typeName + "'");
        }
        if (!market.isEmpty() && !markets.containsKey(market)) {
            problem(p + ".market", "'" + market + "' is not under markets: " + markets.keySet());
        } else if (!market.isEmpty() && typeName.equals(Scenario.ActionBurst.SHIP_ORDER) && markets.get(market).ordersPerHour() == 0) {
            problem(p + ".market", "'" + market + "' has ordersPerHour 0, so there is no order to ship");
        }
        int count = n.has("count") ? (int) number(n.get("count"), p + ".count", 1, 100_000) : missing(p + ".count");
        Duration from = duration(n, "from", p, Duration.ZERO);
        Duration to = duration(n, "to", p, from);
        if (to.compareTo(from) < 0) {
            problem(p + ".to", "must not be before from (" + Durations.format(from) + ")");
        }
        return new Scenario.ActionBurst(market, typeName, count, from, to);
    }

    private int missing(String path) {
        problem(path, "is required");
        return 0;
    }

    private Optional<String> text(JsonNode n, String field, String parent, boolean required) {
        JsonNode v = n.get(field);
        String path = parent.isEmpty() ? field : parent + "." + field;
        if (v == null || v.isNull()) {
            if (required) {
                problem(path, "is required");
            }
            return Optional.empty();
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            problem(path, "must be a non-empty text");
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    private double number(JsonNode v, String path, double min, double max) {
        if (v == null || !v.isNumber()) {
            problem(path, "must be a number in " + fmt(min) + ".." + fmt(max) + (v == null ? ", is missing" : ", was '" + v.asText() + "'"));
            return min;
        }
        double d = v.asDouble();
        if (d < min || d > max) {
            problem(path, "must be in " + fmt(min) + ".." + fmt(max) + ", was " + v.asText());
            return min;
        }
        return d;
    }

    private Duration duration(JsonNode n, String field, String parent, Duration fallback) {
        JsonNode v = n.get(field);
        String path = parent.isEmpty() ? field : parent + "." + field;
        if (v == null || v.isNull()) {
            return fallback;
        }
        try {
            Duration d = Durations.parse(v.asText());
            if (d.isNegative()) {
                problem(path, "must not be negative");
                return fallback;
            }
            return d;
        } catch (RuntimeException e) {
            problem(path, e.getMessage());
            return fallback;
        }
    }

    private void unknownKeys(JsonNode n, String parent, Set<String> allowed) {
        n.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                problem(parent.isEmpty() ? k : parent + "." + k, "is not a known field; allowed: " + allowed.stream().sorted().toList());
            }
        });
    }

    private void problem(String path, String rule) {
        problems.add(new ConfigProblem(file, path, rule));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
