package io.marketgate.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.marketgate.config.BudgetConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.Priority;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.BudgetCompliance;
import io.marketgate.marketsim.ComplianceChecker;
import io.marketgate.marketsim.ComplianceReport;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.Outcome;
import io.marketgate.marketsim.SimulatedMarket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a simulation run measured, as the tree {@code report.json} holds (see {@link #json()}):
 *
 * <pre>
 * scenario, environment, limiterStore, startedAt,
 * durationSeconds        first injection → every request ended (or the run gave up)
 * minimumSeconds         max over markets of: calls ÷ allowed rate of the binding configured budget, the rate the
 *                        collection's priority may use (MEDIUM: floor(0.8 × limit) per window by default); a per-seller
 *                        budget counts its busiest seller's calls
 * bindingMarket          the market whose budget sets minimumSeconds
 * durationOverMinimum    durationSeconds ÷ minimumSeconds
 * guardedMinimumSeconds  the same minimum with the budgets as the limiter enforced them: the priority's ceiling per
 *                        window and the whole limit per window + the jitter guard (the mean over the budget's grants),
 *                        whichever is slower; equal to minimumSeconds without guards, or where the guard's term does
 *                        not bind. minimumSeconds ÷ this is the guard's cost in throughput
 * durationOverGuardedMinimum durationSeconds ÷ guardedMinimumSeconds
 * lambda: {requests, billedSeconds, inits, initBilledSeconds, gbSeconds, costUsd, pricing, functions.{f}: the same and
 *         memoryMb}     what Lambda would bill for the run's invocations (each rounded up to 1 ms, × the function's
 *                        configured memory), priced by the environment's infrastructure.pricing (costUsd null without it)
 * wallSeconds            the whole run including start-up and shutdown
 * maxReceiveCount        the smallest redrive setting of the run's queues (each hand-back of a deferred message is a receive)
 * consumers.{m}.{function}: {timeoutSeconds, batchSize, maxConcurrency, inFlight (collectors), visibilitySeconds,
 *                        maxReceiveCount}, as deployed (with the scenario's collectors: overrides)
 * limiterStoreFailures   decisions the failure mode made because the shared store failed (not fleet-wide)
 * deadLetters            messages the redrive policies moved to DLQs (their requests count as lost)
 * deadLettersByQueue     the same by the name of the queue they came from (queues without any left out)
 * queuedAtEnd            {collections, actions}: messages still in the main queues when the run stopped (waiting out
 *                        a hand-back, a cool-down or a pause: not lost, not ended)
 * deadLetterReasons      {queue: reason → count}: the reason each dead letter's request last recorded (ids blanked)
 * markets.{m}: calls, minimumSeconds, guardedMinimumSeconds, bindingBudget, bindingJitterGuardMs (the binding
 *              budget's mean guard), minimumPriority, simulated, baseUrl,
 *              answered429            answers with HTTP 429 the simulated market gave (whatever the reason)
 *              throttled              refusals by the market's own budgets or penalty (429, or 11st's 004 in an HTTP 200)
 *              priorities.{p}:        {grants, grantsPerSecond (series.{m}'s grants from its first second with a grant
 *                                      to its last),
 *                                      waitP50Ms, waitP99Ms, waitMaxMs}  (the waits of granted calls on this market)
 *              marketBudgets.{b}:     {kind, scope, limit, windowSeconds, ratePerSecond, calls, callsOverBudget, peak,
 *                                      tightestSpanMs}  (the market's own rules)
 *              configuredBudgets.{b}: the same for environments/*.yaml's budgets, judged on the same arrivals
 *              tokens (markets with OAuth tokens): {requests, accounts, answeredPerAccountMax, revocations,
 *                                      allowedPerAccount, refused, nonStandard, quotaPenalties}  (one answered request
 *                                      per account per token lifetime, plus one per revocation, is the aim)
 *              connections (markets on Cafe24's protocol): {malls, connected, refreshes, refreshRequests,
 *                                      tokenEndpointFailures, invalidGrants, invalidGrantsFromReuse, invalidGrantCauses,
 *                                      accessTokenExpiries, revokedOnPurpose, reconnectRequired, revokedReconnectRequired,
 *                                      connectionsLost, lostMalls, requestsFailedReconnectRequired,
 *                                      requestsFailedOtherMalls}  (connectionsLost: malls that
 *                                      ended reconnect-required though the scenario did not revoke them; 0 is the aim)
 * priorities.{p}: requests, succeeded, failed, lost, duplicates, waitP50Ms, waitP99Ms, waitMaxMs, grants, waitTimeouts,
 *              failureReasons {reason → count}  (why the failed ones failed, ids and numbers blanked)
 *              orders (markets a tracking schedule follows): {createdFrom, createdTo, created, final, followedToFinal, notFinal,
 *                                      notFinalOrders, notStored, storedByStatus, trackingGaveUp, trackedLeft, trackedLeftOrders}  (the
 *                                      orders the market created during the run that a collection covered; every one
 *                                      final in the store is the aim)
 * duplicates: {ordersWrittenMoreThanOnce, shipmentsRepeated, recordActionsRepeated}   (orders a collection of a range
 *                                      wrote again in a state already stored, the tracking's re-collections not counted;
 *                                      shipments, answers and replies a market was asked for again after they were done)
 * stored.{market}: {kind: n}          what the orders table holds per kind (orders and every other kind collected)
 * actions.{type}: {asked, done, failed}   the scenario's HIGH actions by type (ship-order, answer-inquiry,
 *                                      reply-review): done = the market holds the shipment, the answer or the reply
 * actionEvents: {bus, done, failed, failedEntries}   the events the actions consumers put on the environment's actions
 *                                      bus ({@code <env>-actions}, the embedded EventBridge): Action Done, Action Failed,
 *                                      and entries the bus failed (each published again on its message's redelivery);
 *                                      done + failed = the actions that ended is the aim
 * faults[]: {type, market | egressGroup, from, to, batchesKilled, messagesDuplicated}   the scenario's faults as run
 * series.{m}: {seconds, arrivals[], grants.{p}[]}     calls per second, for the chart
 * </pre>
 *
 * Calls over budget come from the simulated market's own arrival records, judged over every sliding window by
 * {@link ComplianceChecker}; markets at a scenario's own base URL have no arrivals, so their figures are null.
 */
public final class SimulationReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Map<String, Object> tree;

    private SimulationReport(Map<String, Object> tree) {
        this.tree = tree;
    }

    public Map<String, Object> tree() {
        return tree;
    }

    public String json() {
        try {
            return JSON.writeValueAsString(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code report.json} and {@code report.html} into {@code dir}, creating it. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("report.json"), json());
            Files.writeString(dir.resolve("report.html"), ReportHtml.render(tree, json()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> priority(Priority p) {
        return (Map<String, Object>) ((Map<String, Object>) tree.get("priorities")).get(p.name());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> market(String m) {
        return (Map<String, Object>) ((Map<String, Object>) tree.get("markets")).get(m);
    }

    /**
     * Calls over budget at every simulated market by the market's own rules, from its arrival records: what a real
     * market would have answered 429 (or blocked) for.
     */
    public long callsOverBudget() {
        return over("marketBudgets");
    }

    /**
     * Arrivals that a configured budget's window would not have held. The limiter holds these windows on its grant
     * times; arrivals come later by each call's own latency, so a budget configured at exactly a market's limit can
     * show here what the market never sees: a diagnostic of the headroom a budget needs, not a breach.
     */
    public long arrivalsOverConfiguredBudgets() {
        return over("configuredBudgets");
    }

    @SuppressWarnings("unchecked")
    private long over(String kind) {
        long n = 0;
        for (Object m : ((Map<String, Object>) tree.get("markets")).values()) {
            Object budgets = ((Map<String, Object>) m).get(kind);
            if (budgets instanceof Map<?, ?> bs) {
                for (Object b : bs.values()) {
                    Object over = ((Map<String, Object>) b).get("callsOverBudget");
                    n += over instanceof Number num ? num.longValue() : 0;
                }
            }
        }
        return n;
    }

    /** HTTP 429 answers of the simulated markets on Cafe24's protocol: 0 is promised (the limiter keeps every mall's bucket). */
    @SuppressWarnings("unchecked")
    public long cafe24Answered429() {
        long n = 0;
        for (Object m : ((Map<String, Object>) tree.get("markets")).values()) {
            Map<String, Object> market = (Map<String, Object>) m;
            if (market.get("connections") instanceof Map<?, ?> && market.get("answered429") instanceof Number num) {
                n += num.longValue();
            }
        }
        return n;
    }

    /** Malls of every Cafe24 market that ended {@code reconnect-required} though the scenario did not revoke them. */
    @SuppressWarnings("unchecked")
    public long connectionsLost() {
        long n = 0;
        for (Object m : ((Map<String, Object>) tree.get("markets")).values()) {
            if (((Map<String, Object>) m).get("connections") instanceof Map<?, ?> c && c.get("connectionsLost") instanceof Number num) {
                n += num.longValue();
            }
        }
        return n;
    }

    /**
     * Orders the markets created during the run, that a collection covered, and that are not final in the store (or
     * not stored) at its end, over the markets a tracking schedule follows: 0 is the tracking's promise.
     */
    @SuppressWarnings("unchecked")
    public long ordersNotFinal() {
        long n = 0;
        for (Object m : ((Map<String, Object>) tree.get("markets")).values()) {
            if (((Map<String, Object>) m).get("orders") instanceof Map<?, ?> o && o.get("notFinal") instanceof Number num) {
                n += num.longValue();
            }
        }
        return n;
    }

    static SimulationReport build(Scenario scenario, LocalPlatform platform, Instant start, Instant end,
            List<SimulationRun.SentAction> actions, Duration wall) {
        return build(scenario, platform, start, end, actions, wall, Map.of());
    }

    static SimulationReport build(Scenario scenario, LocalPlatform platform, Instant start, Instant end,
            List<SimulationRun.SentAction> actions, Duration wall, Map<String, List<String>> revoked) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("scenario", scenario.name());
        t.put("environment", scenario.environment());
        t.put("timeScale", scenario.timeScale());
        t.put("limiterStore", platform.storeDescription());
        t.put("startedAt", start.toString());
        double duration = Duration.between(start, end).toMillis() / 1000.0;
        t.put("durationSeconds", duration);
        t.put("wallSeconds", wall.toMillis() / 1000.0);
        int seconds = (int) Math.ceil(duration) + 1;

        Map<String, Object> markets = new LinkedHashMap<>();
        Map<String, Object> series = new LinkedHashMap<>();
        double minimum = 0;
        double guardedMinimum = 0;
        String bindingMarket = null;
        long startMillis = platform.recorder().startMillis();
        for (Scenario.MarketSetup setup : scenario.markets().values()) {
            String name = setup.market();
            MarketConfig config = platform.environment().market(name);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("simulated", setup.simulated());
            m.put("baseUrl", setup.baseUrl().map(Object::toString).orElse(platform.sim().map(s -> s.baseUrl(name)).orElse(null)));
            Optional<SimulatedMarket> sim = setup.simulated() ? platform.sim().map(s -> s.market(name)) : Optional.empty();
            List<Arrival> arrivals = sim.map(s -> s.arrivals().stream()
                    .filter(a -> a.authenticated() && a.endpoint() != Endpoint.UNKNOWN).toList()).orElse(List.of());
            long calls = sim.isPresent() ? arrivals.size()
                    : java.util.Arrays.stream(Priority.values()).mapToLong(p -> platform.recorder()
                            .grantsPerSecond(name, p, seconds).stream().mapToLong(Long::longValue).sum()).sum();
            m.put("calls", calls);
            List<Arrival> all = sim.map(SimulatedMarket::arrivals).orElse(List.of());
            m.put("answered429", sim.isPresent() ? all.stream().filter(a -> a.status() == 429).count() : null);
            m.put("throttled", sim.isPresent() ? all.stream()
                    .filter(a -> a.outcome() == Outcome.THROTTLED || a.outcome() == Outcome.PENALIZED).count() : null);
            m.put("marketBudgets", sim.map(s -> budgets(s.compliance(), s.config().budgets(), arrivals)).orElse(null));
            m.put("priorities", marketPriorities(platform.recorder(), name, seconds));
            List<MarketBudget> configured = LocalPlatform.configuredBudgets(config);
            m.put("configuredBudgets", sim.isPresent()
                    ? budgets(ComplianceChecker.check(name, configured, arrivals), configured, arrivals) : null);
            double marketMinimum = 0;
            double marketGuarded = 0;
            Duration bindingGuard = Duration.ZERO;
            String bindingBudget = null;
            // the priority the market's calls were made at: a collection's (MEDIUM may fill only its ceiling, 80 % of
            // a budget by default), HIGH for a market only actions call
            Priority callsAt = collectionPriority(scenario, name);
            for (BudgetConfig b : config.budgets().values()) {
                long binding = calls;
                // the arrivals of the endpoints the budget is drawn for (Cafe24's token budget: the token endpoint's)
                MarketBudget drawn = configured.stream().filter(c -> c.name().equals(b.name())).findFirst().orElseThrow();
                List<Arrival> counted = arrivals.stream().filter(a -> drawn.appliesTo(a.endpoint())).toList();
                if (sim.isPresent()) {
                    binding = counted.size();
                }
                if (LocalPlatform.perSeller(b.scope()) && sim.isPresent()) {
                    Map<String, Long> perSeller = new HashMap<>();
                    counted.forEach(a -> perSeller.merge(String.valueOf(a.sellerId()), 1L, Long::sum));
                    binding = perSeller.values().stream().mapToLong(Long::longValue).max().orElse(0);
                }
                long capacity = b.ceilings().capacity(callsAt, b.limit());
                double budgetMinimum = binding == 0 ? 0 : binding * (b.window().toMillis() / 1000.0) / Math.max(1, capacity);
                Duration guard = platform.recorder().meanJitterGuard(b.budget().name());
                if (budgetMinimum > marketMinimum) {
                    marketMinimum = budgetMinimum;
                    bindingBudget = b.name();
                    bindingGuard = guard;
                }
                // the same budget as the limiter enforced it: the priority's ceiling per window, and the whole limit per
                // window + the jitter guard its grants counted with (the guard's term binds when limit ÷ (window + guard)
                // is below ceiling ÷ window: HIGH always, MEDIUM at 80 % once the guard passes a quarter of the window)
                double guarded = binding == 0 ? 0 : binding * Math.max(
                        (b.window().toNanos() / 1e9) / Math.max(1, capacity),
                        ((b.window().toNanos() + guard.toNanos()) / 1e9) / Math.max(1, b.limit()));
                marketGuarded = Math.max(marketGuarded, guarded);
            }
            m.put("minimumSeconds", round(marketMinimum));
            m.put("guardedMinimumSeconds", round(marketGuarded));
            m.put("bindingBudget", bindingBudget);
            m.put("bindingJitterGuardMs", round(bindingGuard.toNanos() / 1e6));
            m.put("minimumPriority", callsAt.name());
            sim.filter(s -> s.protocol() == io.marketgate.marketsim.Protocol.NAVER)
                    .ifPresent(s -> m.put("tokens", tokens(s, setup.revokeTokensAt().size())));
            sim.filter(s -> s.protocol() == io.marketgate.marketsim.Protocol.CAFE24)
                    .ifPresent(s -> m.put("connections", connections(s, setup, platform, revoked.getOrDefault(name, List.of()))));
            if (sim.isPresent() && scenario.schedules().stream().anyMatch(sp -> sp.tracksUnfinished() && sp.markets().contains(name))) {
                m.put("orders", trackedOrders(platform, sim.get(), name, start));
            }
            if (marketMinimum > minimum) {
                minimum = marketMinimum;
                bindingMarket = name;
            }
            guardedMinimum = Math.max(guardedMinimum, marketGuarded);
            markets.put(name, m);

            Map<String, Object> s = new LinkedHashMap<>();
            s.put("seconds", seconds);
            long[] perSecond = new long[seconds];
            for (Arrival a : arrivals) {
                long sec = (a.epochNanos() / 1_000_000 - startMillis) / 1000;
                if (sec >= 0 && sec < seconds) {
                    perSecond[(int) sec]++;
                }
            }
            s.put("arrivals", perSecond);
            Map<String, Object> grants = new LinkedHashMap<>();
            for (Priority p : Priority.values()) {
                grants.put(p.name(), platform.recorder().grantsPerSecond(name, p, seconds));
            }
            s.put("grants", grants);
            List<Map<String, Object>> limits = new ArrayList<>();
            config.budgets().values().forEach(b -> limits.add(Map.of("name", "configured " + b.name(),
                    "ratePerSecond", round(b.limit() / (b.window().toMillis() / 1000.0)))));
            sim.ifPresent(sm -> sm.config().budgets().forEach(b -> limits.add(Map.of("name", "market " + b.name(),
                    "ratePerSecond", round(rate(b))))));
            s.put("limits", limits);
            series.put(name, s);
        }
        t.put("minimumSeconds", round(minimum));
        t.put("bindingMarket", bindingMarket);
        t.put("durationOverMinimum", minimum > 0 ? round(duration / minimum) : null);
        t.put("guardedMinimumSeconds", round(guardedMinimum));
        t.put("durationOverGuardedMinimum", guardedMinimum > 0 ? round(duration / guardedMinimum) : null);
        t.put("lambda", platform.lambdaUsage().report(platform.environment().infrastructure()
                .flatMap(io.marketgate.config.InfrastructureConfig::pricing)));
        Map<String, Object> queues = new LinkedHashMap<>();
        platform.consumers().forEach((market, list) -> {
            Map<String, Object> q = new LinkedHashMap<>();
            for (DeployedConsumer c : list) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("timeoutSeconds", c.timeout().toSeconds());
                f.put("batchSize", c.batchSize());
                f.put("maxConcurrency", c.concurrency());
                if (c.function().endsWith("-collector")) {
                    // messages one instance collects at once (infrastructure.markets.<m>.collector.inFlight; the scenario's collectors:)
                    f.put("inFlight", platform.environment().infrastructure().map(i -> i.market(market).collector().inFlight()).orElse(1));
                }
                f.put("visibilitySeconds", c.visibility().toSeconds());
                f.put("maxReceiveCount", c.maxReceiveCount());
                q.put(c.function(), f);
            }
            queues.put(market, q);
        });
        t.put("maxReceiveCount", platform.consumers().values().stream().flatMap(List::stream)
                .mapToInt(DeployedConsumer::maxReceiveCount).min().orElse(0));
        t.put("consumers", queues);
        t.put("limiterStoreFailures", platform.recorder().storeFailures());
        Map<String, Long> deadLetters = platform.deadLettersByQueue();
        t.put("deadLetters", deadLetters.values().stream().mapToLong(Long::longValue).sum());
        Map<String, Long> deadLetterQueues = new LinkedHashMap<>();
        deadLetters.forEach((queue, n) -> {
            if (n > 0) {
                deadLetterQueues.put(queue, n);
            }
        });
        t.put("deadLettersByQueue", deadLetterQueues);
        Map<String, Object> queued = new LinkedHashMap<>();
        queued.put("collections", platform.queuedMessages(true));
        queued.put("actions", platform.queuedMessages(false));
        t.put("queuedAtEnd", queued);
        t.put("deadLetterReasons", deadLetters.values().stream().mapToLong(Long::longValue).sum() == 0 ? Map.of()
                : platform.deadLetterReasons());
        t.put("markets", markets);

        // requests per priority: collection requests from the requests table, actions judged by the market
        SimulationRun.RequestTally tally = SimulationRun.RequestTally.scan(platform, actions);
        Map<Priority, long[]> counts = new LinkedHashMap<>();   // requests, succeeded, failed, duplicates
        for (Priority p : Priority.values()) {
            counts.put(p, new long[4]);
        }
        Map<Priority, Integer> expected = new HashMap<>();
        scenario.schedules().stream().filter(s -> !s.tracksUnfinished()).forEach(s -> expected.merge(s.priority(),
                s.markets().stream().mapToInt(mk -> scenario.markets().get(mk).sellers()).sum(), Integer::sum));
        Map<Priority, Long> observed = new HashMap<>();
        Map<Priority, Map<String, Long>> failureReasons = new LinkedHashMap<>();
        for (Priority p : Priority.values()) {
            failureReasons.put(p, new java.util.TreeMap<>());
        }
        tally.requests().forEach((id, item) -> {
            if (tally.actionIds().contains(id)) {
                return;
            }
            Priority p = parsePriority(SimulationRun.RequestTally.text(item, "priority"));
            observed.merge(p, 1L, Long::sum);
            String status = SimulationRun.RequestTally.text(item, "status");
            if ("SUCCEEDED".equals(status)) {
                counts.get(p)[1]++;
            } else if ("FAILED".equals(status) && !SimulationRun.RequestTally.text(item, "reason").isBlank()) {
                counts.get(p)[2]++;
                failureReasons.get(p).merge(blanked(SimulationRun.RequestTally.text(item, "reason")), 1L, Long::sum);
            }
        });
        for (Priority p : Priority.values()) {
            counts.get(p)[0] = Math.max(expected.getOrDefault(p, 0), observed.getOrDefault(p, 0L));
        }
        long[] high = counts.get(Priority.HIGH);
        high[0] += actions.size();
        Map<String, long[]> byType = new LinkedHashMap<>();   // asked, done, failed
        for (SimulationRun.SentAction a : actions) {
            long[] byIt = byType.computeIfAbsent(a.type(), k -> new long[3]);
            byIt[0]++;
            String target = a.market() + "/" + a.marketTargetId();
            if (a.ships() ? tally.shippedOrders().contains(target) : tally.answeredRecords().contains(target)) {
                high[1]++;
                byIt[1]++;
            } else if (tally.failedActions().containsKey(a.actionId())) {
                high[2]++;
                byIt[2]++;
                failureReasons.get(Priority.HIGH).merge(blanked(tally.failedActions().get(a.actionId())), 1L, Long::sum);
            }
        }
        long shipmentsRepeated = tally.repeatedShipments();
        long ordersTwice = ordersWrittenMoreThanOnce(platform);
        high[3] += shipmentsRepeated + tally.repeatedRecordActions();
        Priority collection = scenario.schedules().isEmpty() ? Priority.MEDIUM : scenario.schedules().get(0).priority();
        counts.get(collection)[3] += ordersTwice;

        Map<String, Object> priorities = new LinkedHashMap<>();
        for (Priority p : Priority.values()) {
            long[] c = counts.get(p);
            Histogram waits = platform.recorder().waits(p);
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("requests", c[0]);
            pm.put("succeeded", c[1]);
            pm.put("failed", c[2]);
            pm.put("lost", Math.max(0, c[0] - c[1] - c[2]));
            pm.put("duplicates", c[3]);
            pm.put("grants", platform.recorder().grants(p));
            pm.put("waitP50Ms", waits.getTotalCount() == 0 ? 0 : waits.getValueAtPercentile(50));
            pm.put("waitP99Ms", waits.getTotalCount() == 0 ? 0 : waits.getValueAtPercentile(99));
            pm.put("waitMaxMs", waits.getMaxValue());
            pm.put("waitTimeouts", platform.recorder().waitTimeouts(p));
            pm.put("failureReasons", failureReasons.get(p));
            priorities.put(p.name(), pm);
        }
        t.put("priorities", priorities);
        Map<String, Object> duplicates = new LinkedHashMap<>();
        duplicates.put("ordersWrittenMoreThanOnce", ordersTwice);
        duplicates.put("shipmentsRepeated", shipmentsRepeated);
        duplicates.put("recordActionsRepeated", tally.repeatedRecordActions());
        t.put("duplicates", duplicates);
        t.put("stored", storedByKind(platform));
        Map<String, Object> actionsByType = new LinkedHashMap<>();
        byType.forEach((type, c) -> actionsByType.put(type, Map.of("asked", c[0], "done", c[1], "failed", c[2])));
        t.put("actions", actionsByType);
        t.put("actionEvents", actionEvents(platform));
        t.put("faults", faults(scenario, platform));
        t.put("series", series);
        return new SimulationReport(t);
    }

    /**
     * The priority at which {@code market}'s calls count towards the minimum: the lowest of the collections that schedules
     * fire for it (a collection may fill only its priority's ceiling of a budget), or HIGH for a market that only actions
     * call.
     */
    static Priority collectionPriority(Scenario scenario, String market) {
        return scenario.schedules().stream().filter(s -> s.markets().contains(market)).map(Scenario.ScheduleSpike::priority)
                .max(java.util.Comparator.comparingInt(Priority::ordinal)).orElse(Priority.HIGH);
    }

    /**
     * A reason as the report counts it: ids, numbers and quoted excerpts blanked and cut at 100 characters, so that the
     * same failure of many requests counts once.
     */
    static String blanked(String reason) {
        String r = reason.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("(?<![A-Za-z])[0-9]{4,}|(?<=[A-Za-z])[0-9]{5,}", "<n>");
        int colon = r.indexOf(": {");
        r = colon > 0 ? r.substring(0, colon) : r;
        return r.length() > 100 ? r.substring(0, 100) + "…" : r;
    }

    /**
     * The scenario's faults as they ran: each one's type, market, window (scenario time), and for the deliveries' faults
     * what they did ({@code batchesKilled}, {@code messagesDuplicated}, over the event sources they touch); for a
     * cluster failover the ports, the markets on the failed master and the times measured ({@code failover}).
     */
    static List<Map<String, Object>> faults(Scenario scenario, LocalPlatform platform) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Scenario.Fault f : scenario.faults()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", f.type());
            f.market().ifPresent(market -> m.put("market", market));
            if (f instanceof Scenario.EgressRejected e) {
                m.put("egressGroup", e.egressGroup());
            }
            m.put("from", io.marketgate.config.Durations.format(f.from()));
            m.put("to", io.marketgate.config.Durations.format(f.to()));
            List<String> markets = f.market().map(List::of).orElse(List.copyOf(scenario.markets().keySet()));
            if (f instanceof Scenario.CollectorKilled) {
                m.put("batchesKilled", markets.stream().mapToLong(x -> platform.collectorFaults(x).killed()).sum());
            }
            if (f instanceof Scenario.ClusterFailover) {
                platform.failoverFault().ifPresent(c -> m.put("failover", c.report()));
            }
            if (f instanceof Scenario.DuplicateDeliveries) {
                m.put("messagesDuplicated", markets.stream().mapToLong(x -> platform.collectorFaults(x).duplicated()
                        + platform.actionFaults(x).duplicated()).sum());
            }
            out.add(m);
        }
        return out;
    }

    /** The actions' events on the platform's actions bus, counted by detail-type. */
    static Map<String, Object> actionEvents(LocalPlatform platform) {
        var events = platform.eventBridge().events(platform.actionsBus());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bus", platform.actionsBus());
        m.put("done", events.stream().filter(e -> io.marketgate.handlers.events.ActionEvents.DONE.equals(e.detailType())).count());
        m.put("failed", events.stream().filter(e -> io.marketgate.handlers.events.ActionEvents.FAILED.equals(e.detailType())).count());
        m.put("failedEntries", platform.eventBridge().failedEntries());
        return m;
    }

    /**
     * Per priority on one market: its grants, the waits of its granted calls (as the fleet-wide {@code priorities}), and
     * its grants per second while it was being granted (from its first second with a grant to its last).
     */
    private static Map<String, Object> marketPriorities(LimiterRecorder recorder, String market, int seconds) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Priority p : Priority.values()) {
            Histogram waits = recorder.waits(market, p);
            List<Long> series = recorder.grantsPerSecond(market, p, seconds);
            int first = -1;
            int last = -1;
            long inSeries = 0;
            for (int i = 0; i < series.size(); i++) {
                if (series.get(i) > 0) {
                    first = first < 0 ? i : first;
                    last = i;
                    inSeries += series.get(i);
                }
            }
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("grants", recorder.grants(market, p));
            // the rate over the report's seconds (the series of the chart), which may leave out the run's last grants
            pm.put("grantsPerSecond", first < 0 ? 0.0 : Math.round(inSeries * 100.0 / (last - first + 1)) / 100.0);
            pm.put("waitP50Ms", waits.getTotalCount() == 0 ? 0 : waits.getValueAtPercentile(50));
            pm.put("waitP99Ms", waits.getTotalCount() == 0 ? 0 : waits.getValueAtPercentile(99));
            pm.put("waitMaxMs", waits.getMaxValue());
            out.put(p.name(), pm);
        }
        return out;
    }

    /**
     * The token requests a market with OAuth tokens saw: all of them, those per account (the fleet should make one per
     * account per token lifetime, plus one per token the market revoked), and any Naver would have punished.
     */
    private static Map<String, Object> tokens(SimulatedMarket market, int revocations) {
        List<io.marketgate.marketsim.TokenRequest> requests = market.tokenRequests();
        Map<String, Long> perAccount = new HashMap<>();
        long nonStandard = 0;
        for (var r : requests) {
            if (r.status() == 200) {
                perAccount.merge(r.clientId() + ":" + r.type() + ":" + r.accountId(), 1L, Long::sum);
            }
            nonStandard += r.nonStandard().isEmpty() ? 0 : 1;
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("requests", requests.size());
        t.put("accounts", perAccount.size());
        t.put("answeredPerAccountMax", perAccount.values().stream().mapToLong(Long::longValue).max().orElse(0));
        t.put("revocations", revocations);
        // within a token's 3 h: one per account, plus one after each time the market revoked every token
        t.put("allowedPerAccount", 1 + revocations);
        t.put("refused", requests.stream().filter(r -> r.status() != 200).count());
        t.put("nonStandard", nonStandard);
        t.put("quotaPenalties", market.quotaPenalties().size());
        return t;
    }

    /**
     * What became of the malls' connections of a market on Cafe24's protocol: the market's token requests by outcome,
     * its {@code invalid_grant} answers by cause (a reuse of a rotated refresh token is the one no client may cause), and
     * which malls ended {@code reconnect-required} (the connection store's status or the seller's mark), those the
     * scenario revoked and those it did not (lost).
     */
    private static Map<String, Object> connections(SimulatedMarket market, Scenario.MarketSetup setup, LocalPlatform platform,
            List<String> revoked) {
        List<io.marketgate.marketsim.TokenRequest> requests = market.tokenRequests();
        Map<String, Long> causes = market.invalidGrantCauses();
        java.util.Set<String> reconnect = new java.util.TreeSet<>();
        for (String seller : platform.sellers(setup.market())) {
            boolean connectionLost = platform.dependencies().connections().connection(setup.market(), seller)
                    .map(c -> c.status() == io.marketgate.market.auth.MallConnection.Status.RECONNECT_REQUIRED).orElse(false);
            boolean marked = platform.dependencies().sellers().record(setup.market(), seller)
                    .map(io.marketgate.sellers.SellerRecord::reconnectRequired).orElse(false);
            if (connectionLost || marked) {
                reconnect.add(seller);
            }
        }
        long failedReconnect = 0;
        long failedOthers = 0;
        for (Map<String, AttributeValue> item : platform.dynamoDb()
                .scanPaginator(b -> b.tableName(platform.tables().requests())).items()) {
            if (setup.market().equals(SimulationRun.RequestTally.text(item, "market"))
                    && "FAILED".equals(SimulationRun.RequestTally.text(item, "status"))) {
                if (SimulationRun.RequestTally.text(item, "reason").startsWith("reconnect required")) {
                    failedReconnect++;
                }
                if (!revoked.contains(SimulationRun.RequestTally.text(item, "sellerId"))) {
                    failedOthers++;
                }
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("malls", (long) setup.sellers());
        c.put("connected", requests.stream().filter(r -> "authorization_code".equals(r.type()) && r.status() == 200).count());
        c.put("refreshes", requests.stream().filter(r -> "refresh_token".equals(r.type()) && r.status() == 200).count());
        c.put("refreshRequests", requests.stream().filter(r -> "refresh_token".equals(r.type())).count());
        c.put("tokenEndpointFailures", requests.stream().filter(r -> r.status() >= 500).count());
        c.put("invalidGrants", market.invalidGrants());
        c.put("invalidGrantsFromReuse", causes.getOrDefault("refresh_token:used", 0L));
        c.put("invalidGrantCauses", new java.util.TreeMap<>(causes));
        c.put("accessTokenExpiries", (long) setup.connections().expireAccessTokensAt().size());
        c.put("revokedOnPurpose", (long) revoked.size());
        c.put("reconnectRequired", (long) reconnect.size());
        c.put("revokedReconnectRequired", revoked.stream().filter(reconnect::contains).count());
        List<String> lost = reconnect.stream().filter(s -> !revoked.contains(s)).toList();
        c.put("connectionsLost", (long) lost.size());
        c.put("lostMalls", lost);
        c.put("requestsFailedReconnectRequired", failedReconnect);
        c.put("requestsFailedOtherMalls", failedOthers);
        return c;
    }

    /**
     * Orders a collection of a range wrote again in a state already stored ({@code rangeRepeats}: a redelivered or
     * repeated request, overlapping ranges). An order that moved on between two lists (Coupang's walk by status meets a
     * moving order twice) or that the tracking re-collected one by one is not a repeat.
     */
    /**
     * What the orders table holds per market and kind: orders ({@code market#seller}) and the records of every other kind
     * ({@code market#seller#kind}); tracking items are not counted.
     */
    static Map<String, Map<String, Long>> storedByKind(LocalPlatform platform) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        for (Map<String, AttributeValue> item : platform.dynamoDb()
                .scanPaginator(b -> b.tableName(platform.tables().orders())).items()) {
            AttributeValue pk = item.get("pk");
            if (pk == null || pk.s() == null || pk.s().startsWith(io.marketgate.handlers.store.OrderStore.TRACK_PREFIX)) {
                continue;
            }
            String[] parts = pk.s().split("#");
            String kind = parts.length >= 3 ? parts[parts.length - 1] : "orders";
            out.computeIfAbsent(parts[0], m -> new java.util.TreeMap<>()).merge(kind, 1L, Long::sum);
        }
        return out;
    }

    private static long ordersWrittenMoreThanOnce(LocalPlatform platform) {
        long n = 0;
        for (Map<String, AttributeValue> item : platform.dynamoDb()
                .scanPaginator(b -> b.tableName(platform.tables().orders())).items()) {
            AttributeValue repeats = item.get("rangeRepeats");
            if (repeats != null && repeats.n() != null && Long.parseLong(repeats.n()) > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The orders the simulated market created during the run and a collection of a range covered (paid from the run's
     * start until the latest {@code to} of the market's range requests), against the store: how many are stored with a
     * final common status, the ones that are not (first 10), those the tracking gave up, and the tracking items left.
     */
    private static Map<String, Object> trackedOrders(LocalPlatform platform, SimulatedMarket sim, String market, Instant start) {
        Instant coveredTo = start;
        for (Map<String, AttributeValue> item : platform.dynamoDb()
                .scanPaginator(b -> b.tableName(platform.tables().requests())).items()) {
            if (market.equals(SimulationRun.RequestTally.text(item, "market")) && !item.containsKey("orderId")
                    && item.containsKey("to")) {
                Instant to = Instant.parse(SimulationRun.RequestTally.text(item, "to"));
                coveredTo = to.isAfter(coveredTo) ? to : coveredTo;
            }
        }
        io.marketgate.handlers.store.OrderStore store = new io.marketgate.handlers.store.OrderStore(platform.dynamoDb(),
                platform.tables().orders(), java.time.Clock.systemUTC());
        long created = 0;
        long finished = 0;
        long notStored = 0;
        long gaveUp = 0;
        long followed = 0;
        List<String> notFinal = new ArrayList<>();
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        for (String seller : platform.sellers(market)) {
            for (io.marketgate.marketsim.Order o : sim.orders(seller, start, coveredTo)) {
                created++;
                String id = sim.clientOrderId(o);
                Optional<io.marketgate.handlers.store.OrderStore.StoredOrder> stored = store.find(market, seller, id);
                if (stored.isEmpty()) {
                    notStored++;
                    notFinal.add(seller + "/" + id + " (not stored)");
                    continue;
                }
                byStatus.merge(stored.get().commonStatus().name(), 1L, Long::sum);
                if (stored.get().trackingGaveUpAt().isPresent()) {
                    gaveUp++;
                }
                if (stored.get().commonStatus().isFinal()) {
                    finished++;
                    if (stored.get().recollections() > 0) {
                        followed++;
                    }
                } else {
                    notFinal.add(seller + "/" + id + " (" + stored.get().status() + ")");
                }
            }
        }
        long[] trackedLeft = {0};
        List<String> trackedLeftOrders = new ArrayList<>();
        store.tracked(market, page -> {
            trackedLeft[0] += page.size();
            for (io.marketgate.handlers.store.OrderStore.Tracked tracked : page) {
                if (trackedLeftOrders.size() < 10) {
                    trackedLeftOrders.add(tracked.sellerId() + "/" + tracked.orderId() + " (since " + tracked.trackedSince() + ", "
                            + store.find(market, tracked.sellerId(), tracked.orderId()).map(o -> o.status() + " changed "
                                    + o.changedAt() + ", paid " + o.updatedAt()).orElse("not stored") + ")");
                }
            }
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("createdFrom", start.toString());
        out.put("createdTo", coveredTo.toString());
        out.put("created", created);
        out.put("final", finished);
        out.put("followedToFinal", followed);
        out.put("notFinal", created - finished);
        out.put("notFinalOrders", notFinal.subList(0, Math.min(10, notFinal.size())));
        out.put("notStored", notStored);
        out.put("storedByStatus", byStatus);
        out.put("trackingGaveUp", gaveUp);
        out.put("trackedLeft", trackedLeft[0]);
        out.put("trackedLeftOrders", trackedLeftOrders);
        return out;
    }

    private static Map<String, Object> budgets(ComplianceReport report, List<MarketBudget> budgets, List<Arrival> arrivals) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (MarketBudget b : budgets) {
            BudgetCompliance c = report.budget(b.name());
            Map<String, Object> bm = new LinkedHashMap<>();
            bm.put("kind", b.kind().name());
            bm.put("scope", b.scope().name());
            bm.put("limit", b.limit());
            bm.put("windowSeconds", b.window().toMillis() / 1000.0);
            bm.put("ratePerSecond", round(rate(b)));
            bm.put("calls", c.callsCounted());
            bm.put("callsOverBudget", c.callsOverBudget());
            bm.put("peak", c.peak());
            bm.put("tightestSpanMs", tightestSpanMs(b, arrivals));
            out.put(b.name(), bm);
        }
        return out;
    }

    /**
     * How close a sliding window came to its limit: the shortest time, at the market, between a call and the
     * {@code limit}-th call after it with the same scope key. Below the window means calls over budget; just above
     * it means the client had no margin for network jitter. Null for leaky buckets or when too few calls.
     */
    private static Double tightestSpanMs(MarketBudget b, List<Arrival> arrivals) {
        if (b.kind() != MarketBudget.Kind.SLIDING_WINDOW) {
            return null;
        }
        Map<String, List<Long>> byKey = new HashMap<>();
        for (Arrival a : arrivals) {
            if (b.appliesTo(a.endpoint())) {
                String key = b.scope().key(a.apiKey(), a.endpoint(), a.sellerId());
                if (key != null) {
                    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(a.epochNanos());
                }
            }
        }
        long best = Long.MAX_VALUE;
        int l = (int) b.limit();
        for (List<Long> times : byKey.values()) {
            times.sort(null);
            for (int i = 0; i + l < times.size(); i++) {
                best = Math.min(best, times.get(i + l) - times.get(i));
            }
        }
        return best == Long.MAX_VALUE ? null : round(best / 1e6);
    }

    /** A sliding window's average rate, or a leaky bucket's drain rate ({@code limit} per {@code window} for both). */
    private static double rate(MarketBudget b) {
        return b.limit() / (b.window().toMillis() / 1000.0);
    }

    private static Priority parsePriority(String text) {
        try {
            return Priority.parse(text);
        } catch (IllegalArgumentException e) {
            return Priority.MEDIUM;
        }
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
