package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Many callers over several store instances (separate connections, like separate Lambda instances) hammer one
 * budget; afterwards every sliding window is checked against the ceilings, using the store's own timestamps.
 */
class ValkeyConcurrencyTest {

    private static final long LIMIT = 50;
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Duration RUN = Duration.ofSeconds(3);
    /** A denied caller asks again after this pause, or sooner if its retry-after is shorter. */
    private static final Duration MAX_PAUSE_AFTER_DENIAL = Duration.ofMillis(2);
    /**
     * This test is about the ceilings under contention, not about latency: 32 busy callers, the server and
     * whatever else runs on a small build machine can delay a reply past the default 200 ms, and the failure
     * mode would then decide instead of the store. ValkeyFailureTest covers the timeouts.
     */
    private static final ValkeyStoreOptions OPTIONS = ValkeyStoreOptions.builder().commandTimeout(Duration.ofSeconds(5)).build();

    private record Grant(long micros, Priority priority) {}

    @Test
    void callers_on_one_server_never_exceed_any_ceiling_in_any_sliding_window() throws Exception {
        try (ValkeyServer server = new ValkeyServer().start()) {
            hammerAndCheck(32, 4, () -> ValkeyLimiterStore.standalone(server.uri(), OPTIONS));
        }
    }

    @Test
    void callers_on_a_cluster_never_exceed_any_ceiling_in_any_sliding_window() throws Exception {
        try (ValkeyCluster cluster = ValkeyCluster.start()) {
            hammerAndCheck(32, 4, () -> ValkeyLimiterStore.cluster(cluster.seedUris(), OPTIONS));
        }
    }

    @Test
    void callers_without_coalescing_never_exceed_any_ceiling_in_any_sliding_window() throws Exception {
        // one script per decision: no batches, and no denial answered from memory
        ValkeyStoreOptions alone = ValkeyStoreOptions.builder().commandTimeout(OPTIONS.commandTimeout()).coalesce(false)
                .denialMemory(Duration.ZERO).build();
        try (ValkeyServer server = new ValkeyServer().start()) {
            List<ValkeyLimiterStore> stores = hammerAndCheck(32, 4, () -> ValkeyLimiterStore.standalone(server.uri(), alone));
            assertThat(stores.stream().mapToLong(ValkeyLimiterStore::decideScriptCalls).sum()).isEqualTo(lastDecisions);
        }
    }

    @Test
    void many_callers_on_few_stores_are_decided_in_large_batches_and_never_exceed_any_ceiling() throws Exception {
        try (ValkeyServer server = new ValkeyServer().start()) {
            // GIVEN 64 callers over 2 stores: up to 32 decisions of a store wait for its batch in flight
            List<ValkeyLimiterStore> stores = hammerAndCheck(64, 2, () -> ValkeyLimiterStore.standalone(server.uri(), OPTIONS));

            // THEN batching really happened: far fewer script calls than decisions
            long scripts = stores.stream().mapToLong(ValkeyLimiterStore::decideScriptCalls).sum();
            assertThat(scripts).as("decide script calls for %d decisions", lastDecisions).isLessThan(lastDecisions / 2);
        }
    }

    /** The decisions of the last {@link #hammerAndCheck} run. */
    private long lastDecisions;

