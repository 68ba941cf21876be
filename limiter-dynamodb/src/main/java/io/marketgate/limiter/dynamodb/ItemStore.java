package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.HighHold;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.MarketUnits;
import io.marketgate.limiter.Priority;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The rule on DynamoDB items, without a denial memory in front (that is {@link DynamoDbLimiterStore}).
 *
 * <p>An operation reads the items it needs (strongly consistent), applies the rule to what it read with this store's
 * clock (the same steps and integer arithmetic as {@code InMemoryLimiterStore} and {@code limiter.lua}), and, for a
 * grant or a control change, writes each changed item back on the condition that its version is still the one read.
 * A write that loses that race changes nothing, and the operation starts over from a new read, so that every write is
 * the rule applied to the item's latest state. A denial writes nothing, except a HIGH call's hold
 * ({@link io.marketgate.limiter.HighHold}), written on the same condition.
 *
 * <p>A call whose budgets lie in several items (a market's shared budget with one seller's instance) writes them one
 * after the other, in key order. When a later one loses its race, the grants already written to the earlier ones are
 * taken back before the call starts over: while that lasts (one round trip), another caller may find those units
 * taken and be denied, never granted beyond a limit; a process that dies in between leaves at most one call's
 * cost taken for one window.
 *
 * <p>Within this JVM, operations on one item wait for each other (a lock per item, striped), so that the store's own
 * callers do not lose races to each other; races are left for other instances (other Lambda execution environments).
 */
final class ItemStore implements LimiterStore {

    private static final Logger log = LoggerFactory.getLogger(ItemStore.class);
    private static final long PPM = 1_000_000L;
    /** The "priority" of a market unit in a log ({@link #observeMarketLevel}): no caller's. */
    static final int MARKET = 3;
    private static final int STRIPES = 256;
    /** The longest pause between two attempts after a lost race (see {@link #backOff}). */
    private static final long MAX_BACKOFF_NANOS = 200_000_000L;

    private final ItemTable table;
    private final DynamoDbClient client;
    private final DynamoDbStoreOptions options;
    private final Clock clock;
    /**
     * This store's id in the entries it writes (its clock's), drawn at first use rather than when the store is made: a
     * Lambda SnapStart snapshot taken after the store was made must not give every restored environment the same one.
     */
    private volatile long writer;
    private final long skewMicros;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    /** Runs before a grant's write of each item, with the item's key: tests put another caller's write there. */
    private volatile java.util.function.Consumer<String> beforeGrantWrite = pk -> {};

    ItemStore(DynamoDbClient client, DynamoDbStoreOptions options) {
        this.client = client;
        this.options = options;
        this.table = new ItemTable(client, options.tableName());
        this.clock = options.clock();
        this.skewMicros = options.maxClockSkew().toNanos() / 1_000L;
        for (int i = 0; i < STRIPES; i++) {
            // fair: the callers of one item take turns, so that none waits behind a stream of later ones
            locks[i] = new ReentrantLock(true);
        }
    }

    ItemTable table() {
        return table;
    }

    // ---- decide

