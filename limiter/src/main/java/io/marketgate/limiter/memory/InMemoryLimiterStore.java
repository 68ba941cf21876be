package io.marketgate.limiter.memory;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.HighHold;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.MarketUnits;
import io.marketgate.limiter.Priority;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The limiter's rule inside one JVM: a sliding log per budget, guarded by one lock so that a multi-budget call
 * is all-or-nothing. It is the embedded default, the store of unit tests (with a manual {@link Clock}) and the
 * local fallback while a shared store is unreachable. It follows the Valkey script step by step (see
 * {@code limiter.lua}): both pass the same contract suite.
 */
public final class InMemoryLimiterStore implements LimiterStore {

    private static final long PPM = 1_000_000L;
    /** The "priority" of a market unit in a log (see {@link #observeMarketLevel}): not a caller's. */
    private static final int MARKET = 3;

    private final Clock clock;
    private final Map<String, State> states = new HashMap<>();

    /** A store deciding with {@code clock}; use {@link Clock#systemUTC()} outside tests. */
    public InMemoryLimiterStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A store on the system clock. */
    public static InMemoryLimiterStore create() {
        return new InMemoryLimiterStore(Clock.systemUTC());
    }

    @Override
    public synchronized Decision decide(List<Budget> budgets, Priority priority, int cost) {
        long now = nowMicros();
        boolean high = priority == Priority.HIGH;
        Map<Priority, Long> remaining = fullRemaining();
        Decision.Reason reason = Decision.Reason.GRANTED;
        long retry = -1;
        String blocking = null;
        // a HIGH call refused by a ceiling holds those budgets (see HighHold), unless some budget can never fit it
        boolean[] full = new boolean[budgets.size()];
        boolean never = false;
        State[] picked = new State[budgets.size()];
        for (int i = 0; i < budgets.size(); i++) {
            Budget b = budgets.get(i);
            State s = state(b);
            State configured = configured(b);
            long counted = b.countedWindowMicros();
            long window = b.windowMicros();
            s.expire(now, counted);
            picked[i] = s;
            long eff = s.effectiveLimit(b, now, configured);
            long held = s.holdUntil > now ? s.holdCost : 0;
            // the units in the configured window (the ceilings' term) and in the counted window (the guard's: the limit)
            long usedCounted = s.used;
            boolean guarded = counted != window;
            long used = guarded ? s.usedSince(now - window) : usedCounted;
            Decision.Reason r = Decision.Reason.GRANTED;
            long wait = 0;
            if (s.cooldownUntil > now) {
                r = Decision.Reason.COOLING_DOWN;
                wait = s.cooldownUntil - now;
            } else if (s.pauseUntil(priority, configured) > now) {
                r = Decision.Reason.PAUSED;
                wait = s.pauseUntil(priority, configured) - now;
            } else {
                long cap = b.ceilings().ppm(priority) * eff / PPM;
                long h = high ? 0 : held;
                // units that must leave the configured window (the ceiling) and the counted window (the limit)
                long n = used + h + cost - cap;
                long m = guarded ? usedCounted + h + cost - eff : 0;
                if (n > 0 || m > 0) {
                    r = Decision.Reason.CEILING_REACHED;
                    full[i] = true;
                    never |= cost > cap;
                    long before = usedCounted - used;
                    wait = cost > cap ? counted
                            : HighHold.fitsAt(now, h, s.holdUntil, n, used, k -> s.expiryOfUnit(before + k) + window,
                                    m, usedCounted, k -> s.expiryOfUnit(k) + counted) - now;
                }
            }
            for (Priority q : Priority.values()) {
                long room = s.cooldownUntil > now || s.pauseUntil(q, configured) > now
                        ? 0
                        : Math.min(b.ceilings().ppm(q) * eff / PPM - used, guarded ? eff - usedCounted : Long.MAX_VALUE)
                                - (q == Priority.HIGH ? 0 : held);
                remaining.merge(q, room, Math::min);
            }
            if (r != Decision.Reason.GRANTED && wait > retry) {
                reason = r;
                retry = wait;
                blocking = b.name();
            }
        }
        boolean granted = reason == Decision.Reason.GRANTED;
        // the room left after this call: a denied call took nothing, so its cost is not subtracted
        remaining.replaceAll((q, room) -> Math.max(0, granted ? room - cost : room));
        if (!granted) {
            if (high && reason == Decision.Reason.CEILING_REACHED && !never) {
                for (int i = 0; i < picked.length; i++) {
                    if (full[i]) {
                        State s = picked[i];
                        boolean active = s.holdUntil > now;
                        s.holdCost = HighHold.cost(cost, active ? s.holdCost : 0);
                        s.holdUntil = HighHold.until(now, retry, active ? s.holdUntil : 0);
                    }
                }
            }
            return Decision.denied(reason, Duration.ofNanos(retry * 1_000L), blocking, remaining, now, Decision.DecidedBy.STORE);
        }
        for (State s : picked) {
            s.add(now, cost, priority);
            if (high) {
                // the waiter (or another HIGH call) took the held room
                s.holdUntil = 0;
                s.holdCost = 0;
            }
        }
        return Decision.granted(remaining, now, Decision.DecidedBy.STORE);
    }

