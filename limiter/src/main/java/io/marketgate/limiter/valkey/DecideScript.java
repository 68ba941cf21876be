package io.marketgate.limiter.valkey;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The wire format of {@code limiter.lua} (its header comment is the specification): how decisions and control
 * operations become KEYS and ARGV, and how the replies become {@link Decision}s and {@link BudgetStatus}es. Sends
 * nothing; the keys and arguments of each combination of budgets are computed once and kept.
 *
 * <p>Keys: {@code <prefix>:{<market>}:<budget>:log}, a sorted set with one member per admitted cost unit scored by
 * its admission time in µs, and {@code <prefix>:{<market>}:<budget>:ctl}, a hash with the operator's override and
 * pauses and the throttle state; an instance ({@code coupang/vendor:V1}) also reads its configured budget's ctl
 * ({@code …:vendor:ctl}). The {@code {market}} hash tag puts all budgets of a market in one cluster slot. Thread-safe.
 */
final class DecideScript {

    /** ARGV of a control operation before the per-budget values: operation and up to three operands. */
    private static final int HEADER = 4;
    /** ARGV per budget of a control operation (the last is the jitter guard). */
    private static final int BLOCK = 9;
    /**
     * ARGV per budget of a decide batch: the same values without the reduction (limit, counted window, ceilings,
     * recovery, jitter guard), then this store's expiry cell for the budget and its configured budget's ctl key.
     */
    private static final int DECIDE_BLOCK = 10;
    /** The cells of time in which {@code limiter.lua} writes a log's expiry once per caller: its CELL_MS. */
    private static final long CELL_MS = 256;
    /** ARGV of a decide batch before the per-budget values: 'decide' and the number of budgets. */
    private static final int DECIDE_HEADER = 2;
    /** ARGV of a lone call of cost 1 on one budget before the budget's decide values: 'one' and the log member. */
    private static final int ONE_HEADER = 2;
    /** ARGV per call of a decide batch on all of the batch's budgets: priority, cost, token, 0. */
    private static final int CALL_ARGS = 4;
    /** Reply values per call of a decide batch, after the batch's time. */
    static final int CALL_REPLY = 6;
    /** The most decisions one script call takes. */
    static final int MAX_BATCH = 128;
    /** Budget combinations whose keys and arguments are kept ready; beyond this the cache starts over. */
    private static final int MAX_PREPARED = 10_000;

    private static final byte[] OP_DECIDE = ascii("decide");
    private static final byte[] OP_ONE = ascii("one");
    static final byte[] OP_THROTTLE = ascii("throttle");
    static final byte[] OP_OVERRIDE = ascii("override");
    static final byte[] OP_CLEAR = ascii("clear");
    static final byte[] OP_PAUSE = ascii("pause");
    static final byte[] OP_RESUME = ascii("resume");
    static final byte[] OP_STATUS = ascii("status");
    static final byte[] OP_OBSERVE = ascii("observe");
    static final byte[] NONE = ascii("0");
    private static final byte[][] PRIORITY = {ascii("0"), ascii("1"), ascii("2")};
    private static final byte[][] SMALL_NUMBERS = new byte[65][];
    private static final Decision.Reason[] REASONS = {Decision.Reason.GRANTED, Decision.Reason.CEILING_REACHED,
            Decision.Reason.PAUSED, Decision.Reason.COOLING_DOWN};
    private static final ThreadLocal<long[]> TOKEN_COUNTER = ThreadLocal.withInitial(() -> new long[1]);
    private static final byte[] DIGITS = ascii("0123456789abcdefghijklmnopqrstuvwxyz");

    static {
        for (int i = 0; i < SMALL_NUMBERS.length; i++) {
            SMALL_NUMBERS[i] = ascii(Integer.toString(i));
        }
    }

    private final String keyPrefix;
    /** Makes the log members of this store's grants unique among every store of the fleet. */
    private final byte[] tokenPrefix;
    private final Map<List<Budget>, Prepared> prepared = new ConcurrentHashMap<>();

