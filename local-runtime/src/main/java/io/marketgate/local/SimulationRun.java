package io.marketgate.local;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.handlers.SchedulerHandler;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.market.MarketAction;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.internal.RecordBook;
import io.marketgate.marketsim.SimulatedMarket;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs a {@link Scenario} on a {@link LocalPlatform} to completion and measures it: fires the schedules through the
 * real {@link SchedulerHandler} (spreads shrunk by the time scale), sends HIGH ship-order actions to the FIFO action
 * queues at their scaled times, starts and ends the scenario's {@code faults} at theirs (a market's on its gate, the
 * platform's on its Valkey process, its event sources and its instances' clocks), waits until every request has ended
 * (under faults also every message delivered; or the queues are drained, or {@code maxDuration} has passed), and builds
 * the {@link SimulationReport}.
 */
public final class SimulationRun {
    /** Told how many requests (collection requests and actions) have ended, of how many. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total);
    }

    /**
     * One action sent: {@code type} (a {@link Scenario.ActionBurst#TYPES} name), {@code targetId} as the market's clients
     * name its target (Coupang's shipment box, Cafe24's {@code {board_no}-{article_no}}), {@code marketTargetId} as the
     * simulated market keeps it (the order it records a shipment of, the record book's id).
     */
    public record SentAction(String actionId, String type, String market, String sellerId, String targetId,
            String marketTargetId) {
        public String idempotencyKey() {
            String prefix = switch (type) {
                case "answer-inquiry" -> "answer";
                case "reply-review" -> "reply";
                default -> "ship";
            };
            return prefix + ":" + market + ":" + sellerId + ":" + targetId;
        }

        /** Whether it ships an order (the other types answer an inquiry or reply to a review). */
        public boolean ships() {
            return type.equals(Scenario.ActionBurst.SHIP_ORDER);
        }

        /** The answer's or reply's text. */
        public String text() {
            return "Thank you for writing; this is the seller's answer to " + targetId + ".";
        }
    }

    private final EnvironmentConfig environment;
    private final Scenario scenario;
    private final LocalPlatform.StoreKind store;
    private final PrintStream log;
    private final Progress progress;

    public SimulationRun(EnvironmentConfig environment, Scenario scenario, LocalPlatform.StoreKind store, PrintStream log,
            Progress progress) {
        // the scenario's collectors: (instances, messages at once) as this run deploys them
        this.environment = CollectorOverrides.apply(environment, scenario);
        this.scenario = scenario;
        this.store = store;
        this.log = log;
        this.progress = progress;
    }