    @Override
    public synchronized void reportThrottled(Budget budget, Duration cooldown) {
        long now = nowMicros();
        State s = state(budget);
        if (s.cooldownUntil <= now) {
            // a burst of 429s from calls in flight lowers the limit once, not once per call
            s.throttledLimit = Math.max(1, s.effectiveLimit(budget, now, null) * budget.recovery().reductionPpm() / PPM);
        }
        s.cooldownUntil = Math.max(s.cooldownUntil, now + micros(cooldown));
    }

    @Override
    public synchronized long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        long now = nowMicros();
        State s = state(budget);
        s.expire(now, budget.countedWindowMicros());
        long seen = 0;
        for (long[] e : s.log) {
            // the market has counted the grants up to the observed call's, and the market units stand for its count
            if (e[2] == MARKET || e[0] <= grantMicros) {
                seen += e[1];
            }
        }
        long eff = s.effectiveLimit(budget, now, configured(budget));
        long missing = MarketUnits.missing(budget, eff, seen, marketUsed, marketCapacity);
        if (missing > 0) {
            List<long[]> entries = new ArrayList<>(s.log);
            for (long k = 1; k <= missing; k++) {
                entries.add(new long[] {MarketUnits.stamp(budget, now, k), 1, MARKET});
            }
            // the log stays oldest first (a stable sort: equal stamps keep their order)
            entries.sort(Comparator.comparingLong(e -> e[0]));
            s.log.clear();
            s.log.addAll(entries);
            s.used += missing;
            s.usedBy[MARKET] += missing;
        }
        return missing;
    }

    @Override
    public synchronized void overrideLimit(Budget budget, long limit, Duration ttl) {
        State s = state(budget);
        s.overrideLimit = limit;
        s.overrideUntil = nowMicros() + micros(ttl);
    }

    @Override
    public synchronized void clearOverride(Budget budget) {
        State s = state(budget);
        s.overrideLimit = 0;
        s.overrideUntil = 0;
    }

    @Override
    public synchronized void pause(Budget budget, Priority priority, Duration ttl) {
        state(budget).pauseUntil[priority.ordinal()] = nowMicros() + micros(ttl);
    }

    @Override
    public synchronized void resume(Budget budget, Priority priority) {
        state(budget).pauseUntil[priority.ordinal()] = 0;
    }

    @Override
    public synchronized BudgetStatus status(Budget budget) {
        long now = nowMicros();
        State s = state(budget);
        State configured = configured(budget);
        s.expire(now, budget.countedWindowMicros());
        // the usage of the configured window (a guard's longer counted window is the limit's, not the ceilings')
        long[] usedBy = new long[4];
        for (long[] e : s.log) {
            if (e[0] > now - budget.windowMicros()) {
                usedBy[(int) e[2]] += e[1];
            }
        }
        Map<Priority, Long> usage = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            usage.put(p, usedBy[p.ordinal()]);
        }
        Map<Priority, Instant> paused = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            if (s.pauseUntil(p, configured) > now) {
                paused.put(p, instant(s.pauseUntil(p, configured)));
            }
        }
        State override = s.override(now, configured);
        return new BudgetStatus(budget.name(), budget.limit(), s.effectiveLimit(budget, now, configured), usage,
                override != null ? Optional.of(override.overrideLimit) : Optional.empty(),
                override != null ? Optional.of(instant(override.overrideUntil)) : Optional.empty(),
                paused,
                s.cooldownUntil > now ? Optional.of(instant(s.cooldownUntil)) : Optional.empty(),
                instant(now), usedBy[MARKET]);
    }

    @Override
    public String describe() {
        return "in-memory (this JVM only)";
    }

    private State state(Budget b) {
        return states.computeIfAbsent(b.name(), n -> new State());
    }

    /**
     * The state of an instance's configured budget ({@code coupang/vendor} of {@code coupang/vendor:V1}), whose pauses
     * and override the instance obeys (as {@code limiter.lua} reads its ctl); null for a budget that is not an instance
     * or whose configured budget was never controlled.
     */
    private State configured(Budget b) {
        return b.key().isEmpty() ? null : states.get(b.template());
    }

    private long nowMicros() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
    }

    private static Map<Priority, Long> fullRemaining() {
        Map<Priority, Long> m = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            m.put(p, Long.MAX_VALUE);
        }
        return m;
    }

    /** One budget's log and control state. */
    private static final class State {
        /** {timestampMicros, cost, priority ordinal or {@link #MARKET}}, oldest first. */
        final ArrayDeque<long[]> log = new ArrayDeque<>();
        long used;
        /** Units in the window per priority, and market units at {@link #MARKET}. */
        final long[] usedBy = new long[4];
        long overrideLimit;
        long overrideUntil;
        final long[] pauseUntil = new long[3];
        long cooldownUntil;
        /** The reduced limit after a throttle; 0 when not recovering. */
        long throttledLimit;
        /** A waiting HIGH call's hold (see {@link HighHold}): until when, in µs, and how many units; 0 for none. */
        long holdUntil;
        long holdCost;

        void expire(long now, long windowMicros) {
            long[] e;
            while ((e = log.peekFirst()) != null && e[0] <= now - windowMicros) {
                log.pollFirst();
                used -= e[1];
                usedBy[(int) e[2]] -= e[1];
            }
        }

        void add(long now, int cost, Priority p) {
            log.addLast(new long[] {now, cost, p.ordinal()});
            used += cost;
            usedBy[p.ordinal()] += cost;
        }

        /** The cost units admitted after {@code since} (µs). */
        long usedSince(long since) {
            long n = 0;
            var it = log.descendingIterator();
            while (it.hasNext()) {
                long[] e = it.next();
                if (e[0] <= since) {
                    break;
                }
                n += e[1];
            }
            return n;
        }

        /** The timestamp of the {@code n}-th oldest cost unit (1-based): when it leaves the window, n units are free. */
        long expiryOfUnit(long n) {
            long seen = 0;
            for (long[] e : log) {
                seen += e[1];
                if (seen >= n) {
                    return e[0];
                }
            }
            throw new IllegalStateException("fewer than " + n + " units in the log");
        }

        /** When {@code p}'s pause ends: this budget's or its configured budget's, whichever is later. */
        long pauseUntil(Priority p, State configured) {
            long own = pauseUntil[p.ordinal()];
            return configured == null ? own : Math.max(own, configured.pauseUntil[p.ordinal()]);
        }

        /** The state whose override applies: this budget's while active, else its configured budget's; null if none. */
        State override(long now, State configured) {
            if (overrideUntil > now) {
                return this;
            }
            return configured != null && configured.overrideUntil > now ? configured : null;
        }

        long effectiveLimit(Budget b, long now, State configured) {
            State override = override(now, configured);
            long base = override != null ? override.overrideLimit : b.limit();
            if (throttledLimit == 0) {
                return base;
            }
            long steps = Math.max(0, now - cooldownUntil) / (b.recovery().stepInterval().toNanos() / 1_000L);
            long recovered = throttledLimit + steps * b.recovery().step(b.limit());
            if (recovered >= b.limit()) {
                // recovery ends at the configured limit: from then on an override applies in full
                throttledLimit = 0;
                return base;
            }
            return Math.min(base, recovered);
        }
    }
}