    @Override
    public Decision decide(List<Budget> budgets, Priority priority, int cost) {
        TreeSet<String> written = new TreeSet<>();
        Set<String> read = new LinkedHashSet<>();
        for (Budget b : budgets) {
            written.add(key(b));
        }
        read.addAll(written);
        for (Budget b : budgets) {
            if (b.key().isPresent()) {
                read.add(marketKey(b));
            }
        }
        List<ReentrantLock> held = lock(written);
        try {
            long deadline = System.nanoTime() + options.contentionTimeout().toNanos();
            for (int attempt = 0; ; attempt++) {
                long started = System.nanoTime();
                long now = nowMicros();
                Map<String, Partition> items = table.read(read);
                Decision d = apply(budgets, priority, cost, items, now);
                if (!d.granted()) {
                    // a HIGH call's hold, if apply made one: written like a grant, on the version read
                    if (writeHold(budgets, items, now)) {
                        return d;
                    }
                    backOff(attempt, System.nanoTime() - started, deadline, "hold on " + names(budgets));
                    continue;
                }
                List<Added> added = new ArrayList<>();
                for (Budget b : budgets) {
                    Partition p = items.get(key(b));
                    WindowLog.Entry e = new WindowLog.Entry(now, cost, priority.ordinal(), writer());
                    p.log(b.name(), b.countedWindowMicros()).add(e);
                    p.touch(b.name());
                    added.add(new Added(b, e));
                }
                // every item made before any is written: one too large fails the call with nothing written
                Map<String, Map<String, AttributeValue>> next = new HashMap<>();
                for (String pk : written) {
                    next.put(pk, items.get(pk).item(now, windows(budgets), writer(), skewMicros));
                }
                List<Partition> done = new ArrayList<>();
                boolean lost = false;
                try {
                    for (String pk : written) {
                        Partition p = items.get(pk);
                        beforeGrantWrite.accept(pk);
                        if (table.write(p, next.get(pk))) {
                            done.add(p);
                        } else {
                            lost = true;
                            break;
                        }
                    }
                } catch (RuntimeException e) {
                    // a later item could not be written: the call is not granted, so neither is it in the earlier ones
                    takeBack(done, added);
                    throw e;
                }
                if (!lost) {
                    return d;
                }
                takeBack(done, added);
                backOff(attempt, System.nanoTime() - started, deadline, "decide on " + names(budgets));
            }
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /**
     * Writes the items whose budgets {@link #apply} gave a hold (it touched only those), in key order; false when a write
     * lost its race, and the decision starts over. A hold already written to an earlier item stays: it only ends sooner
     * or later by itself or at the next HIGH grant, and the decision made again writes the same hold.
     */
    private boolean writeHold(List<Budget> budgets, Map<String, Partition> items, long now) {
        Map<String, Long> windows = windows(budgets);
        for (String pk : new TreeSet<>(items.keySet())) {
            Partition p = items.get(pk);
            if (p.changed() && !table.write(p, p.item(now, windows, writer(), skewMicros))) {
                return false;
            }
        }
        return true;
    }

    /** A grant written into an item, to take back if a later item of the same call loses its race. */
    private record Added(Budget budget, WindowLog.Entry entry) {}

    /**
     * The rule on what was read, exactly as {@code InMemoryLimiterStore.decide}; writes nothing, but changes the controls
     * read for a HIGH call's hold: a denial that holds touches the budgets it holds, a HIGH grant ends their holds.
     */
    private Decision apply(List<Budget> budgets, Priority priority, int cost, Map<String, Partition> items, long now) {
        boolean high = priority == Priority.HIGH;
        boolean never = false;
        List<Budget> full = new ArrayList<>(budgets.size());
        Map<Priority, Long> remaining = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            remaining.put(p, Long.MAX_VALUE);
        }
        Decision.Reason reason = Decision.Reason.GRANTED;
        long retry = -1;
        String blocking = null;
        for (Budget b : budgets) {
            Partition p = items.get(key(b));
            long counted = b.countedWindowMicros();
            // the counted window (the limit's term of a guarded budget; the log keeps grants this long) and the
            // configured window (the ceilings' term): one and the same without a guard
            List<WindowLog.Entry> inCounted = p.log(b.name(), counted).inWindow(now, counted, writer(), skewMicros);
            long usedCounted = 0;
            for (WindowLog.Entry e : inCounted) {
                usedCounted += e.cost();
            }
            boolean guarded = b.jitterGuardMicros() > 0;
            long window = b.windowMicros();
            List<WindowLog.Entry> in = guarded ? p.log(b.name(), counted).inWindow(now, window, writer(), skewMicros) : inCounted;
            long used = usedCounted;
            if (guarded) {
                used = 0;
                for (WindowLog.Entry e : in) {
                    used += e.cost();
                }
            }
            Control own = p.control(b.name());
            Control configured = configured(b, items);
            long eff = own.effectiveLimit(b, now, configured);
            long held = own.held(now);
            Decision.Reason r = Decision.Reason.GRANTED;
            long wait = 0;
            if (own.cooldownUntil > now) {
                r = Decision.Reason.COOLING_DOWN;
                wait = own.cooldownUntil - now;
            } else if (own.pauseUntil(priority, configured) > now) {
                r = Decision.Reason.PAUSED;
                wait = own.pauseUntil(priority, configured) - now;
            } else {
                long cap = b.ceilings().ppm(priority) * eff / PPM;
                long h = high ? 0 : held;
                // units that must leave the configured window (the ceiling) and the counted window (the limit)
                long n = used + h + cost - cap;
                long m = guarded ? usedCounted + h + cost - eff : 0;
                if (n > 0 || m > 0) {
                    r = Decision.Reason.CEILING_REACHED;
                    full.add(b);
                    never |= cost > cap;
                    wait = cost > cap ? counted
                            : HighHold.fitsAt(now, h, own.holdUntil, n, used, k -> expiryOfUnit(in, k, window),
                                    m, usedCounted, k -> expiryOfUnit(inCounted, k, counted)) - now;
                }
            }
            for (Priority q : Priority.values()) {
                long room = own.cooldownUntil > now || own.pauseUntil(q, configured) > now
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
                for (Budget b : full) {
                    Partition p = items.get(key(b));
                    Control own = p.control(b.name());
                    long active = own.held(now) > 0 ? own.holdUntil : 0;
                    own.holdCost = HighHold.cost(cost, active > 0 ? own.holdCost : 0);
                    own.holdUntil = HighHold.until(now, retry, active);
                    p.touch(b.name());
                }
            }
            return Decision.denied(reason, Duration.ofNanos(retry * 1_000L), blocking, remaining, now, Decision.DecidedBy.STORE);
        }
        if (high) {
            for (Budget b : budgets) {
                // a HIGH grant ends the budget's hold (decide writes every budget of a grant)
                Control own = items.get(key(b)).control(b.name());
                own.holdUntil = 0;
                own.holdCost = 0;
            }
        }
        return Decision.granted(remaining, now, Decision.DecidedBy.STORE);
    }

    /** When the {@code n}-th unit to leave the window (1-based) leaves it: then n units are free. */
    private long expiryOfUnit(List<WindowLog.Entry> inWindow, long n, long window) {
        long seen = 0;
        for (WindowLog.Entry e : inWindow) {
            seen += e.cost();
            if (seen >= n) {
                return WindowLog.expiry(e, window, writer(), skewMicros);
            }
        }
        throw new IllegalStateException("fewer than " + n + " units in the window");
    }

    /** Takes the grants of a call back out of the items already written, each until its write wins its race. */
    private void takeBack(List<Partition> done, List<Added> added) {
        for (Partition written : done) {
            long deadline = System.nanoTime() + options.contentionTimeout().toNanos();
            for (int attempt = 0; ; attempt++) {
                try {
                    long started = System.nanoTime();
                    long now = nowMicros();
                    Partition p = table.read(List.of(written.pk())).get(written.pk());
                    Map<String, Long> windows = new HashMap<>();
                    for (Added a : added) {
                        if (key(a.budget()).equals(p.pk())) {
                            p.log(a.budget().name(), a.budget().countedWindowMicros()).remove(a.entry());
                            p.touch(a.budget().name());
                            windows.put(a.budget().name(), a.budget().countedWindowMicros());
                        }
                    }
                    if (table.write(p, p.item(now, windows, writer(), skewMicros))) {
                        break;
                    }
                    backOff(attempt, System.nanoTime() - started, deadline, "taking back a grant in " + p.pk());
                } catch (RuntimeException e) {
                    // the units stay taken until they leave the window: never more admitted than the limit, some less
                    log.warn("could not take back a grant of a call in item {} of table {}: {}", written.pk(), table.name(), e.toString());
                    break;
                }
            }
        }
    }

    // ---- market feedback

    /**
     * Reads the budget's item (and, for an instance, its market's item, whose configured budget's override applies),
     * adds the market units the rule asks for, and writes the item on the condition of its version; a lost race starts
     * over from a new read, so two instances observing one level add the units once.
     */
    @Override
    public long observeMarketLevel(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        String pk = key(budget);
        Set<String> read = new LinkedHashSet<>();
        read.add(pk);
        if (budget.key().isPresent()) {
            read.add(marketKey(budget));
        }
        long window = budget.countedWindowMicros();
        List<ReentrantLock> held = lock(List.of(pk));
        try {
            long deadline = System.nanoTime() + options.contentionTimeout().toNanos();
            for (int attempt = 0; ; attempt++) {
                long started = System.nanoTime();
                long now = nowMicros();
                Map<String, Partition> items = table.read(read);
                Partition p = items.get(pk);
                WindowLog log = p.log(budget.name(), window);
                long seen = 0;
                for (WindowLog.Entry e : log.inWindow(now, window, writer(), skewMicros)) {
                    // the market has counted the grants up to the observed call's, and the market units stand for its count
                    if (e.priority() == MARKET || e.stamp() <= grantMicros) {
                        seen += e.cost();
                    }
                }
                long eff = p.control(budget.name()).effectiveLimit(budget, now, configured(budget, items));
                long missing = MarketUnits.missing(budget, eff, seen, marketUsed, marketCapacity);
                if (missing == 0) {
                    return 0;
                }
                for (long k = 1; k <= missing; k++) {
                    log.add(new WindowLog.Entry(MarketUnits.stamp(budget, now, k), 1, MARKET, writer()));
                }
                p.touch(budget.name());
                if (table.write(p, p.item(now, Map.of(budget.name(), window), writer(), skewMicros))) {
                    return missing;
                }
                backOff(attempt, System.nanoTime() - started, deadline, "market level of " + budget.name());
            }
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    // ---- control

    @Override
    public void reportThrottled(Budget budget, Duration cooldown) {
        long cooldownMicros = cooldown.toNanos() / 1_000L;
        update(budget, true, (c, now) -> c.throttle(budget, now, cooldownMicros));
    }

    @Override
    public void overrideLimit(Budget budget, long limit, Duration ttl) {
        long ttlMicros = ttl.toNanos() / 1_000L;
        update(budget, true, (c, now) -> {
            c.overrideLimit = limit;
            c.overrideUntil = now + ttlMicros;
        });
    }

    @Override
    public void clearOverride(Budget budget) {
        update(budget, false, (c, now) -> {
            c.overrideLimit = 0;
            c.overrideUntil = 0;
        });
    }

    @Override
    public void pause(Budget budget, Priority priority, Duration ttl) {
        long ttlMicros = ttl.toNanos() / 1_000L;
        update(budget, true, (c, now) -> c.pauseUntil[priority.ordinal()] = now + ttlMicros);
    }

    @Override
    public void resume(Budget budget, Priority priority) {
        update(budget, false, (c, now) -> c.pauseUntil[priority.ordinal()] = 0);
    }

    /**
     * Changes the budget's control by {@code change} at the store's time, conditional on the version read, until the
     * write wins its race; {@code create}: whether to make the control (and the item) when there is none.
     */
    private void update(Budget budget, boolean create, BiConsumer<Control, Long> change) {
        String pk = key(budget);
        List<ReentrantLock> held = lock(List.of(pk));
        try {
            long deadline = System.nanoTime() + options.contentionTimeout().toNanos();
            for (int attempt = 0; ; attempt++) {
                long started = System.nanoTime();
                long now = nowMicros();
                Partition p = table.read(List.of(pk)).get(pk);
                if (!create && !p.hasControl(budget.name())) {
                    return;
                }
                change.accept(p.control(budget.name()), now);
                p.touch(budget.name());
                if (table.write(p, p.item(now, Map.of(budget.name(), budget.countedWindowMicros()), writer(), skewMicros))) {
                    return;
                }
                backOff(attempt, System.nanoTime() - started, deadline, "control of " + budget.name());
            }
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    @Override
    public BudgetStatus status(Budget budget) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(key(budget));
        if (budget.key().isPresent()) {
            keys.add(marketKey(budget));
        }
        long now = nowMicros();
        Map<String, Partition> items = table.read(keys);
        Partition p = items.get(key(budget));
        Control own = p.control(budget.name());
        Control configured = configured(budget, items);
        Map<Priority, Long> usage = new EnumMap<>(Priority.class);
        for (Priority q : Priority.values()) {
            usage.put(q, 0L);
        }
        long market = 0;
        // the usage of the configured window (a guard's longer counted window is the limit's, not the ceilings')
        for (WindowLog.Entry e : p.log(budget.name(), budget.countedWindowMicros()).inWindow(now, budget.windowMicros(), writer(), skewMicros)) {
            if (e.priority() == MARKET) {
                market += e.cost();
            } else {
                usage.merge(Priority.values()[e.priority()], e.cost(), Long::sum);
            }
        }
        Map<Priority, Instant> paused = new EnumMap<>(Priority.class);
        for (Priority q : Priority.values()) {
            if (own.pauseUntil(q, configured) > now) {
                paused.put(q, instant(own.pauseUntil(q, configured)));
            }
        }
        Control override = own.override(now, configured);
        return new BudgetStatus(budget.name(), budget.limit(), own.effectiveLimit(budget, now, configured), usage,
                override != null ? Optional.of(override.overrideLimit) : Optional.empty(),
                override != null ? Optional.of(instant(override.overrideUntil)) : Optional.empty(),
                paused,
                own.cooldownUntil > now ? Optional.of(instant(own.cooldownUntil)) : Optional.empty(),
                instant(now), market);
    }

    @Override
    public String describe() {
        return "dynamodb table " + table.name() + " (prefix " + options.keyPrefix() + ")";
    }

    @Override
    public void close() {
        client.close();
    }

    // ---- keys, time, locks

    /** The item of {@code b}: {@code <prefix>:<market>}, or {@code <prefix>:<market>#<key>} for an instance. */
    String key(Budget b) {
        return b.key().map(k -> marketKey(b) + "#" + k).orElseGet(() -> marketKey(b));
    }

    /** The item of the market's shared budgets and of its configured budgets' control. */
    private String marketKey(Budget b) {
        return options.keyPrefix() + ":" + b.market();
    }

    /** The control of an instance's configured budget ({@code coupang/vendor} of {@code coupang/vendor:V1}), if any. */
    private Control configured(Budget b, Map<String, Partition> items) {
        if (b.key().isEmpty()) {
            return null;
        }
        Partition market = items.get(marketKey(b));
        return market.hasControl(b.template()) ? market.control(b.template()) : null;
    }

    private static Map<String, Long> windows(List<Budget> budgets) {
        Map<String, Long> windows = new HashMap<>();
        for (Budget b : budgets) {
            windows.put(b.name(), b.countedWindowMicros());
        }
        return windows;
    }

    private long nowMicros() {
        Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000L;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** The stripes of {@code keys}, locked in ascending order (so that two multi-item calls never wait for each other in a circle). */
    private List<ReentrantLock> lock(java.util.Collection<String> keys) {
        TreeSet<Integer> stripes = new TreeSet<>();
        for (String k : keys) {
            stripes.add(Math.floorMod(k.hashCode(), STRIPES));
        }
        List<ReentrantLock> held = new ArrayList<>(stripes.size());
        for (int s : stripes) {
            locks[s].lock();
            held.add(locks[s]);
        }
        return held;
    }

    /**
     * Waits a random while after the {@code attempt}-th lost race (0-based), or gives up at the deadline. The wait is
     * drawn from 0 to the lost attempt's own duration (a read and a write) times 2^attempt, at most
     * {@value #MAX_BACKOFF_NANOS} ns: the callers that lost to the same write spread out over about as many round
     * trips as there are of them, so that the next round has one winner instead of another pile-up.
     */
    private static void backOff(int attempt, long attemptNanos, long deadline, String what) {
        if (System.nanoTime() - deadline > 0) {
            throw new LimiterStoreUnavailableException(what + ": every write lost its race with another caller's for "
                    + (attempt + 1) + " attempts (contention on one item beyond what the DynamoDB store suits)", null);
        }
        long max = Math.min(MAX_BACKOFF_NANOS, Math.max(100_000L, attemptNanos) << Math.min(attempt, 10));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(max + 1));
    }

    private static List<String> names(List<Budget> budgets) {
        return budgets.stream().map(Budget::name).toList();
    }

    /** Sets what runs before a grant's write of each item (tests: another caller's write that wins the race). */
    void beforeGrantWrite(java.util.function.Consumer<String> hook) {
        this.beforeGrantWrite = java.util.Objects.requireNonNull(hook, "hook");
    }

    /** This store's writer id, drawn on first use (never 0). */
    long writer() {
        long id = writer;
        if (id == 0) {
            synchronized (this) {
                id = writer;
                if (id == 0) {
                    SecureRandom random = new SecureRandom();
                    do {
                        id = random.nextLong();
                    } while (id == 0);
                    writer = id;
                }
            }
        }
        return id;
    }
}