    private List<ValkeyLimiterStore> hammerAndCheck(int callers, int storeCount, Supplier<ValkeyLimiterStore> stores)
            throws Exception {
        // GIVEN limiters, each with its own store and connection, on one budget of 50 per second
        Budget budget = Budget.named("coupang/vendor").limit(LIMIT).window(WINDOW).build();
        List<PriorityLimiter> limiters = new ArrayList<>();
        List<ValkeyLimiterStore> opened = new ArrayList<>();
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < storeCount; i++) {
            ValkeyLimiterStore store = stores.get();
            opened.add(store);
            limiters.add(PriorityLimiter.builder().budget(budget).store(store).listener(new LimiterListener() {
                @Override
                public void onStoreFailure(Throwable cause) {
                    failures.add(cause);
                }
            }).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Grant> grants = new ArrayList<>();
        long decisions = 0;
        try {
            // WHEN the callers, of mixed priorities, ask as fast as they can for 3 s: LOW from the start, MEDIUM
            // from 0.5 s, HIGH from 1 s. Under saturation by higher priorities LOW is rightly starved (it fits only
            // below 70%), so the staggered start is what lets every priority meet the budget while it has room for
            // it; from 1 s on, every window mixes all three.
            long begin = System.nanoTime();
            long deadline = begin + RUN.toNanos();
            List<Future<CallerResult>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                PriorityLimiter limiter = limiters.get(c % storeCount);
                Priority priority = Priority.values()[c % 3];
                long startAt = begin + switch (priority) {
                    case LOW -> 0L;
                    case MEDIUM -> 500_000_000L;
                    case HIGH -> 1_000_000_000L;
                };
                results.add(pool.submit(() -> hammer(limiter, priority, startAt, deadline)));
            }
            for (Future<CallerResult> f : results) {
                CallerResult r = f.get();
                // every decision came from the shared store: no failure was masked by the failure mode
                assertThat(r.notByStore()).as("decisions not by the store; store failures: %s", failures).isEmpty();
                grants.addAll(r.grants());
                decisions += r.decisions();
            }
        } finally {
            pool.shutdownNow();
            limiters.forEach(PriorityLimiter::close);
        }

        // THEN in every window (t − 1 s, t] ending at a grant: at most 50 in all, 40 MEDIUM+LOW, 35 LOW
        grants.sort(Comparator.comparingLong(Grant::micros));
        long windowMicros = WINDOW.toNanos() / 1_000L;
        long mediumAndLowCap = Budget.named("x/y").limit(LIMIT).build().capacity(Priority.MEDIUM);
        long lowCap = Budget.named("x/y").limit(LIMIT).build().capacity(Priority.LOW);
        assertThat(mediumAndLowCap).isEqualTo(40);
        assertThat(lowCap).isEqualTo(35);
        for (Grant end : grants) {
            long total = 0;
            long mediumAndLow = 0;
            long low = 0;
            for (Grant g : grants) {
                if (g.micros() > end.micros() - windowMicros && g.micros() <= end.micros()) {
                    total++;
                    mediumAndLow += g.priority() == Priority.HIGH ? 0 : 1;
                    low += g.priority() == Priority.LOW ? 1 : 0;
                }
            }
            assertThat(total).as("grants in the window ending at %d", end.micros()).isLessThanOrEqualTo(LIMIT);
            assertThat(mediumAndLow).as("MEDIUM+LOW grants in the window ending at %d", end.micros())
                    .isLessThanOrEqualTo(mediumAndLowCap);
            assertThat(low).as("LOW grants in the window ending at %d", end.micros()).isLessThanOrEqualTo(lowCap);
        }
        // AND the budget was really contended, and every priority got some of it
        Map<Priority, Long> perPriority = new EnumMap<>(Priority.class);
        grants.forEach(g -> perPriority.merge(g.priority(), 1L, Long::sum));
        assertThat(decisions).isGreaterThan(10L * grants.size());
        assertThat(grants.size()).isGreaterThanOrEqualTo((int) (2 * LIMIT));
        assertThat(perPriority).containsOnlyKeys(Priority.values());
        lastDecisions = decisions;
        return opened;
    }

    private record CallerResult(List<Grant> grants, long decisions, List<Decision> notByStore) {}

    private static CallerResult hammer(PriorityLimiter limiter, Priority priority, long startAt, long deadline)
            throws InterruptedException {
        Call call = Call.of(priority, "coupang/vendor");
        long wait = startAt - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
        List<Grant> grants = new ArrayList<>();
        List<Decision> notByStore = new ArrayList<>();
        long decisions = 0;
        while (System.nanoTime() < deadline) {
            Decision d = limiter.tryAcquire(call);
            decisions++;
            // a denial repeated from the store's denial memory is the store's own, moments ago; grants never are
            boolean remembered = d.decidedBy() == Decision.DecidedBy.REMEMBERED && !d.granted();
            if (d.decidedBy() != Decision.DecidedBy.STORE && !remembered) {
                notByStore.add(d);
            } else if (d.granted()) {
                grants.add(new Grant(d.storeTimeMicros(), priority));
            } else {
                Duration pause = d.retryAfter().compareTo(MAX_PAUSE_AFTER_DENIAL) < 0 ? d.retryAfter() : MAX_PAUSE_AFTER_DENIAL;
                Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000L));
            }
        }
        return new CallerResult(grants, decisions, notByStore);
    }
}
