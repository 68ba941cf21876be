package io.marketgate.local;

import io.marketgate.limiter.Priority;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulation run, as {@code scenarios/*.yaml} describes it (see {@link ScenarioLoader} for the format).
 *
 * @param timeScale how many scenario seconds pass per real second: schedule periods, fan-out spreads and action
 *                  times shrink by it; the markets' rate limits do not
 * @param maxDuration real time after which the run stops even if requests are still open (they count as lost)
 * @param collectors per market, overrides of the environment's collector ({@code infrastructure.markets.<m>.collector})
 *                   for this run: how many instances, how many messages each collects at once
 * @param faults     faults on purpose, each from a scenario time to another ({@link Fault})
 */
public record Scenario(
        Path file,
        String name,
        String environment,
        double timeScale,
        long seed,
        Duration maxDuration,
        QueueSetup queues,
        Map<String, MarketSetup> markets,
        List<ScheduleSpike> schedules,
        List<ActionBurst> actions,
        Map<String, CollectorSetup> collectors,
        List<Fault> faults) {

    public Scenario {
        collectors = Map.copyOf(collectors);
        faults = List.copyOf(faults);
    }

    /** A scenario that runs the collectors as the environment deploys them, without faults. */
    public Scenario(Path file, String name, String environment, double timeScale, long seed, Duration maxDuration,
            QueueSetup queues, Map<String, MarketSetup> markets, List<ScheduleSpike> schedules, List<ActionBurst> actions) {
        this(file, name, environment, timeScale, seed, maxDuration, queues, markets, schedules, actions, Map.of(), List.of());
    }

    /** A scenario with overrides of its collectors, without faults. */
    public Scenario(Path file, String name, String environment, double timeScale, long seed, Duration maxDuration,
            QueueSetup queues, Map<String, MarketSetup> markets, List<ScheduleSpike> schedules, List<ActionBurst> actions,
            Map<String, CollectorSetup> collectors) {
        this(file, name, environment, timeScale, seed, maxDuration, queues, markets, schedules, actions, collectors, List.of());
    }

    /** A scenario with faults, its collectors as the environment deploys them. */
    public Scenario(Path file, String name, String environment, double timeScale, long seed, Duration maxDuration,
            QueueSetup queues, Map<String, MarketSetup> markets, List<ScheduleSpike> schedules, List<ActionBurst> actions,
            List<Fault> faults) {
        this(file, name, environment, timeScale, seed, maxDuration, queues, markets, schedules, actions, Map.of(), faults);
    }

    /**
     * Overrides of one market's collector for a run ({@code collectors.<m>}): {@code maxConcurrency} instances (the
     * event source's maximum concurrency), each collecting up to {@code inFlight} messages of its batch at once.
     */
    public record CollectorSetup(Optional<Integer> maxConcurrency, Optional<Integer> inFlight) {
        public CollectorSetup {
            java.util.Objects.requireNonNull(maxConcurrency, "maxConcurrency");
            java.util.Objects.requireNonNull(inFlight, "inFlight");
        }
    }

    /**
     * The same scenario with one call in flight per collector instance (today's collector, before issue 22): every
     * market's collector {@code inFlight} is 1, everything else as the scenario says; named {@code <name>-baseline}.
     */
    public Scenario baseline() {
        Map<String, CollectorSetup> one = new java.util.LinkedHashMap<>();
        for (String market : markets.keySet()) {
            Optional<Integer> instances = Optional.ofNullable(collectors.get(market)).flatMap(CollectorSetup::maxConcurrency);
            one.put(market, new CollectorSetup(instances, Optional.of(1)));
        }
        return new Scenario(file, name + "-baseline", environment, timeScale, seed, maxDuration, queues, markets, schedules,
                actions, one, faults);
    }

    /**
     * A fault of the run, from scenario time {@code from} until {@code to} (see {@link ScenarioLoader} for the format):
     * a market's ({@link MarketSide}, {@link LatencyFault}, {@link EgressRejected}) or the platform's (the others).
     * {@code index} is its place in the file's {@code faults} list, for messages.
     */
    public sealed interface Fault {
        Duration from();

        Duration to();

        int index();

        /** The {@code type} the scenario names it by. */
        String type();

        /** The market it is on, or empty for one of the whole platform. */
        default Optional<String> market() {
            return Optional.empty();
        }
    }

    /**
     * A market answers badly in the window: {@code fault} is the simulator's ({@code market-sim}'s
     * {@link io.marketgate.marketsim.MarketFault}); {@code pause} only for an IP rejection, as {@link EgressRejected}'s.
     */
    public record MarketSide(int index, Duration from, Duration to, String onMarket, io.marketgate.marketsim.MarketFault fault,
            Optional<Duration> pause) implements Fault {
        @Override
        public String type() {
            return fault.type();
        }

        @Override
        public Optional<String> market() {
            return Optional.of(onMarket);
        }
    }

    /** The market's network delay is {@code latency} (p50/p99, log-normal jitter) in the window, then as configured again. */
    public record LatencyFault(int index, Duration from, Duration to, String onMarket, io.marketgate.marketsim.Latency latency)
            implements Fault {
        @Override
        public String type() {
            return "latency";
        }

        @Override
        public Optional<String> market() {
            return Optional.of(onMarket);
        }
    }

    /**
     * Every market of the scenario in egress group {@code egressGroup} refuses our IP address in the window; {@code pause}:
     * how long the handlers pause a market's budgets after such a refusal (empty: as deployed, 10 min).
     */
    public record EgressRejected(int index, Duration from, Duration to, String egressGroup, Optional<Duration> pause)
            implements Fault {
        @Override
        public String type() {
            return "ipRejected";
        }
    }

    /** The limiter's Valkey is stopped (SIGSTOP) at {@code from} and continued (SIGCONT) at {@code to}. */
    public record ValkeyPaused(int index, Duration from, Duration to) implements Fault {
        @Override
        public String type() {
            return "valkeyPaused";
        }
    }

    /** The limiter's Valkey is killed (SIGKILL) at {@code from} and started at {@code to} on the same port, empty. */
    public record ValkeyRestarted(int index, Duration from, Duration to) implements Fault {
        @Override
        public String type() {
            return "valkeyRestarted";
        }
    }

    /**
     * A master of the limiter's Valkey cluster fails over at {@code from}: the master that serves the budgets of
     * {@code onMarket} (empty: the master serving most of the scenario's markets' budgets). {@link FailoverMode#KILL}:
     * it is killed (SIGKILL) and the cluster promotes its replica after {@code nodeTimeout}; at {@code to} it is started
     * again on its port, empty, and rejoins as the new master's replica. {@link FailoverMode#MANUAL}: its replica takes
     * over gracefully ({@code CLUSTER FAILOVER}) and at {@code to} it takes its slots back the same way. A scenario
     * with this fault runs the limiter's store on a cluster of three masters with a replica each, whose
     * {@code cluster-node-timeout} is {@code nodeTimeout}.
     */
    public record ClusterFailover(int index, Duration from, Duration to, Optional<String> onMarket, FailoverMode mode,
            Duration nodeTimeout) implements Fault {
        /** The {@code nodeTimeout} when the scenario names none: short, so that a local run sees the failover soon. */
        public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(2);

        @Override
        public String type() {
            return "clusterFailover";
        }

        @Override
        public Optional<String> market() {
            return onMarket;
        }
    }

    /** How a {@link ClusterFailover} fails its master. */
    public enum FailoverMode {
        /** SIGKILL of the master: a crash; its replica takes over after the node timeout. */
        KILL,
        /** {@code CLUSTER FAILOVER} on its replica: a graceful switch (maintenance), no write lost. */
        MANUAL
    }

    /** The scenario's {@link ClusterFailover}, if it has one: then the platform runs the limiter's store on a cluster. */
    public Optional<ClusterFailover> clusterFailover() {
        return faults.stream().filter(ClusterFailover.class::isInstance).map(ClusterFailover.class::cast).findFirst();
    }

    /**
     * In the window, {@code times} batches of the market's collector die after {@code afterMessages} of their messages
     * were processed, before the batch is acknowledged: every message of such a batch comes back after its visibility.
     */
    public record CollectorKilled(int index, Duration from, Duration to, String onMarket, int afterMessages, int times)
            implements Fault {
        @Override
        public String type() {
            return "collectorKilled";
        }

        @Override
        public Optional<String> market() {
            return Optional.of(onMarket);
        }
    }

    /** In the window, {@code share} (0–1) of the messages the event sources deliver are delivered twice (all markets when empty). */
    public record DuplicateDeliveries(int index, Duration from, Duration to, Optional<String> onMarket, double share)
            implements Fault {
        @Override
        public String type() {
            return "duplicateDeliveries";
        }

        @Override
        public Optional<String> market() {
            return onMarket;
        }
    }

    /** In the window, one instance of the market's collector and of its actions consumer reads a clock {@code skew} off (signed). */
    public record ClockSkew(int index, Duration from, Duration to, String onMarket, Duration skew) implements Fault {
        @Override
        public String type() {
            return "clockSkew";
        }

        @Override
        public Optional<String> market() {
            return Optional.of(onMarket);
        }
    }

    /**
     * Overrides of the queues' settings. Without them the platform creates each market's queues as the environment's
     * {@code infrastructure} deploys them: visibility = the consumer's timeout × the visibility multiplier, and its
     * {@code maxReceiveCount}. Every hand-back of a deferred or throttled message is a receive, so
     * {@code maxReceiveCount} bounds how often a request may be deferred before the redrive policy moves it to the DLQ.
     */
    public record QueueSetup(Optional<Duration> visibilityTimeout, Optional<Integer> maxReceiveCount) {
        /** No override: the queues as deployed. */
        public static final QueueSetup AS_DEPLOYED = new QueueSetup(Optional.empty(), Optional.empty());

        public QueueSetup {
            java.util.Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
            java.util.Objects.requireNonNull(maxReceiveCount, "maxReceiveCount");
        }
    }

    /**
     * One market of the run: its sellers, and either a built-in simulated market or {@code baseUrl} (another
     * simulated or a real market speaking the reference REST protocol); {@code revokeTokensAt}: scenario times at
     * which the simulated market revokes every access token it issued (a market with tokens: Naver);
     * {@code connections}: what happens to the malls' connections of a market on Cafe24's protocol; {@code latency}:
     * the simulated market's network delay, in real time like its rate limits (not shrunk by the time scale).
     */
    public record MarketSetup(String market, int sellers, int ordersPerHour, Optional<URI> baseUrl,
            Optional<String> apiKey, Optional<Integer> penaltyAfter, Optional<Duration> penaltyBlock,
            List<Duration> revokeTokensAt, ConnectionEvents connections, io.marketgate.marketsim.OrderLifecycle orderLifecycle,
            io.marketgate.marketsim.Latency latency) {
        public MarketSetup {
            revokeTokensAt = List.copyOf(revokeTokensAt);
            java.util.Objects.requireNonNull(connections, "connections");
            java.util.Objects.requireNonNull(orderLifecycle, "orderLifecycle");
            java.util.Objects.requireNonNull(latency, "latency");
        }

        /** A market without network delay. */
        public MarketSetup(String market, int sellers, int ordersPerHour, Optional<URI> baseUrl, Optional<String> apiKey,
                Optional<Integer> penaltyAfter, Optional<Duration> penaltyBlock, List<Duration> revokeTokensAt,
                ConnectionEvents connections, io.marketgate.marketsim.OrderLifecycle orderLifecycle) {
            this(market, sellers, ordersPerHour, baseUrl, apiKey, penaltyAfter, penaltyBlock, revokeTokensAt, connections,
                    orderLifecycle, io.marketgate.marketsim.Latency.NONE);
        }

        /** A market whose orders keep their status. */
        public MarketSetup(String market, int sellers, int ordersPerHour, Optional<URI> baseUrl, Optional<String> apiKey,
                Optional<Integer> penaltyAfter, Optional<Duration> penaltyBlock, List<Duration> revokeTokensAt,
                ConnectionEvents connections) {
            this(market, sellers, ordersPerHour, baseUrl, apiKey, penaltyAfter, penaltyBlock, revokeTokensAt, connections,
                    io.marketgate.marketsim.OrderLifecycle.NONE);
        }

        /** A market without connection events. */
        public MarketSetup(String market, int sellers, int ordersPerHour, Optional<URI> baseUrl, Optional<String> apiKey,
                Optional<Integer> penaltyAfter, Optional<Duration> penaltyBlock, List<Duration> revokeTokensAt) {
            this(market, sellers, ordersPerHour, baseUrl, apiKey, penaltyAfter, penaltyBlock, revokeTokensAt, ConnectionEvents.NONE);
        }

        public boolean simulated() {
            return baseUrl.isEmpty();
        }
    }

    /**
     * What the simulated Cafe24 does to its malls' connections during the run, at scenario times.
     *
     * @param expireAccessTokensAt every mall's access tokens expire (each mall's next call gets 401 and must refresh)
     * @param revokeRefreshTokensAt some malls' owners remove the app: their access and refresh tokens die (a refresh is
     *                              answered {@code invalid_grant}, the connection is lost on purpose)
     * @param tokenEndpointOutages the token endpoint answers every request with a 5xx from {@code from} until {@code to}
     */
    public record ConnectionEvents(List<Duration> expireAccessTokensAt, List<MallRevocation> revokeRefreshTokensAt,
            List<TokenOutage> tokenEndpointOutages) {
        public static final ConnectionEvents NONE = new ConnectionEvents(List.of(), List.of(), List.of());

        public ConnectionEvents {
            expireAccessTokensAt = List.copyOf(expireAccessTokensAt);
            revokeRefreshTokensAt = List.copyOf(revokeRefreshTokensAt);
            tokenEndpointOutages = List.copyOf(tokenEndpointOutages);
        }

        public boolean any() {
            return !expireAccessTokensAt.isEmpty() || !revokeRefreshTokensAt.isEmpty() || !tokenEndpointOutages.isEmpty();
        }

        /** How many malls the run revokes on purpose. */
        public int revokedMalls() {
            return revokeRefreshTokensAt.stream().mapToInt(MallRevocation::malls).sum();
        }

        /** How many injections the events make (an outage is two: its start and its end). */
        public int injections() {
            return expireAccessTokensAt.size() + revokeRefreshTokensAt.size() + 2 * tokenEndpointOutages.size();
        }
    }

    /** At scenario time {@code at}, the owners of {@code malls} more malls (the last ones not revoked yet) remove the app. */
    public record MallRevocation(Duration at, int malls) {}

    /** The token endpoint answers {@code status} (a 5xx) from scenario time {@code from} until {@code to}. */
    public record TokenOutage(Duration from, Duration to, int status) {}

    /**
     * A schedule firing for some markets at scenario time {@code at}, fanned out over {@code spreadOver}; with
     * {@code trackUnfinishedFor}, a run of the tracking of unfinished orders (one re-collection per tracked order, giving
     * up after that age, real time) instead of a collection of the last {@code lookback}.
     */
    public record ScheduleSpike(Duration at, List<String> markets, String kind, Duration lookback, Duration spreadOver,
            Priority priority, Optional<Duration> trackUnfinishedFor) {
        public ScheduleSpike(Duration at, List<String> markets, String kind, Duration lookback, Duration spreadOver,
                Priority priority) {
            this(at, markets, kind, lookback, spreadOver, priority, Optional.empty());
        }

        public boolean tracksUnfinished() {
            return trackUnfinishedFor.isPresent();
        }
    }

    /**
     * {@code count} HIGH actions of {@code type} on {@code market}, sent at even steps over {@code [from, to]} of scenario
     * time: {@code ship-order} ships an order the market can ship, {@code answer-inquiry} answers an unanswered
     * inquiry, {@code reply-review} replies to a review without a reply (each target picked from the simulated market,
     * named as its clients name it, never two actions on one target).
     */
    public record ActionBurst(String market, String type, int count, Duration from, Duration to) {
        /** The default type. */
        public static final String SHIP_ORDER = "ship-order";
        /** The action types a scenario may send. */
        public static final java.util.List<String> TYPES = java.util.List.of(SHIP_ORDER, "answer-inquiry", "reply-review");

        /** Whether the burst ships orders. */
        public boolean ships() {
            return type.equals(SHIP_ORDER);
        }

        /** A burst of ship-order actions. */
        public ActionBurst(String market, int count, Duration from, Duration to) {
            this(market, SHIP_ORDER, count, from, to);
        }
    }

    /**
     * What {@code marketgate local up} runs: {@code markets} of {@code environment} on simulated markets with
     * {@code sellers} sellers each and {@code ordersPerHour} orders per seller and hour, no schedules and no actions
     * (the API brings the work), real time.
     */
    public static Scenario local(io.marketgate.config.EnvironmentConfig environment, List<String> markets, int sellers,
            int ordersPerHour, long seed) {
        Map<String, MarketSetup> setups = new java.util.LinkedHashMap<>();
        for (String market : markets) {
            environment.market(market);
            setups.put(market, new MarketSetup(market, sellers, ordersPerHour, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of()));
        }
        return new Scenario(Path.of("local-up"), "local-up", environment.name(), 1.0, seed, Duration.ofDays(365),
                QueueSetup.AS_DEPLOYED, setups, List.of(), List.of());
    }

    /**
     * How long the handlers pause a market's budgets after it refused our IP address: the shortest {@code pause} of the
     * scenario's {@code ipRejected} faults, or empty for the deployed default.
     */
    public Optional<Duration> ipPause() {
        return faults.stream().map(f -> switch (f) {
            case EgressRejected e -> e.pause();
            case MarketSide m -> m.pause();
            default -> Optional.<Duration>empty();
        }).flatMap(Optional::stream).min(Duration::compareTo);
    }

    /** Scenario time to real time. */
    public Duration real(Duration scenarioTime) {
        return Duration.ofNanos((long) (scenarioTime.toNanos() / timeScale));
    }

    public int totalSellers() {
        return markets.values().stream().mapToInt(MarketSetup::sellers).sum();
    }

    /** Collection requests the schedules will create (one per active seller per market per firing). */
    public int expectedCollectionRequests() {
        // a tracking run creates one request per tracked order: found in the requests table, not known before
        return schedules.stream().filter(s -> !s.tracksUnfinished()).mapToInt(s -> s.markets().stream().mapToInt(m -> markets.get(m).sellers()).sum()).sum();
    }

    public int expectedActions() {
        return actions.stream().mapToInt(ActionBurst::count).sum();
    }
}
