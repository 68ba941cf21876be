package io.marketgate.local;

import io.marketgate.config.InfrastructureConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the local platform's function invocations would be billed as by Lambda: per function, its requests
 * (invocations) and its billed duration, each invocation's duration rounded up to the next millisecond, times the
 * function's configured memory in GB (MB ÷ 1024) → GB-seconds. A function instance's initialisation (the handler's
 * construction, on its first batch, as a cold start runs the INIT phase) is billed the same way since August 2025
 * (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/), without a request.
 *
 * <p>Durations are this machine's wall-clock: on a loaded machine they include the time the handler's threads waited for
 * a core, and the waits for the limiter and the markets, which Lambda bills alike.
 *
 * <pre>{@code
 * LambdaUsage usage = new LambdaUsage();
 * usage.invoked("dev-coupang-collector", 1024, 1_500_000);   // 1.5 ms, billed as 2 ms of 1 GB
 * usage.total().gbSeconds();                                  // 0.002
 * }</pre>
 */
public final class LambdaUsage {
    private final Map<String, Meter> functions = new ConcurrentHashMap<>();

    /** One invocation of {@code function} (of {@code memoryMb}) that ran {@code nanos}. */
    public void invoked(String function, int memoryMb, long nanos) {
        Meter m = meter(function, memoryMb);
        m.requests.increment();
        m.billedMillis.add(billedMillis(nanos));
    }

    /** An instance of {@code function} initialised in {@code nanos}: billed duration, no request. */
    public void initialised(String function, int memoryMb, long nanos) {
        Meter m = meter(function, memoryMb);
        m.inits.increment();
        m.initMillis.add(billedMillis(nanos));
    }

    /** Lambda's billed duration: rounded up to the nearest millisecond (at least 1 ms for an invocation). */
    static long billedMillis(long nanos) {
        return Math.max(1, (Math.max(0, nanos) + 999_999) / 1_000_000);
    }

    private Meter meter(String function, int memoryMb) {
        Meter m = functions.computeIfAbsent(function, f -> new Meter(memoryMb));
        if (m.memoryMb != memoryMb) {
            throw new IllegalArgumentException("function " + function + " was metered at " + m.memoryMb + " MB, now "
                    + memoryMb + " MB");
        }
        return m;
    }

    /** Per function, by name. */
    public Map<String, Usage> byFunction() {
        Map<String, Usage> out = new java.util.TreeMap<>();
        functions.forEach((name, m) -> out.put(name, m.usage()));
        return out;
    }

    /** Every function together. */
    public Usage total() {
        long requests = 0;
        long billed = 0;
        long inits = 0;
        long initMillis = 0;
        double gbSeconds = 0;
        for (Usage u : byFunction().values()) {
            requests += u.requests();
            billed += u.billedMillis();
            inits += u.inits();
            initMillis += u.initMillis();
            gbSeconds += u.gbSeconds();
        }
        return new Usage(0, requests, billed, inits, initMillis, gbSeconds);
    }

    /**
     * The {@code lambda} section of a report: per function and in total, requests, billed seconds, GB-seconds and, with
     * {@code pricing}, the estimated cost in USD (else null, with the pricing left null too).
     */
    public Map<String, Object> report(Optional<InfrastructureConfig.Pricing> pricing) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> functionsOut = new LinkedHashMap<>();
        byFunction().forEach((name, u) -> {
            Map<String, Object> f = entry(u, pricing);
            f.put("memoryMb", u.memoryMb());
            functionsOut.put(name, f);
        });
        out.putAll(entry(total(), pricing));
        out.put("pricing", pricing.map(p -> Map.of("lambdaGbSecond", p.lambdaGbSecond(),
                "lambdaRequestsPerMillion", p.lambdaRequestsPerMillion())).orElse(null));
        out.put("functions", functionsOut);
        return out;
    }

    private static Map<String, Object> entry(Usage u, Optional<InfrastructureConfig.Pricing> pricing) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("requests", u.requests());
        f.put("billedSeconds", u.billedMillis() / 1000.0);
        f.put("inits", u.inits());
        f.put("initBilledSeconds", u.initMillis() / 1000.0);
        f.put("gbSeconds", Math.round(u.gbSeconds() * 1000) / 1000.0);
        f.put("costUsd", pricing.map(p -> Math.round(p.cost(u.gbSeconds(), u.requests()) * 1e6) / 1e6).orElse(null));
        return f;
    }

    /**
     * One function's (or, with memory 0, every function's) usage.
     *
     * @param billedMillis the invocations' billed durations, summed
     * @param initMillis the initialisations' billed durations, summed
     * @param gbSeconds (billed + init milliseconds) ÷ 1000 × memory ÷ 1024
     */
    public record Usage(int memoryMb, long requests, long billedMillis, long inits, long initMillis, double gbSeconds) {}

    private static final class Meter {
        final int memoryMb;
        final LongAdder requests = new LongAdder();
        final LongAdder billedMillis = new LongAdder();
        final LongAdder inits = new LongAdder();
        final LongAdder initMillis = new LongAdder();

        Meter(int memoryMb) {
            this.memoryMb = memoryMb;
        }

        Usage usage() {
            long billed = billedMillis.sum();
            long init = initMillis.sum();
            return new Usage(memoryMb, requests.sum(), billed, inits.sum(), init, (billed + init) / 1000.0 * memoryMb / 1024.0);
        }
    }
}
