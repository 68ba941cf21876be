package io.marketgate.local;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Ceilings;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.marketsim.BudgetCompliance;
import io.marketgate.marketsim.Latency;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many callers drawing from the real limiter on a Valkey server and calling a simulated market whose network delay
 * jitters: what the market counts in its sliding windows, with a given jitter guard on the limiter's budget. The market
 * and the budget have the same limit and window; every call the limiter grants is sent, so the market's compliance
 * checker judges exactly what the limiter let through.
 *
 * <pre>{@code
 * JitterRun.Result plain = JitterRun.run(valkey.uri(), settings.withGuard(JitterRun.Guard.none()));
 * JitterRun.Result guarded = JitterRun.run(valkey.uri(), settings.withGuard(JitterRun.Guard.fixed(Duration.ofMillis(200))));
 * plain.callsOverBudget();   // > 0: calls granted a window apart arrived closer
 * guarded.callsOverBudget(); // 0
 * }</pre>
 *
 * <p>{@link Guard#auto()} lets the limiter size the guard from the round trips the callers measure and report, as
 * the market client does.
 */
public final class JitterRun {

    private static final String MARKET = "jitter";
    private static final String API_KEY = "jitter-key";
    private static final String SELLER = "S1";
    private static final AtomicLong RUNS = new AtomicLong();

    private JitterRun() {}

    /** The limiter's guard for a run: none, a fixed one, or measured from the round trips. */
    public record Guard(Duration fixed, boolean measured) {
        public Guard {
            Objects.requireNonNull(fixed, "fixed");
        }

        public static Guard none() {
            return new Guard(Duration.ZERO, false);
        }

        public static Guard fixed(Duration guard) {
            return new Guard(guard, false);
        }

        /** Sized by the limiter from the callers' measured round trips (zero until enough are measured). */
        public static Guard auto() {
            return new Guard(Duration.ZERO, true);
        }

        @Override
        public String toString() {
            return measured ? "measured" : fixed.isZero() ? "none" : fixed.toMillis() + " ms";
        }
    }

    /**
     * One run: {@code callers} concurrent callers until {@code grants} calls were granted and sent, against a budget of
     * {@code limit} per {@code window} at the market and in the limiter, over a network of {@code latency}.
     */
    public record Settings(int callers, long limit, Duration window, Latency latency, Guard guard, int grants, long seed) {
        public Settings {
            if (callers < 1 || callers > 10_000) {
                throw new IllegalArgumentException("callers is " + callers + ", must be 1 to 10000");
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit is " + limit + ", must be ≥ 1");
            }
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(guard, "guard");
            if (grants < 1) {
                throw new IllegalArgumentException("grants is " + grants + ", must be ≥ 1");
            }
        }

        public Settings withGuard(Guard g) {
            return new Settings(callers, limit, window, latency, g, grants, seed);
        }
    }

    /**
     * What a run measured.
     *
     * @param guardUsed       the guard the limiter decided with at the end of the run
     * @param grants          calls granted and sent
     * @param seconds         from the first grant to the last
     * @param arrivals        calls the market counted
     * @param callsOverBudget arrivals beyond the limit in the market's window ending at them (0: the promise kept)
     * @param peak            the most arrivals in one market window
     * @param delays          how long the granted calls took from their grant (the store's clock) to their arrival (the
     *                        market's clock)
     */
    public record Result(Settings settings, Duration guardUsed, int grants, double seconds, long arrivals, long callsOverBudget,
            long peak, Delays delays) {
        /** Grants per second after the first window's burst: (grants − limit) over the time from the first grant to the last. */
        public double grantsPerSecond() {
            return seconds <= 0 ? 0 : (grants - settings.limit()) / seconds;
        }
    }

    /**
     * Opens the callers' connections and warms the JVM's paths before anything is measured: a first call pays for a TCP
     * connection, class loading and the JIT, which are not the network's jitter. Their round trips are reported, as a
     * market client that has been running reports its calls' (a measured guard starts from them). Then the market
     * forgets these calls.
     */
    private static void warmUp(MarketSim sim, PriorityLimiter limiter, HttpClient http, URI uri, ExecutorService pool,
            int callers) throws InterruptedException {
        List<Future<?>> warming = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            warming.add(pool.submit(() -> {
                for (int k = 0; k < 3; k++) {
                    long sent = System.nanoTime();
                    http.send(HttpRequest.newBuilder(uri).header("X-Api-Key", API_KEY).GET().build(),
                            HttpResponse.BodyHandlers.discarding());
                    limiter.observeRoundTrip(MARKET, Duration.ofNanos(System.nanoTime() - sent));
                }
                return null;
            }));
        }
        await(warming);
        sim.market(MARKET).reset();
    }

    private static void await(List<Future<?>> tasks) throws InterruptedException {
        for (Future<?> f : tasks) {
            try {
                f.get(10, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a caller of the jitter run failed (the market or the store): " + e.getCause(),
                        e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the jitter run did not finish within 10 minutes", e);
            }
        }
    }

    /**
     * The delays from grant to arrival: their median and 99th percentile, their whole spread (max − min), and the
     * market windows over the limit that no guard of {@code guardUsed} could have prevented, or could have.
     *
     * @param overLimitBeyondGuard arrivals over the limit whose window's calls had delays differing by more than the
     *                             guard (the guard promises nothing for them: a stall of the machine, a slow connection)
     * @param overLimitWithinGuard arrivals over the limit whose window's calls had delays within the guard: what a
     *                             working guard never lets happen
     */
    public record Delays(Duration p50, Duration p99, Duration spread, long overLimitBeyondGuard, long overLimitWithinGuard) {}

    /** Each arrival's delay from its grant, and the windows over the limit judged against the guard. */
    private static Delays delays(List<io.marketgate.marketsim.Arrival> arrivals, java.util.Map<String, Long> grantMicros,
            Settings s, Duration guard) {
        List<long[]> calls = new ArrayList<>();   // {arrival µs, delay µs}, in arrival order
        for (io.marketgate.marketsim.Arrival a : arrivals) {
            Long granted = a.orderId() == null ? null : grantMicros.get(a.orderId());
            if (granted != null) {
                long at = a.epochNanos() / 1_000L;
                calls.add(new long[] {at, at - granted});
            }
        }
        calls.sort(java.util.Comparator.comparingLong(c -> c[0]));
        long[] sorted = calls.stream().mapToLong(c -> c[1]).sorted().toArray();
        if (sorted.length == 0) {
            return new Delays(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0);
        }
        long window = s.window().toNanos() / 1_000L;
        long guardMicros = guard.toNanos() / 1_000L;
        long beyond = 0;
        long within = 0;
        int start = 0;
        for (int j = 0; j < calls.size(); j++) {
            while (calls.get(start)[0] <= calls.get(j)[0] - window) {
                start++;
            }
            if (j - start + 1 > s.limit()) {
                long min = Long.MAX_VALUE;
                long max = Long.MIN_VALUE;
                for (int k = start; k <= j; k++) {
                    min = Math.min(min, calls.get(k)[1]);
                    max = Math.max(max, calls.get(k)[1]);
                }
                if (max - min > guardMicros) {
                    beyond++;
                } else {
                    within++;
                }
            }
        }
        return new Delays(micros(sorted[(sorted.length - 1) / 2]), micros(sorted[(int) Math.ceil(0.99 * sorted.length) - 1]),
                micros(sorted[sorted.length - 1] - sorted[0]), beyond, within);
    }

    private static Duration micros(long m) {
        return Duration.ofNanos(m * 1_000L);
    }

    /** Runs once against the Valkey (or Redis) server at {@code valkeyUri}; each run uses keys of its own. */
    public static Result run(String valkeyUri, Settings s) throws InterruptedException {
        MarketConfig market = MarketConfig.named(MARKET).apiKeys(API_KEY).sellers(SELLER).seed(s.seed())
                .budget(MarketBudget.slidingWindow("key", Scope.API_KEY, (int) s.limit(), s.window()))
                .latency(s.latency()).build();
        Budget.Builder budget = Budget.named(MARKET + "/key").limit(s.limit()).window(s.window())
                .ceilings(new Ceilings(1, 1, 1)).jitterGuard(s.guard().fixed());
        if (s.guard().measured()) {
            budget.measuredJitterGuard();
        }
        String prefix = "mg-jitter-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
        try (MarketSim sim = MarketSim.builder().market(market).start();
                PriorityLimiter limiter = PriorityLimiter.builder().budget(budget.build())
                        .store(ValkeyLimiterStore.standalone(valkeyUri, ValkeyStoreOptions.builder().keyPrefix(prefix).build()))
                        .maxJitter(Duration.ZERO)
                        .build();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Instant from = Instant.parse("2026-11-20T00:00:00Z");
            URI uri = URI.create(sim.baseUrl(MARKET) + "/v1/sellers/" + SELLER + "/orders?from=" + from + "&to="
                    + from.plus(Duration.ofHours(1)) + "&size=1");
            warmUp(sim, limiter, http, uri, callers, s.callers());
            AtomicInteger granted = new AtomicInteger();
            AtomicLong first = new AtomicLong(Long.MAX_VALUE);
            AtomicLong last = new AtomicLong(Long.MIN_VALUE);
            Call call = Call.of(Priority.MEDIUM, MARKET + "/key");
            String base = sim.baseUrl(MARKET) + "/v1/sellers/" + SELLER + "/orders/";
            AtomicLong ids = new AtomicLong();
            java.util.Map<String, Long> grantMicros = new java.util.concurrent.ConcurrentHashMap<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < s.callers(); i++) {
                running.add(callers.submit(() -> {
                    while (granted.get() < s.grants()) {
                        Decision d = limiter.acquire(call, Duration.ofSeconds(30));
                        if (!d.granted()) {
                            continue;
                        }
                        granted.incrementAndGet();   // a grant past the target is still sent: the market counts it
                        long at = d.storeTimeMicros();
                        first.accumulateAndGet(at, Math::min);
                        last.accumulateAndGet(at, Math::max);
                        // each call names its grant as the order it asks for (404 at the market, counted all the same)
                        String id = "g-" + ids.incrementAndGet();
                        grantMicros.put(id, at);
                        HttpRequest request = HttpRequest.newBuilder(URI.create(base + id)).header("X-Api-Key", API_KEY)
                                .timeout(Duration.ofSeconds(30)).GET().build();
                        long sent = System.nanoTime();
                        http.send(request, HttpResponse.BodyHandlers.discarding());
                        limiter.observeRoundTrip(MARKET, Duration.ofNanos(System.nanoTime() - sent));
                    }
                    return null;
                }));
            }
            await(running);
            BudgetCompliance verdict = sim.market(MARKET).compliance().budget("key");
            Duration guardUsed = limiter.jitterGuard(MARKET + "/key");
            return new Result(s, guardUsed, granted.get(), (last.get() - first.get()) / 1e6,
                    verdict.callsCounted(), verdict.callsOverBudget(), verdict.peak(),
                    delays(sim.market(MARKET).arrivals(), grantMicros, s, guardUsed));
        }
    }
}
