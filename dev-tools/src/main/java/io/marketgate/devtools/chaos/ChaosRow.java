package io.marketgate.devtools.chaos;

import io.marketgate.limiter.Priority;
import io.marketgate.local.Scenario;
import io.marketgate.local.SimulationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One scenario's line of the chaos table, read from its {@link SimulationReport}, and the verdict on each promise under
 * its faults (docs/reliability.md).
 *
 * @param calls            calls that reached the simulated markets (authenticated arrivals)
 * @param overBudget       calls over the markets' own budgets, judged on their arrivals
 * @param refused429       answers refusing a call as over a limit (429, or 11st's code in a 200), whatever the cause
 * @param lost             requests that did not end and are not in a dead-letter queue (nothing tells anyone of them)
 * @param duplicates       orders a collection wrote again in a state already stored, plus actions the markets were asked
 *                         for again after they were done
 * @param deadLetters      messages in the dead-letter queues, with the reason each one's request last recorded
 * @param highDone         HIGH requests (actions and HIGH collections) done, of {@code highAsked}
 * @param highFailures     why the HIGH requests that failed failed, by reason
 * @param lowGaveUp        LOW requests that gave up (FAILED "gave up after N attempts"), counted, not lost
 * @param durationRatio    the run's duration ÷ the minimum its budgets allow (0 when no minimum)
 */
public record ChaosRow(String scenario, List<String> faults, long calls, long overBudget, long refused429, long lost,
        long duplicates, long ordersWrittenTwice, long actionsRepeated, long deadLetters, Map<String, Long> deadLetterReasons,
        long highDone, long highAsked, Map<String, Long> highFailures, long highWaitP99Ms, long lowGaveUp, long lowAsked,
        double durationSeconds, double minimumSeconds, double durationRatio, List<Verdict> verdicts) {

    /** What became of one promise in one scenario. */
    public enum Status {
        /** Kept. */
        KEPT,
        /** Not kept where the design cannot keep it (docs/reliability.md says so); shown with its number, not a failure. */
        LIMIT,
        /** Not kept: the suite fails. */
        BROKEN
    }

    public record Verdict(String promise, Status status, String detail) {}

    /** Promises, as docs/reliability.md names them. */
    static final String WITHIN_LIMITS = "never over a market's limit";
    static final String NOTHING_LOST = "nothing lost";
    static final String ONCE = "nothing written twice";
    static final String WITH_REASON = "what cannot succeed ends with its reason";
    static final String LOW_COUNTED = "LOW that gives up is counted";
    static final String HIGH_DONE = "HIGH done once the fault ends";
    static final String RECEIVE_LIMIT = "work past the receive limit is counted and alarmed";

    /**
     * Faults under which a HIGH request may fail for good by design, with the words of its reason: a credential that the
     * market no longer accepts must be fixed by the seller. (A 200 whose body is malformed is retried by the adapters, so
     * a HIGH action failed by one breaks the promise; docs/reliability.md.)
     */
    static final Map<String, List<String>> HIGH_FAILURE_LIMITS = Map.of(
            "credentialRevoked", List.of("credential", "401", "rejected", "reconnect"));
    /**
     * Faults after which work waits, in its queue, longer than the fault lasts, by design: a market's 429 or block cools
     * its budgets down for the Retry-After or the budget's configured cool-down (Coupang sends none: 5 min in dev), an IP
     * refusal pauses them for the handlers' pause (10 min as deployed, until the runbook's resume).
     */
    static final Set<String> WAIT_LIMITS = Set.of("storm429", "penaltyBlock", "ipRejected");
    /**
     * Faults that take the limiter's store away (the failure mode decides meanwhile): a cluster failover takes the failed
     * master's slots away until its replica is promoted, and the replica lacks the grants not yet replicated to it.
     */
    static final Set<String> STORE_FAULTS = Set.of("valkeyPaused", "valkeyRestarted", "clusterFailover");
    /** Faults after which a market may be asked again for an action it did (its answer never reached us). */
    static final Set<String> REPEAT_LIMITS = Set.of("timeouts", "hang", "malformed");

    @SuppressWarnings("unchecked")
    static ChaosRow of(Scenario scenario, SimulationReport report) {
        Map<String, Object> t = report.tree();
        List<String> faultTypes = scenario.faults().stream().map(Scenario.Fault::type).distinct().toList();
        long calls = 0;
        long refused = 0;
        for (Object m : ((Map<String, Object>) t.get("markets")).values()) {
            Map<String, Object> market = (Map<String, Object>) m;
            calls += number(market.get("calls"));
            refused += number(market.get("throttled"));
        }
        long deadLetters = number(t.get("deadLetters"));
        Map<String, Long> reasons = new TreeMap<>();
        ((Map<String, Object>) t.getOrDefault("deadLetterReasons", Map.of())).forEach((k, v) -> reasons.put(k, number(v)));
        long lostInReport = 0;
        for (Priority p : Priority.values()) {
            lostInReport += number(report.priority(p).get("lost"));
        }
        // a request in a DLQ has not ended either: the report counts it lost; here it is counted as a dead letter, and one
        // still in its queue when the run stopped (waiting out a cool-down or a pause) as waiting
        Map<String, Object> queued = (Map<String, Object>) t.getOrDefault("queuedAtEnd", Map.of());
        long queuedCollections = number(queued.get("collections"));
        long queuedActions = number(queued.get("actions"));
        long lost = Math.max(0, lostInReport - deadLetters - queuedCollections - queuedActions);
        Map<String, Object> dup = (Map<String, Object>) t.get("duplicates");
        long ordersTwice = number(dup.get("ordersWrittenMoreThanOnce"));
        long repeated = number(dup.get("shipmentsRepeated")) + number(dup.get("recordActionsRepeated"));
        Map<String, Object> high = report.priority(Priority.HIGH);
        Map<String, Long> highFailures = new TreeMap<>();
        ((Map<String, Object>) high.getOrDefault("failureReasons", Map.of())).forEach((k, v) -> highFailures.put(k, number(v)));
        Map<String, Object> low = report.priority(Priority.LOW);
        long lowGaveUp = ((Map<String, Object>) low.getOrDefault("failureReasons", Map.of())).entrySet().stream()
                .filter(e -> e.getKey().startsWith("gave up")).mapToLong(e -> number(e.getValue())).sum();
        double duration = ((Number) t.get("durationSeconds")).doubleValue();
        double minimum = ((Number) t.get("minimumSeconds")).doubleValue();

        List<Verdict> verdicts = new ArrayList<>();
        long over = report.callsOverBudget();
        long storeFailures = number(t.get("limiterStoreFailures"));
        // local fallback gives each instance one call per ceil(fleet / limit) windows where a budget's limit is below the
        // fleet size: the fleet's average holds, one window may see a call per instance (FailureMode's javadoc)
        Status within = over == 0 ? Status.KEPT
                : storeFailures > 0 && faultTypes.stream().anyMatch(STORE_FAULTS::contains) ? Status.LIMIT : Status.BROKEN;
        verdicts.add(new Verdict(WITHIN_LIMITS, within, over + " calls over the markets' budgets; " + storeFailures
                + " decisions by the store's failure mode (local fallback: limit ÷ fleet size per instance, at least one call)"
                + (faultTypes.contains("clusterFailover") ? "; a failover also loses the grants the failed master had not "
                        + "replicated (asynchronous replication)" : "")));
        verdicts.add(new Verdict(NOTHING_LOST, lost == 0 ? Status.KEPT : Status.BROKEN, lost
                + " requests neither ended, nor queued, nor in a dead-letter queue; " + (queuedCollections + queuedActions)
                + " messages still queued when the run stopped"));
        Status once = ordersTwice > 0 ? Status.BROKEN
                : repeated == 0 ? Status.KEPT
                : faultTypes.stream().anyMatch(REPEAT_LIMITS::contains) ? Status.LIMIT : Status.BROKEN;
        verdicts.add(new Verdict(ONCE, once, ordersTwice + " orders written again in a state already stored; " + repeated
                + " actions asked again after the market had done them (the market kept one)"));
        long unexplained = reasons.entrySet().stream().filter(e -> e.getKey().contains("no reason recorded")
                || e.getKey().contains("no request id")).mapToLong(Map.Entry::getValue).sum();
        verdicts.add(new Verdict(WITH_REASON, unexplained == 0 ? Status.KEPT : Status.BROKEN,
                unexplained + " dead letters without a reason, of " + deadLetters));
        long lowDead = reasons.entrySet().stream().filter(e -> e.getKey().contains("[LOW]")).mapToLong(Map.Entry::getValue).sum();
        long lowLost = Math.max(0, number(low.get("lost")) - lowDead);
        verdicts.add(new Verdict(LOW_COUNTED, lowLost == 0 ? Status.KEPT : Status.BROKEN,
                lowGaveUp + " LOW gave up and are counted failed; " + lowDead + " LOW in dead-letter queues; " + lowLost + " LOW lost"));
        long highAsked = number(high.get("requests"));
        long highDone = number(high.get("succeeded"));
        long highFailedByDesign = 0;
        for (Map.Entry<String, Long> e : highFailures.entrySet()) {
            for (String fault : faultTypes) {
                if (HIGH_FAILURE_LIMITS.getOrDefault(fault, List.of()).stream().anyMatch(e.getKey()::contains)) {
                    highFailedByDesign += e.getValue();
                    break;
                }
            }
        }
        long highWaiting = faultTypes.stream().anyMatch(WAIT_LIMITS::contains)
                ? Math.min(queuedActions, highAsked - highDone - highFailedByDesign) : 0;
        // an action that outlived its queue's receive limit is in the action queue's DLQ: counted and alarmed, not done
        long actionsDead = reasons.entrySet().stream().filter(e -> e.getKey().contains("-actions"))
                .mapToLong(Map.Entry::getValue).sum();
        long highDead = Math.min(actionsDead, highAsked - highDone - highFailedByDesign - highWaiting);
        Status highStatus = highDone == highAsked ? Status.KEPT
                : highDone + highFailedByDesign + highWaiting + highDead == highAsked ? Status.LIMIT : Status.BROKEN;
        verdicts.add(new Verdict(HIGH_DONE, highStatus, highDone + "/" + highAsked + " done"
                + (highDead == 0 ? "" : "; " + highDead + " outlived the action queue's receive limit (in its DLQ, alarmed)")
                + (highWaiting == 0 ? "" : "; " + highWaiting + " waiting in the queue for the market's cool-down or the IP pause "
                        + "when the run stopped")
                + (highFailures.isEmpty() ? "" : "; failed: " + highFailures)));
        long dead = 0;
        for (String queue : reasons.keySet()) {
            dead += reasons.get(queue);
        }
        verdicts.add(new Verdict(RECEIVE_LIMIT, Status.KEPT, dead == 0 ? "none reached a dead-letter queue"
                : dead + " in dead-letter queues, counted here and by the dlq-depth alarm"));
        return new ChaosRow(scenario.name(), faultTypes, calls, over, refused, lost, ordersTwice + repeated, ordersTwice,
                repeated, deadLetters, reasons, highDone, highAsked, highFailures, number(high.get("waitP99Ms")), lowGaveUp,
                number(low.get("requests")), duration, minimum, minimum == 0 ? 0 : round(duration / minimum), List.copyOf(verdicts));
    }

    /** The verdicts that fail the suite. */
    public List<Verdict> broken() {
        return verdicts.stream().filter(v -> v.status() == Status.BROKEN).toList();
    }

    /** The promises not kept where the design cannot keep them. */
    public List<Verdict> limits() {
        return verdicts.stream().filter(v -> v.status() == Status.LIMIT).toList();
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("faults", faults);
        m.put("calls", calls);
        m.put("callsOverBudget", overBudget);
        m.put("refused429", refused429);
        m.put("lost", lost);
        m.put("duplicates", duplicates);
        m.put("ordersWrittenTwice", ordersWrittenTwice);
        m.put("actionsRepeated", actionsRepeated);
        m.put("deadLetters", deadLetters);
        m.put("deadLetterReasons", deadLetterReasons);
        m.put("highDone", highDone);
        m.put("highAsked", highAsked);
        m.put("highFailures", highFailures);
        m.put("highWaitP99Ms", highWaitP99Ms);
        m.put("lowGaveUp", lowGaveUp);
        m.put("lowAsked", lowAsked);
        m.put("durationSeconds", durationSeconds);
        m.put("minimumSeconds", minimumSeconds);
        m.put("durationOverMinimum", durationRatio);
        List<Map<String, Object>> vs = new ArrayList<>();
        for (Verdict v : verdicts) {
            vs.add(Map.of("promise", v.promise(), "status", v.status().name(), "detail", v.detail()));
        }
        m.put("promises", vs);
        return m;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