    public SimulationReport run() {
        long wallStart = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.start(environment, scenario, store, log)) {
            for (Scenario.MarketSetup m : scenario.markets().values()) {
                io.marketgate.marketsim.Protocol protocol = platform.sim().map(sim -> sim.market(m.market()).protocol()).orElse(null);
                if (!m.revokeTokensAt().isEmpty() && protocol != io.marketgate.marketsim.Protocol.NAVER) {
                    throw new IllegalArgumentException(scenario.file() + ": markets." + m.market() + ".revokeTokensAt: market "
                            + m.market() + " issues no access tokens that it revokes all at once (only a market on Naver's "
                            + "protocol does; on Cafe24's, revokeRefreshTokensAt revokes malls)");
                }
                if (m.connections().any() && protocol != io.marketgate.marketsim.Protocol.CAFE24) {
                    String key = !m.connections().expireAccessTokensAt().isEmpty() ? "expireAccessTokensAt"
                            : !m.connections().revokeRefreshTokensAt().isEmpty() ? "revokeRefreshTokensAt" : "tokenEndpointOutages";
                    throw new IllegalArgumentException(scenario.file() + ": markets." + m.market() + "." + key + ": market "
                            + m.market() + " connects no malls by consent (only a market on Cafe24's protocol does)");
                }
            }
            Map<String, List<String>> revoked = revokedMalls(platform);
            List<SentAction> planned = planActions(platform, revoked);
            List<SentAction> sent = new ArrayList<>();
            AtomicReference<Throwable> injectionFailure = new AtomicReference<>();
            int revocations = scenario.markets().values().stream()
                    .mapToInt(m -> m.revokeTokensAt().size() + m.connections().injections()).sum();
            List<Runnable[]> faults = faults(platform);
            AtomicInteger pendingInjections = new AtomicInteger(scenario.schedules().size() + planned.size() + revocations
                    + 2 * faults.size());
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform()
                    .name("scenario-timer").daemon(true).unstarted(r));
            Instant start = Instant.now();
            try {
                for (Scenario.ScheduleSpike s : scenario.schedules()) {
                    timer.schedule(() -> injection(injectionFailure, pendingInjections, () -> fire(platform, s)),
                            scenario.real(s.at()).toNanos(), TimeUnit.NANOSECONDS);
                }
                for (Scenario.MarketSetup m : scenario.markets().values()) {
                    for (Duration at : m.revokeTokensAt()) {
                        // the market withdraws every token it issued: each account's next call is refused once
                        timer.schedule(() -> injection(injectionFailure, pendingInjections,
                                () -> platform.sim().orElseThrow().market(m.market()).revokeTokens()),
                                scenario.real(at).toNanos(), TimeUnit.NANOSECONDS);
                    }
                }
                scheduleConnectionEvents(platform, timer, injectionFailure, pendingInjections, revoked);
                for (int i = 0; i < faults.size(); i++) {
                    Scenario.Fault f = scenario.faults().get(i);
                    Runnable[] startAndEnd = faults.get(i);
                    timer.schedule(() -> injection(injectionFailure, pendingInjections, startAndEnd[0]),
                            scenario.real(f.from()).toNanos(), TimeUnit.NANOSECONDS);
                    timer.schedule(() -> injection(injectionFailure, pendingInjections, startAndEnd[1]),
                            scenario.real(f.to()).toNanos(), TimeUnit.NANOSECONDS);
                }
                for (int i = 0; i < planned.size(); i++) {
                    SentAction a = planned.get(i);
                    Duration at = actionTime(a, i, planned);
                    timer.schedule(() -> injection(injectionFailure, pendingInjections, () -> {
                        send(platform, a);
                        synchronized (sent) {
                            sent.add(a);
                        }
                    }), scenario.real(at).toNanos(), TimeUnit.NANOSECONDS);
                }
                Instant end = awaitCompletion(platform, planned, pendingInjections, injectionFailure, start);
                List<SentAction> sentCopy;
                synchronized (sent) {
                    sentCopy = List.copyOf(sent);
                }
                return SimulationReport.build(scenario, platform, start, end, sentCopy,
                        Duration.ofNanos(System.nanoTime() - wallStart), revoked);
            } finally {
                timer.shutdownNow();
            }
        }
    }

    /**
     * The malls each market on Cafe24's protocol loses on purpose, in the order {@code revokeRefreshTokensAt} takes them:
     * from the last seller backwards, so that the first sellers (which the actions pick first) keep their malls.
     */
    private Map<String, List<String>> revokedMalls(LocalPlatform platform) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Scenario.MarketSetup m : scenario.markets().values()) {
            int n = m.connections().revokedMalls();
            if (n > 0) {
                List<String> sellers = platform.sellers(m.market());
                List<String> last = new ArrayList<>(sellers.subList(sellers.size() - n, sellers.size()));
                java.util.Collections.reverse(last);
                out.put(m.market(), List.copyOf(last));
            }
        }
        return out;
    }

    /** Cafe24's connection events at their scaled times: expiries, revocations (of {@code revoked}, in order), outages. */
    private void scheduleConnectionEvents(LocalPlatform platform, ScheduledExecutorService timer, AtomicReference<Throwable> failure,
            AtomicInteger pending, Map<String, List<String>> revoked) {
        for (Scenario.MarketSetup m : scenario.markets().values()) {
            Scenario.ConnectionEvents events = m.connections();
            if (!events.any()) {
                continue;
            }
            SimulatedMarket market = platform.sim().orElseThrow().market(m.market());
            for (Duration at : events.expireAccessTokensAt()) {
                timer.schedule(() -> injection(failure, pending, market::expireAccessTokens), scenario.real(at).toNanos(),
                        TimeUnit.NANOSECONDS);
            }
            int next = 0;
            for (Scenario.MallRevocation r : events.revokeRefreshTokensAt()) {
                List<String> malls = revoked.get(m.market()).subList(next, next + r.malls());
                next += r.malls();
                timer.schedule(() -> injection(failure, pending, () -> malls.forEach(market::revokeTokens)),
                        scenario.real(r.at()).toNanos(), TimeUnit.NANOSECONDS);
            }
            for (Scenario.TokenOutage o : events.tokenEndpointOutages()) {
                timer.schedule(() -> injection(failure, pending, () -> market.faults().failEndpoint(
                        io.marketgate.marketsim.Endpoint.TOKEN, o.status())), scenario.real(o.from()).toNanos(), TimeUnit.NANOSECONDS);
                timer.schedule(() -> injection(failure, pending, () -> market.faults().restoreEndpoint(
                        io.marketgate.marketsim.Endpoint.TOKEN)), scenario.real(o.to()).toNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Each fault of the scenario as what starts it and what ends it, checked against the platform first (a fault that
     * cannot run here is an error naming {@code faults[i]}). The timer runs them at their scaled times, one at a time.
     */
    private List<Runnable[]> faults(LocalPlatform platform) {
        List<Runnable[]> out = new ArrayList<>();
        for (Scenario.Fault f : scenario.faults()) {
            String at = scenario.file() + ": faults[" + f.index() + "]";
            out.add(switch (f) {
                case Scenario.MarketSide m -> {
                    SimulatedMarket market = platform.sim().orElseThrow().market(m.onMarket());
                    // the window is on the market's own clock: set when the fault starts, for exactly its length
                    yield new Runnable[] {() -> {
                        java.time.Instant now = java.time.Instant.ofEpochSecond(0, platform.sim().orElseThrow().clock().epochNanos());
                        market.faults().during(now, now.plus(scenario.real(m.to().minus(m.from()))), m.fault());
                    }, () -> { }};
                }
                case Scenario.LatencyFault l -> {
                    SimulatedMarket market = platform.sim().orElseThrow().market(l.onMarket());
                    yield new Runnable[] {() -> market.latency(l.latency()), () -> market.latency(market.config().latency())};
                }
                case Scenario.EgressRejected e -> {
                    List<SimulatedMarket> group = egressGroupMarkets(platform, e, at);
                    Duration length = scenario.real(e.to().minus(e.from()));
                    yield new Runnable[] {() -> group.forEach(market -> {
                        java.time.Instant now = java.time.Instant.ofEpochSecond(0, platform.sim().orElseThrow().clock().epochNanos());
                        market.faults().during(now, now.plus(length), new io.marketgate.marketsim.MarketFault.IpRejected());
                    }), () -> { }};
                }
                case Scenario.ValkeyPaused v -> {
                    var valkey = platform.valkey().orElseThrow(() -> new IllegalArgumentException(at + ".type: valkeyPaused "
                            + "needs the platform's Valkey; run with --store valkey (redis-server or valkey-server installed)"));
                    yield new Runnable[] {valkey::pause, valkey::resume};
                }
                case Scenario.ValkeyRestarted v -> {
                    var valkey = platform.valkey().orElseThrow(() -> new IllegalArgumentException(at + ".type: valkeyRestarted "
                            + "needs the platform's Valkey; run with --store valkey (redis-server or valkey-server installed)"));
                    yield new Runnable[] {valkey::kill, valkey::start};
                }
                case Scenario.ClusterFailover c -> {
                    ClusterFailoverFault failover = platform.failoverFault().orElseThrow(() -> new IllegalArgumentException(
                            at + ".type: clusterFailover needs the platform's Valkey cluster, which it starts for this scenario"));
                    yield new Runnable[] {failover::start, failover::end};
                }
                case Scenario.CollectorKilled k -> {
                    DeliveryFaults d = platform.collectorFaults(k.onMarket());
                    yield new Runnable[] {() -> d.killBatches(k.times(), k.afterMessages()), d::stopKilling};
                }
                case Scenario.DuplicateDeliveries d -> {
                    List<DeliveryFaults> all = new ArrayList<>();
                    for (String market : d.onMarket().map(List::of).orElse(List.copyOf(scenario.markets().keySet()))) {
                        all.add(platform.collectorFaults(market));
                        all.add(platform.actionFaults(market));
                    }
                    yield new Runnable[] {() -> all.forEach(x -> x.duplicate(d.share())), () -> all.forEach(x -> x.duplicate(0))};
                }
                case Scenario.ClockSkew c -> new Runnable[] {() -> platform.skewClock(c.onMarket(), c.skew()),
                        () -> platform.skewClock(c.onMarket(), Duration.ZERO)};
            });
        }
        return out;
    }

    /** The scenario's simulated markets in {@code e}'s egress group, as the environment's infrastructure places them. */
    private List<SimulatedMarket> egressGroupMarkets(LocalPlatform platform, Scenario.EgressRejected e, String at) {
        var infra = environment.infrastructure().orElseThrow(() -> new IllegalArgumentException(at + ".egressGroup: environment "
                + environment.name() + " has no infrastructure section, so no egress groups; name a market instead"));
        if (!infra.egressGroups().containsKey(e.egressGroup())) {
            throw new IllegalArgumentException(at + ".egressGroup: '" + e.egressGroup() + "' is not an egress group of "
                    + environment.name() + "; known: " + infra.egressGroups().keySet());
        }
        List<SimulatedMarket> out = new ArrayList<>();
        for (Scenario.MarketSetup m : scenario.markets().values()) {
            var placed = infra.markets().get(m.market());
            if (m.simulated() && placed != null && placed.egressGroup().equals(e.egressGroup())) {
                out.add(platform.sim().orElseThrow().market(m.market()));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(at + ".egressGroup: no simulated market of the scenario is in egress group '"
                    + e.egressGroup() + "'");
        }
        return out;
    }

    private static void injection(AtomicReference<Throwable> failure, AtomicInteger pending, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        } finally {
            pending.decrementAndGet();
        }
    }

    private Duration actionTime(SentAction a, int index, List<SentAction> all) {
        Scenario.ActionBurst burst = burstOf(index);
        int first = 0;
        for (Scenario.ActionBurst b : scenario.actions()) {
            if (b == burst) {
                break;
            }
            first += b.count();
        }
        int k = index - first;
        Duration span = burst.to().minus(burst.from());
        return burst.from().plus(burst.count() <= 1 ? Duration.ZERO : span.multipliedBy(k).dividedBy(burst.count()));
    }

    private Scenario.ActionBurst burstOf(int index) {
        int n = 0;
        for (Scenario.ActionBurst b : scenario.actions()) {
            n += b.count();
            if (index < n) {
                return b;
            }
        }
        throw new IllegalStateException("no burst for action " + index);
    }

    /**
     * Picks for each action a target the simulated market has and no other action acts on, named as the market's clients
     * name it: for a ship-order an order it would ship now (Coupang's INSTRUCT, Naver's PAYED; Coupang's shipment box),
     * for an answer-inquiry an unanswered inquiry, for a reply-review a review without a reply (of the last 6 days).
     */
    private List<SentAction> planActions(LocalPlatform platform, Map<String, List<String>> revoked) {
        List<SentAction> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        // where each market's next burst starts among its sellers: the bursts of one market take turns over all of its
        // sellers, as independent requests would, instead of each starting at the first seller
        Map<String, Integer> nextSeller = new java.util.HashMap<>();
        Instant now = Instant.now();
        for (int index = 0; index < scenario.actions().size(); index++) {
            Scenario.ActionBurst burst = scenario.actions().get(index);
            SimulatedMarket market = platform.sim().map(s -> s.market(burst.market())).orElseThrow(() ->
                    new IllegalArgumentException(scenario.file() + ": actions on '" + burst.market()
                            + "' need a simulated market to pick orders from; remove its baseUrl or the action"));
            environment.market(burst.market()).actionRefusal(burst.type()).ifPresent(why -> {
                throw new IllegalArgumentException(scenario.file() + ": actions[" + scenario.actions().indexOf(burst)
                        + "].type: " + why);
            });
            // a mall the run revokes on purpose would fail its action for good: its sellers are not picked
            List<String> sellers = platform.sellers(burst.market()).stream()
                    .filter(id -> !revoked.getOrDefault(burst.market(), List.of()).contains(id)).toList();
            int picked = 0;
            int first = nextSeller.getOrDefault(burst.market(), 0);
            int round = 0;
            for (; picked < burst.count() && round < sellers.size() * 4; round++) {
                String seller = sellers.get((first + round) % sellers.size());
                for (String[] target : targets(market, burst.type(), seller, now)) {
                    if (used.add(burst.market() + "/" + target[1])) {
                        out.add(new SentAction(UUID.randomUUID().toString(), burst.type(), burst.market(), seller, target[0],
                                target[1]));
                        picked++;
                        break;
                    }
                }
            }
            nextSeller.put(burst.market(), sellers.isEmpty() ? 0 : (first + round) % sellers.size());
            if (picked < burst.count()) {
                throw new IllegalArgumentException(scenario.file() + ": market '" + burst.market() + "' has only " + picked
                        + " targets for " + burst.count() + " " + burst.type() + " actions"
                        + (burst.ships() ? " in the last 2 days; raise ordersPerHour or sellers" : " in the last 6 days; raise sellers"));
            }
        }
        return out;
    }

    /** The targets of {@code type} of {@code seller} the market would act on now: {client id, market id}, in id order. */
    private static List<String[]> targets(SimulatedMarket market, String type, String seller, Instant now) {
        if (type.equals(Scenario.ActionBurst.SHIP_ORDER)) {
            return market.orders(seller, now.minus(Duration.ofDays(2)), now).stream().filter(market::shippable)
                    .sorted(Comparator.comparing(Order::orderId))
                    .map(o -> new String[] {market.clientOrderId(o), o.orderId()}).toList();
        }
        boolean answer = type.equals("answer-inquiry");
        RecordBook.Kind kind = answer ? RecordBook.Kind.INQUIRIES : RecordBook.Kind.REVIEWS;
        String open = answer ? "UNANSWERED" : "UNREPLIED";
        return market.records().between(seller, kind, now.minus(Duration.ofDays(6)), now).stream()
                .filter(r -> r.state().equals(open)).sorted(Comparator.comparing(RecordBook.SimRecord::id))
                .map(r -> new String[] {market.clientRecordId(r), r.id()}).toList();
    }

    /**
     * Fans out {@code s} for each of its markets at once, one scheduler invocation per market on its own thread, as the
     * deployed schedules (one per market, {@code infrastructure.markets.<m>.schedules}) invoke the function
     * independently: a large market's fan-out does not hold back the next market's first calls.
     */
    private void fire(LocalPlatform platform, Scenario.ScheduleSpike s) {
        List<Thread> fanOuts = new ArrayList<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (String market : s.markets()) {
            fanOuts.add(Thread.ofPlatform().name("scheduler-" + market).start(() -> {
                try {
                    fire(platform, s, market);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : fanOuts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the schedule fanned out", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void fire(LocalPlatform platform, Scenario.ScheduleSpike s, String market) {
        Duration spread = scenario.real(s.spreadOver()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        // the EventBridge Scheduler payload, as the real schedule sends it
        Map<String, Object> event = s.tracksUnfinished()
                ? Map.of("market", market, "kind", s.kind(), "track", "UNFINISHED", "maxAge",
                        s.trackUnfinishedFor().orElseThrow().toString(), "spreadOver", spread.toString(), "priority", s.priority().name())
                : Map.of("market", market, "kind", s.kind(), "lookback", s.lookback().toString(),
                        "spreadOver", spread.toString(), "priority", s.priority().name());
        // the scheduler function's size as deployed, if the environment says
        String function = environment.name() + "-scheduler";
        LocalContext context = environment.infrastructure()
                .map(i -> new LocalContext(function, i.functions().scheduler().timeout(), i.functions().scheduler().memoryMb()))
                .orElseGet(() -> new LocalContext(function, Duration.ofMinutes(5)));
        long invokeStart = System.nanoTime();
        try {
            new SchedulerHandler(platform.dependencies()).handleRequest(event, context);
        } finally {
            platform.lambdaUsage().invoked(function, context.getMemoryLimitInMB(), System.nanoTime() - invokeStart);
        }
    }

    private static void send(LocalPlatform platform, SentAction a) {
        Seller seller = Seller.of(a.sellerId());
        MarketAction action = switch (a.type()) {
            case "answer-inquiry" -> new MarketAction.AnswerInquiry(seller, a.targetId(), a.text());
            case "reply-review" -> new MarketAction.ReplyReview(seller, a.targetId(), a.text());
            default -> new MarketAction.ShipOrder(seller, a.targetId(), carrier(platform, a.market()),
                    "T" + Math.abs(a.targetId().hashCode()));
        };
        ActionMessage message = ActionMessage.of(a.actionId(), a.idempotencyKey(), a.market(), action);
        String body = Messages.write(message);
        platform.sqs().sendMessage(b -> b.queueUrl(platform.actionQueue(a.market()).url()).messageBody(body)
                .messageGroupId(message.messageGroupId()).messageDeduplicationId(message.idempotencyKey()));
    }

    /**
     * CJ Logistics as the market names carriers: Coupang's and Naver's code, 11st's five digits, the reference "CJ"; for
     * Cafe24, {@link #CAFE24_CARRIER}.
     */
    private static String carrier(LocalPlatform platform, String market) {
        return switch (platform.sim().map(s -> s.market(market).protocol()).orElse(io.marketgate.marketsim.Protocol.REFERENCE)) {
            case COUPANG, NAVER -> "CJGLS";
            case ELEVENST -> "00034";
            case CAFE24 -> CAFE24_CARRIER;
            case REFERENCE -> "CJ";
        };
    }

    /**
     * Cafe24's {@code shipping_company_code} is not a market-wide carrier code but the code of a carrier in the mall's own
     * list ({@code GET /admin/carriers}), so the same carrier has different codes in different malls; a mall's first
     * carrier is {@code 0001}, which every simulated mall accepts (docs/markets.md, Cafe24).
     */
    static final String CAFE24_CARRIER = "0001";

    private Instant awaitCompletion(LocalPlatform platform, List<SentAction> actions, AtomicInteger pendingInjections,
            AtomicReference<Throwable> failure, Instant start) {
        int total = scenario.expectedCollectionRequests() + actions.size();
        Instant deadline = start.plus(scenario.maxDuration());
        int drainedChecks = 0;
        while (true) {
            if (failure.get() != null) {
                throw new IllegalStateException("the scenario could not be injected: " + failure.get().getMessage(), failure.get());
            }
            RequestTally tally = RequestTally.scan(platform, actions);
            int done = tally.ended();
            progress.update(Math.min(done, total), total);
            if (pendingInjections.get() == 0) {
                // every expected request ended, and every other one the run made (tracking's re-collections, keep-alives);
                // under faults, also every message delivered (a killed batch's messages come back after their visibility,
                // a duplicate is still being worked on): what they do must be in the report
                if (done >= total && tally.open() == 0 && (scenario.faults().isEmpty() || platform.queuedMessages() == 0)) {
                    return Instant.now();
                }
                drainedChecks = platform.queuedMessages() == 0 ? drainedChecks + 1 : 0;
                if (drainedChecks >= 3) {
                    log.println("\nsimulate: queues drained with " + (total - done) + " requests open; they count as lost");
                    return Instant.now();
                }
            }
            if (Instant.now().isAfter(deadline)) {
                log.println("\nsimulate: maxDuration " + scenario.maxDuration() + " reached with " + (total - done)
                        + " requests open; they count as lost");
                return Instant.now();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Where every request stands, from the requests table and the markets' shipments. */
    record RequestTally(Map<String, Map<String, AttributeValue>> requests, Set<String> shippedOrders,
            long repeatedShipments, Set<String> actionIds, Map<String, String> failedActions, Set<String> answeredRecords,
            long repeatedRecordActions) {

        static RequestTally scan(LocalPlatform platform, List<SentAction> actions) {
            Map<String, Map<String, AttributeValue>> items = new java.util.LinkedHashMap<>();
            platform.dynamoDb().scanPaginator(b -> b.tableName(platform.tables().requests())).items()
                    .forEach(i -> items.put(i.containsKey("pk") ? i.get("pk").s() : UUID.randomUUID().toString(), i));
            // an action that failed for good is COMPLETED in the idempotency table with a result "failed: <reason>"
            Map<String, String> failedActions = new java.util.HashMap<>();
            Map<String, String> actionOfKey = new java.util.HashMap<>();
            actions.forEach(a -> actionOfKey.put(a.idempotencyKey(), a.actionId()));
            platform.dynamoDb().scanPaginator(b -> b.tableName(platform.tables().idempotency())).items().forEach(i -> {
                String key = i.containsKey("pk") ? i.get("pk").s() : null;
                String result = text(i, "result");
                if (key != null && actionOfKey.containsKey(key) && "COMPLETED".equals(text(i, "status"))
                        && result.startsWith("failed")) {
                    failedActions.put(actionOfKey.get(key), result);
                }
            });
            // what the markets shipped (one shipment per order, however often it was asked for), and every time a
            // market was asked to ship an order it had shipped already: a repeat that idempotency did not stop
            Set<String> shipped = new HashSet<>();
            long[] repeated = {0};
            platform.sim().ifPresent(sim -> sim.markets().forEach(m -> {
                m.shipments().forEach(s -> shipped.add(m.name() + "/" + s.orderId()));
                repeated[0] += m.arrivals(io.marketgate.marketsim.Endpoint.CREATE_SHIPMENT).stream()
                        .filter(a -> a.outcome() == io.marketgate.marketsim.Outcome.DUPLICATE).count();
            }));
            Set<String> ids = new HashSet<>();
            actions.forEach(a -> ids.add(a.actionId()));
            // an answer or a reply is done when the market holds the record answered with the action's text; an
            // application the market found there already (a repeat that idempotency did not stop) is counted
            Set<String> answered = new HashSet<>();
            for (SentAction a : actions) {
                if (!a.ships()) {
                    SimulatedMarket m = platform.sim().orElseThrow().market(a.market());
                    m.records().find(a.sellerId(), a.marketTargetId())
                            .filter(r -> a.text().equals(r.attrs().get(a.type().equals("reply-review") ? "reply" : "answer")))
                            .ifPresent(r -> answered.add(a.market() + "/" + a.marketTargetId()));
                }
            }
            long[] recordRepeats = {0};
            platform.sim().ifPresent(sim -> sim.markets().forEach(m -> recordRepeats[0] += m.records().repeats()));
            return new RequestTally(items, shipped, repeated[0], ids, failedActions, answered, recordRepeats[0]);
        }

        static boolean terminal(Map<String, AttributeValue> item) {
            String status = text(item, "status");
            return "SUCCEEDED".equals(status) || ("FAILED".equals(status) && !text(item, "reason").isBlank());
        }

        static String text(Map<String, AttributeValue> item, String field) {
            AttributeValue v = item.get(field);
            return v == null || v.s() == null ? "" : v.s();
        }

        /** Collection requests in the table that have not ended. */
        int open() {
            int n = 0;
            for (var e : requests.entrySet()) {
                if (!actionIds.contains(e.getKey()) && !terminal(e.getValue())) {
                    n++;
                }
            }
            return n;
        }

        int ended() {
            int n = 0;
            for (var e : requests.entrySet()) {
                if (!actionIds.contains(e.getKey()) && terminal(e.getValue())) {
                    n++;
                }
            }
            return n + shippedOrders.size() + answeredRecords.size() + failedActions.size();
        }
    }
}
