package io.marketgate.limiter.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetName;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.FailureMode;
import io.marketgate.limiter.LimiterControl;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.UnknownBudgetException;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The limiter behind {@link PriorityLimiter#builder()}: validation, circuit breaker, failure mode, waiting. */
public final class DefaultPriorityLimiter implements PriorityLimiter, LimiterControl {

    private static final Logger log = LoggerFactory.getLogger(DefaultPriorityLimiter.class);

    private final Map<String, Budget> budgets;
    private final LimiterStore store;
    private final FailureMode failureMode;
    private final LimiterListener listener;
    private final Duration breakerOpenDuration;
    private final Duration maxJitter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final CircuitBreaker breaker;
    /** Decides while the store is unreachable, in local-fallback mode; null when failing closed. */
    private final InMemoryLimiterStore fallback;
    private final Map<String, Budget> fallbackBudgets;
    /** Instances of per-seller/per-mall budgets, derived on first use; as many as there are sellers and malls. */
    private final Map<String, Budget> instances = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Budget> fallbackInstances = new java.util.concurrent.ConcurrentHashMap<>();
    /** The measured round trips per market, for budgets whose jitter guard follows them. */
    private final Map<String, io.marketgate.limiter.RoundTrips> roundTrips = new java.util.concurrent.ConcurrentHashMap<>();
    /** Budgets with a measured guard as last resolved, by name: a new object only when the guard changes. */
    private final Map<String, Budget> guarded = new java.util.concurrent.ConcurrentHashMap<>();

    public DefaultPriorityLimiter(List<Budget> budgets, LimiterStore store, FailureMode failureMode, LimiterListener listener,
            Duration breakerOpenDuration, int breakerMinimumCalls, Duration maxJitter, Clock clock, Sleeper sleeper) {
        Map<String, Budget> byName = new LinkedHashMap<>();
        for (Budget b : budgets) {
            if (byName.put(b.name(), b) != null) {
                throw new IllegalArgumentException("budget " + b.name() + " is configured twice");
            }
        }
        this.budgets = Collections.unmodifiableMap(byName);
        this.store = store;
        this.failureMode = failureMode;
        this.listener = listener;
        this.breakerOpenDuration = breakerOpenDuration;
        this.maxJitter = maxJitter;
        this.clock = clock;
        this.sleeper = sleeper;
        this.breaker = CircuitBreaker.of("limiter-store", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(10, breakerMinimumCalls))
                .minimumNumberOfCalls(breakerMinimumCalls)
                .failureRateThreshold(50)
                .waitDurationInOpenState(breakerOpenDuration)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        if (failureMode instanceof FailureMode.LocalFallback lf) {
            this.fallback = new InMemoryLimiterStore(Clock.systemUTC());
            Map<String, Budget> scaled = new LinkedHashMap<>();
            byName.values().forEach(b -> scaled.put(b.name(), LocalFallbackBudgets.scale(b, lf.fleetSize())));
            this.fallbackBudgets = Collections.unmodifiableMap(scaled);
        } else {
            this.fallback = null;
            this.fallbackBudgets = Map.of();
        }
    }

    @Override
    public Decision tryAcquire(Call call) {
        List<Budget> resolved = resolve(call);
        Decision d = decide(call, resolved);
        notifyDecision(call, d, resolved);
        return d;
    }

    @Override
    public Decision acquire(Call call, Duration maxWait) throws InterruptedException {
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait is " + maxWait + ", must be zero or positive");
        }
        List<Budget> resolved = resolve(call);
        Instant start = clock.instant();
        Instant deadline = start.plus(maxWait);
        boolean waited = false;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + call.budgets());
            }
            Decision d = decide(call, resolved);
            notifyDecision(call, d, resolved);
            Instant now = clock.instant();
            if (d.granted() || now.plus(d.retryAfter()).isAfter(deadline)) {
                if (waited) {
                    safely(() -> listener.onWaited(call, Duration.between(start, now), d));
                }
                return d;
            }
            Duration pause = d.retryAfter().plus(jitter());
            Duration left = Duration.between(now, deadline);
            sleeper.sleep(pause.compareTo(left) > 0 ? left : pause);
            waited = true;
        }
    }

    @Override
    public void reportThrottled(String budget, Duration retryAfter) {
        Budget b = budget(budget);
        Duration cooldown = retryAfter == null || retryAfter.isZero() || retryAfter.isNegative()
                ? b.recovery().defaultCooldown()
                : retryAfter;
        if (cooldown.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(Messages.badTtl("retryAfter", retryAfter));
        }
        if (fallback != null) {
            fallback.reportThrottled(fallbackOf(b), cooldown);
        }
        try {
            store.reportThrottled(b, cooldown);
        } catch (RuntimeException e) {
            // the caller is handling a market's 429: losing the feedback must not turn it into another failure
            log.warn("could not record the throttle of {} in {}: {}", budget, store.describe(), e.toString());
            safely(() -> listener.onStoreFailure(e));
        }
    }

    @Override
    public long observeMarketLevel(String budget, long used, long capacity, Decision grant) {
        Budget b = budget(budget);
        if (used < 0) {
            throw new IllegalArgumentException("used is " + used + ", must be ≥ 0");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity + ", must be ≥ 1");
        }
        if (grant == null || !grant.granted()) {
            throw new IllegalArgumentException("grant is " + (grant == null ? "missing" : "a denial (" + grant.reason() + ")")
                    + ", must be the grant of the call the market answered");
        }
        if (breaker.getState() == CircuitBreaker.State.OPEN || breaker.getState() == CircuitBreaker.State.FORCED_OPEN) {
            // the store is failing: decisions are not waiting on it, neither does the feedback
            return 0;
        }
        try {
            return store.observeMarketLevel(b, used, capacity, grant.storeTimeMicros());
        } catch (RuntimeException e) {
            // the caller is handling the market's answer: losing the feedback must not turn it into a failure
            log.warn("could not record the market's level {}/{} of {} in {}: {}", used, capacity, budget, store.describe(),
                    e.toString());
            safely(() -> listener.onStoreFailure(e));
            return 0;
        }
    }

    @Override
    public LimiterControl control() {
        return this;
    }

    @Override
    public Collection<Budget> budgets() {
        return budgets.values();
    }

    @Override
    public void close() {
        store.close();
    }

    // ---- LimiterControl: operator actions go to the shared store or fail loudly, never to the fallback

    @Override
    public void overrideLimit(String budget, long limit, Duration ttl) {
        Budget b = budget(budget);
        if (limit <= 0 || limit > 1_000_000_000L) {
            throw new IllegalArgumentException("limit override for " + budget + " is " + limit + ", must be in 1..1000000000");
        }
        store.overrideLimit(b, limit, checkTtl(ttl));
    }

    @Override
    public void clearOverride(String budget) {
        store.clearOverride(budget(budget));
    }

    @Override
    public void pause(String budget, Priority priority, Duration ttl) {
        Budget b = budget(budget);
        store.pause(b, java.util.Objects.requireNonNull(priority, "priority is missing"), checkTtl(ttl));
    }

    @Override
    public void resume(String budget, Priority priority) {
        Budget b = budget(budget);
        store.resume(b, java.util.Objects.requireNonNull(priority, "priority is missing"));
    }

    @Override
    public BudgetStatus status(String budget) {
        return store.status(budget(budget));
    }

    // ---- internals

    private Decision decide(Call call, List<Budget> resolved) {
        if (!breaker.tryAcquirePermission()) {
            return whenStoreDown(call, resolved);
        }
        long start = System.nanoTime();
        try {
            Decision d = store.decide(resolved, call.priority(), call.cost());
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return d;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            log.debug("limiter store {} failed: {}", store.describe(), e.toString());
            safely(() -> listener.onStoreFailure(e));
            return whenStoreDown(call, resolved);
        }
    }

    private Decision whenStoreDown(Call call, List<Budget> resolved) {
        if (fallback == null) {
            Instant now = clock.instant();
            Map<Priority, Long> none = new EnumMap<>(Priority.class);
            for (Priority p : Priority.values()) {
                none.put(p, 0L);
            }
            return Decision.denied(Decision.Reason.STORE_UNAVAILABLE, breakerOpenDuration, resolved.get(0).name(), none,
                    now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L, Decision.DecidedBy.NONE);
        }
        List<Budget> local = new ArrayList<>(resolved.size());
        for (Budget b : resolved) {
            local.add(fallbackOf(b));
        }
        Decision d = fallback.decide(local, call.priority(), call.cost());
        return new Decision(d.granted(), d.reason(), d.retryAfter(), d.blockingBudget(), d.remaining(), d.storeTimeMicros(),
                Decision.DecidedBy.LOCAL_FALLBACK);
    }

    private List<Budget> resolve(Call call) {
        List<Budget> resolved = new ArrayList<>(call.budgets().size());
        for (String name : call.budgets()) {
            Budget b = budget(name);
            long capacity = b.capacity(call.priority());
            if (call.cost() > capacity) {
                throw new IllegalArgumentException(Messages.costOverCapacity(name, call.priority(), call.cost(), capacity));
            }
            resolved.add(b);
        }
        return resolved;
    }

    private Budget budget(String name) {
        Budget b = configuredOrInstance(name);
        return b.measuredJitterGuard() ? withMeasuredGuard(b) : b;
    }

    /** {@code b} with the guard its market's round trips call for (its configured guard until they are measured). */
    private Budget withMeasuredGuard(Budget b) {
        io.marketgate.limiter.RoundTrips trips = roundTrips.get(b.market());
        if (trips == null || trips.measured() < io.marketgate.limiter.RoundTrips.MIN_SAMPLES) {
            return b;
        }
        Duration guard = trips.guard();
        Budget last = guarded.get(b.name());
        if (last != null && last.jitterGuard().equals(guard)) {
            return last;
        }
        Budget now = b.withJitterGuard(guard);
        guarded.put(b.name(), now);
        return now;
    }

    @Override
    public void observeRoundTrip(String market, Duration roundTrip) {
        if (market == null || roundTrip == null) {
            return;
        }
        roundTrips.computeIfAbsent(market, m -> new io.marketgate.limiter.RoundTrips()).add(roundTrip);
    }

    @Override
    public Duration jitterGuard(String budget) {
        return budget(budget).jitterGuard();
    }

    private Budget configuredOrInstance(String name) {
        Budget b = name == null ? null : budgets.get(name);
        if (b != null) {
            return b;
        }
        BudgetName parsed = name == null ? null : parseOrNull(name);
        Budget template = parsed == null || !parsed.isInstance() ? null : budgets.get(parsed.configured().toString());
        if (template == null) {
            throw new UnknownBudgetException(name, budgets.keySet());
        }
        return instances.computeIfAbsent(name, n -> template.forKey(parsed.instance().orElseThrow()));
    }

    /** The parsed name, or null when it is not a budget name at all (then it is unknown, with the known ones listed). */
    private static BudgetName parseOrNull(String name) {
        try {
            return BudgetName.parse(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Budget fallbackOf(Budget b) {
        Budget scaled = fallbackBudgets.get(b.template());
        return b.key().isEmpty() ? scaled : fallbackInstances.computeIfAbsent(b.name(), n -> scaled.forKey(b.key().get()));
    }

    private static Duration checkTtl(Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException(Messages.badTtl("ttl", ttl));
        }
        return ttl;
    }

    private Duration jitter() {
        long max = maxJitter.toNanos();
        return max == 0 ? Duration.ZERO : Duration.ofNanos(ThreadLocalRandom.current().nextLong(max + 1));
    }

    private void notifyDecision(Call call, Decision d, List<Budget> resolved) {
        if (d.granted()) {
            safely(() -> listener.onGranted(call, d));
            for (Budget b : resolved) {
                if (!b.jitterGuard().isZero()) {
                    safely(() -> listener.onGuarded(call, b.name(), b.jitterGuard()));
                }
            }
        } else {
            safely(() -> listener.onDenied(call, d));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("limiter listener failed: {}", e.toString());
        }
    }
}