    /** The wire format for keys under {@code keyPrefix}, with a random token prefix of its own. */
    DecideScript(String keyPrefix) {
        this(keyPrefix, Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36));
    }

    /** The wire format for keys under {@code keyPrefix}, whose log members start with {@code tokenPrefix}. */
    DecideScript(String keyPrefix, String tokenPrefix) {
        this.keyPrefix = keyPrefix;
        this.tokenPrefix = ascii(tokenPrefix + '.');
    }

    /** One decision to send: its budgets (one market), priority and cost, and the token unique to it in the fleet. */
    record Call(List<Budget> budgets, Priority priority, int cost, byte[] token) {}

    /**
     * KEYS and ARGV of one script call, and for {@link #noteGrants}: the combination of budgets it was made for and,
     * unless every call is on all of them, each call's budgets by position in it.
     */
    record Script(byte[][] keys, byte[][] args, Prepared prepared, int[][] positions) {}

    /** A call of this store: a new token, no other call of the fleet has it. */
    Call call(List<Budget> budgets, Priority priority, int cost) {
        return new Call(budgets, priority, cost, token());
    }

    /**
     * A member prefix unique to this call: the store's random prefix, the calling thread and that thread's own
     * counter, written straight into bytes. No counter shared by all callers, which a hot path of many threads would
     * contend on.
     */
    private byte[] token() {
        long[] counter = TOKEN_COUNTER.get();
        long n = ++counter[0];
        byte[] out = new byte[tokenPrefix.length + 26];
        System.arraycopy(tokenPrefix, 0, out, 0, tokenPrefix.length);
        int i = tokenPrefix.length;
        i = base36(Thread.currentThread().threadId(), out, i);
        out[i++] = '.';
        i = base36(n, out, i);
        return Arrays.copyOf(out, i);
    }

    /** Writes {@code v} (≥ 0) in base 36 at {@code at}; returns the index after it. */
    private static int base36(long v, byte[] out, int at) {
        int start = at;
        do {
            out[at++] = DIGITS[(int) (v % 36)];
            v /= 36;
        } while (v > 0);
        for (int l = start, r = at - 1; l < r; l++, r--) {
            byte t = out[l];
            out[l] = out[r];
            out[r] = t;
        }
        return at;
    }

    // ---- decide

    /**
     * The script call that decides {@code batch} (1 to {@value #MAX_BATCH} calls of one market) in order: the 'one'
     * operation for a lone call of cost 1 on one budget, else 'decide'. Calls may name different budgets, but no two
     * budgets of one name with different settings.
     */
    Script decide(List<Call> batch) {
        List<Budget> first = batch.get(0).budgets;
        if (batch.size() == 1 && first.size() == 1 && batch.get(0).cost == 1) {
            // the common case has an operation of its own, with fewer arguments
            Prepared p = prepare(first);
            return new Script(p.keys, p.oneArgs(batch.get(0)), p, null);
        }
        boolean same = true;
        for (int i = 1; i < batch.size() && same; i++) {
            same = batch.get(i).budgets.equals(first);
        }
        if (same) {
            Prepared p = prepare(first);
            byte[][] args = new byte[p.decide.length + CALL_ARGS * batch.size()][];
            p.decideHead(args);
            int a = p.decide.length;
            for (Call c : batch) {
                args[a++] = PRIORITY[c.priority.ordinal()];
                args[a++] = number(c.cost);
                args[a++] = c.token;
                args[a++] = NONE;
            }
            return new Script(p.keys, args, p, null);
        }
        // budgets of the batch in order of appearance; each call names its own by number
        Map<String, Integer> numbers = new LinkedHashMap<>();
        List<Budget> all = new ArrayList<>();
        int size = 0;
        for (Call c : batch) {
            for (Budget b : c.budgets) {
                if (numbers.putIfAbsent(b.name(), all.size() + 1) == null) {
                    all.add(b);
                }
            }
            size += CALL_ARGS + c.budgets.size();
        }
        Prepared p = prepare(all);
        byte[][] args = new byte[p.decide.length + size][];
        p.decideHead(args);
        int a = p.decide.length;
        int[][] positions = new int[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            Call c = batch.get(i);
            args[a++] = PRIORITY[c.priority.ordinal()];
            args[a++] = number(c.cost);
            args[a++] = c.token;
            args[a++] = number(c.budgets.size());
            positions[i] = new int[c.budgets.size()];
            for (int j = 0; j < c.budgets.size(); j++) {
                int number = numbers.get(c.budgets.get(j).name());
                args[a++] = number(number);
                positions[i][j] = number - 1;
            }
        }
        return new Script(p.keys, Arrays.copyOf(args, a), p, positions);
    }

    /**
     * Sets this store's expiry cell of every budget that a call of the script's reply was granted on to the cell of the
     * reply's time: the script wrote the log's expiry for that cell, or found it written by an earlier script of this
     * store in that cell (see the expiry of a log in {@code limiter.lua}), so later scripts in that cell need not.
     */
    static void noteGrants(Script script, List<Object> reply) {
        long[] plain = plainGrant(reply);
        long ms = Math.floorDiv(plain != null ? plain[0] : at(reply, 0), 1_000L);
        long cell = ms - Math.floorMod(ms, CELL_MS);
        if (plain != null) {
            script.prepared.grantedIn(cell);
            return;
        }
        int calls = (reply.size() - 1) / CALL_REPLY;
        for (int i = 0; i < calls; i++) {
            if (at(reply, 1 + i * CALL_REPLY) != 0) {
                continue;
            }
            if (script.positions == null) {
                script.prepared.grantedIn(cell);
                return;
            }
            for (int position : script.positions[i]) {
                script.prepared.grantedIn(position, cell);
            }
        }
    }

    /** The decision of the {@code index}-th call of a decide batch's reply, or of a 'one' operation's reply. */
    static Decision decision(Call call, List<Object> reply, int index) {
        Map<Priority, Long> remaining = new EnumMap<>(Priority.class);
        long[] plain = plainGrant(reply);
        if (plain != null) {
            // under the configured limit, nothing paused or cooling down: the room is what the configured capacities
            // leave (as limiter.lua would have computed it); a guarded budget's, at most what the limit leaves in the
            // counted window
            Budget b = call.budgets.get(0);
            long counted = plain.length > 2 ? plain[2] : plain[1];
            for (Priority p : Priority.values()) {
                remaining.put(p, Math.max(0, Math.min(b.ceilings().capacity(p, b.limit()) - plain[1], b.limit() - counted)));
            }
            return Decision.granted(remaining, plain[0], Decision.DecidedBy.STORE);
        }
        long now = at(reply, 0);
        int o = 1 + index * CALL_REPLY;
        if (reply.size() < o + CALL_REPLY) {
            throw new IllegalStateException("limiter.lua replied " + reply.size() + " values, expected at least "
                    + (o + CALL_REPLY) + " for call " + (index + 1) + " of its batch");
        }
        remaining.put(Priority.HIGH, at(reply, o + 3));
        remaining.put(Priority.MEDIUM, at(reply, o + 4));
        remaining.put(Priority.LOW, at(reply, o + 5));
        int reason = (int) at(reply, o);
        if (reason == 0) {
            return Decision.granted(remaining, now, Decision.DecidedBy.STORE);
        }
        String blocking = call.budgets.get((int) at(reply, o + 2) - 1).name();
        return Decision.denied(REASONS[reason], Duration.ofNanos(at(reply, o + 1) * 1_000L), blocking, remaining, now,
                Decision.DecidedBy.STORE);
    }

    // ---- control and status

    /** KEYS and ARGV of a control operation on one budget: {@code op} and its operands (see {@code limiter.lua}). */
    Script control(Budget budget, byte[] op, byte[] a, byte[] b) {
        Prepared p = prepare(List.of(budget));
        return new Script(p.keys, p.args(op, a, b, NONE), p, null);
    }

    Script throttle(Budget budget, Duration cooldown) {
        return control(budget, OP_THROTTLE, number(micros(cooldown)), NONE);
    }

    Script override(Budget budget, long limit, Duration ttl) {
        return control(budget, OP_OVERRIDE, number(limit), number(micros(ttl)));
    }

    Script clear(Budget budget) {
        return control(budget, OP_CLEAR, NONE, NONE);
    }

    Script pause(Budget budget, Priority priority, Duration ttl) {
        return control(budget, OP_PAUSE, PRIORITY[priority.ordinal()], number(micros(ttl)));
    }

    Script resume(Budget budget, Priority priority) {
        return control(budget, OP_RESUME, PRIORITY[priority.ordinal()], NONE);
    }

    Script status(Budget budget) {
        return control(budget, OP_STATUS, NONE, NONE);
    }

    /** The 'observe' operation: the market's level on its answer to a call granted at {@code grantMicros}. */
    Script observe(Budget budget, long marketUsed, long marketCapacity, long grantMicros) {
        Prepared p = prepare(List.of(budget));
        return new Script(p.keys, p.args(OP_OBSERVE, number(marketUsed), number(marketCapacity), number(grantMicros)), p, null);
    }

    /** The market units the 'observe' operation added, from its reply {@code {now, added}}. */
    static long observed(List<Object> r) {
        return at(r, 1);
    }

    /** The budget's status from the 'status' operation's reply. */
    static BudgetStatus status(Budget budget, List<Object> r) {
        long now = at(r, 0);
        long effective = at(r, 1);
        Map<Priority, Long> usage = new EnumMap<>(Priority.class);
        Map<Priority, Instant> paused = new EnumMap<>(Priority.class);
        for (Priority q : Priority.values()) {
            usage.put(q, at(r, 2 + q.ordinal()));
            long pausedUntil = at(r, 7 + q.ordinal());
            if (pausedUntil > now) {
                paused.put(q, instant(pausedUntil));
            }
        }
        long overrideLimit = at(r, 5);
        long overrideUntil = at(r, 6);
        long cooldownUntil = at(r, 10);
        boolean overridden = overrideUntil > now;
        return new BudgetStatus(budget.name(), budget.limit(), effective, usage,
                overridden ? Optional.of(overrideLimit) : Optional.empty(),
                overridden ? Optional.of(instant(overrideUntil)) : Optional.empty(),
                paused,
                cooldownUntil > now ? Optional.of(instant(cooldownUntil)) : Optional.empty(),
                instant(now), at(r, 11));
    }

    private Prepared prepare(List<Budget> budgets) {
        Prepared p = prepared.get(budgets);
        if (p == null) {
            if (prepared.size() >= MAX_PREPARED) {
                prepared.clear();
            }
            p = new Prepared(keyPrefix, budgets);
            prepared.put(List.copyOf(budgets), p);
        }
        return p;
    }

    /** The KEYS and the per-budget ARGV of one combination of budgets, computed once. */
    static final class Prepared {
        final byte[][] keys;
        final byte[][] template;
        /** 'decide', the number of budgets and the decide values per budget, the head of a decide batch's ARGV. */
        final byte[][] decide;
        /**
         * Per budget, this store's expiry cell for scripts on this combination: the start in ms of the last cell in
         * which one of their grants on the budget wrote the log's expiry or found it written (see {@code limiter.lua}).
         */
        private final AtomicReferenceArray<ExpiryCell> expiryCells;

        /**
         * KEYS: log and ctl of each budget, then once each the ctl of the configured budget of every instance among
         * them ({@code coupang/vendor} of {@code coupang/vendor:V1}), whose pauses and override the instance obeys. A
         * combination without instances has exactly two keys per budget, and its decisions read nothing more.
         */
        Prepared(String keyPrefix, List<Budget> budgets) {
            Map<String, Integer> configuredCtl = new LinkedHashMap<>();
            for (Budget b : budgets) {
                if (b.budgetName().isInstance()) {
                    configuredCtl.putIfAbsent(ctlKey(keyPrefix, b.market(), b.shortName()), budgets.size() * 2 + configuredCtl.size() + 1);
                }
            }
            keys = new byte[budgets.size() * 2 + configuredCtl.size()][];
            configuredCtl.forEach((key, position) -> keys[position - 1] = ascii(key));
            template = new byte[HEADER + budgets.size() * BLOCK][];
            decide = new byte[DECIDE_HEADER + budgets.size() * DECIDE_BLOCK][];
            decide[0] = OP_DECIDE;
            decide[1] = number(budgets.size());
            for (int i = 0; i < budgets.size(); i++) {
                Budget b = budgets.get(i);
                String base = keyPrefix + ":{" + b.market() + "}:" + b.shortName()
                        + b.budgetName().instance().map(k -> ":" + k).orElse("");
                keys[2 * i] = ascii(base + ":log");
                keys[2 * i + 1] = ascii(base + ":ctl");
                int o = HEADER + i * BLOCK;
                template[o] = number(b.limit());
                template[o + 1] = number(b.countedWindowMicros());
                template[o + 2] = number(b.ceilings().ppm(Priority.HIGH));
                template[o + 3] = number(b.ceilings().ppm(Priority.MEDIUM));
                template[o + 4] = number(b.ceilings().ppm(Priority.LOW));
                template[o + 5] = number(micros(b.recovery().stepInterval()));
                template[o + 6] = number(b.recovery().step(b.limit()));
                template[o + 7] = number(b.recovery().reductionPpm());
                template[o + 8] = number(b.jitterGuardMicros());
                int d = DECIDE_HEADER + i * DECIDE_BLOCK;
                // the decide values: the control values but the reduction, the guard in its place
                System.arraycopy(template, o, decide, d, 7);
                decide[d + 7] = template[o + 8];
                decide[d + DECIDE_BLOCK - 1] = !b.budgetName().isInstance() ? NONE
                        : number(configuredCtl.get(ctlKey(keyPrefix, b.market(), b.shortName())));
            }
            expiryCells = new AtomicReferenceArray<>(budgets.size());
            for (int i = 0; i < budgets.size(); i++) {
                expiryCells.set(i, ExpiryCell.NONE);
            }
        }

        /** Writes the head of a decide batch's ARGV into {@code args}: {@link #decide} with the expiry cells of now. */
        void decideHead(byte[][] args) {
            System.arraycopy(decide, 0, args, 0, decide.length);
            for (int i = 0; i < expiryCells.length(); i++) {
                args[DECIDE_HEADER + i * DECIDE_BLOCK + DECIDE_BLOCK - 2] = expiryCells.get(i).text;
            }
        }

        /**
         * ARGV of the 'one' operation for {@code c}, a call of cost 1 on this combination's one budget: the log member
         * and the budget's decide values but the last (the script finds the configured budget's ctl in KEYS).
         */
        byte[][] oneArgs(Call c) {
            byte[] priority = PRIORITY[c.priority.ordinal()];
            byte[] member = new byte[priority.length + 1 + c.token.length];
            System.arraycopy(priority, 0, member, 0, priority.length);
            member[priority.length] = ':';
            System.arraycopy(c.token, 0, member, priority.length + 1, c.token.length);
            byte[][] args = new byte[ONE_HEADER + DECIDE_BLOCK - 1][];
            args[0] = OP_ONE;
            args[1] = member;
            System.arraycopy(decide, DECIDE_HEADER, args, ONE_HEADER, DECIDE_BLOCK - 2);
            args[ONE_HEADER + DECIDE_BLOCK - 2] = expiryCells.get(0).text;
            return args;
        }

        /** A script on this combination granted on its {@code i}-th budget in the cell starting at {@code cell} ms. */
        void grantedIn(int i, long cell) {
            if (expiryCells.get(i).cell != cell) {
                expiryCells.set(i, new ExpiryCell(cell, ascii(Long.toString(cell))));
            }
        }

        /** A script on this combination granted on all of its budgets in the cell starting at {@code cell} ms. */
        void grantedIn(long cell) {
            for (int i = 0; i < expiryCells.length(); i++) {
                grantedIn(i, cell);
            }
        }

        /** An expiry cell (ms) and its ARGV text. */
        private record ExpiryCell(long cell, byte[] text) {
            static final ExpiryCell NONE = new ExpiryCell(0, DecideScript.NONE);
        }

        private static String ctlKey(String keyPrefix, String market, String shortName) {
            return keyPrefix + ":{" + market + "}:" + shortName + ":ctl";
        }

        byte[][] args(byte[] op, byte[] a, byte[] b, byte[] c) {
            byte[][] args = template.clone();
            args[0] = op;
            args[1] = a;
            args[2] = b;
            args[3] = c;
            return args;
        }
    }

    /**
     * The 'one' operation's reply to a plain grant, the text {@code "<now> <units in the window>"}, as {now, units}, or
     * for a budget with a jitter guard {@code "<now> <units in the window> <units in the counted window>"}, as {now,
     * units, counted units}; null for any other reply.
     */
    private static long[] plainGrant(List<Object> reply) {
        if (reply.size() != 1 || !(reply.get(0) instanceof byte[] text)) {
            return null;
        }
        int space = 0;
        while (space < text.length && text[space] != ' ') {
            space++;
        }
        if (space == 0 || space >= text.length - 1) {
            throw malformedPlainGrant(text);
        }
        int second = space + 1;
        while (second < text.length && text[second] != ' ') {
            second++;
        }
        if (second == text.length) {
            return new long[] {digits(text, 0, space), digits(text, space + 1, text.length)};
        }
        if (second == space + 1 || second >= text.length - 1) {
            throw malformedPlainGrant(text);
        }
        return new long[] {digits(text, 0, space), digits(text, space + 1, second), digits(text, second + 1, text.length)};
    }

    /** The decimal number in {@code text[from, to)}, which must be digits only. */
    private static long digits(byte[] text, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = text[i] - '0';
            if (d < 0 || d > 9) {
                throw malformedPlainGrant(text);
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static IllegalStateException malformedPlainGrant(byte[] text) {
        return new IllegalStateException("limiter.lua replied '" + new String(text, StandardCharsets.US_ASCII)
                + "', expected '<now> <units>' or '<now> <units> <counted units>'");
    }

    private static long at(List<Object> reply, int index) {
        if (!(reply.get(index) instanceof Long n)) {
            throw new IllegalStateException("limiter.lua replied " + reply.get(index) + " at " + (index + 1)
                    + ", expected an integer");
        }
        return n;
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }

    private static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    static byte[] number(long n) {
        return n >= 0 && n < SMALL_NUMBERS.length ? SMALL_NUMBERS[(int) n] : ascii(Long.toString(n));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
