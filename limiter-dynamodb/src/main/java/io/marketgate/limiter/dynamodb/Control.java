package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One budget's operator and throttle state, the {@code ctl:<budget>} map of its item (the fields of the Valkey store's
 * ctl hash, plus {@code re}): all times in µs since the epoch, 0 for none.
 */
final class Control {

    private static final long PPM = 1_000_000L;

    /** The override's limit, while {@link #overrideUntil} has not passed. */
    long overrideLimit;
    long overrideUntil;
    /** Pause until, per priority ordinal. */
    final long[] pauseUntil = new long[3];
    long cooldownUntil;
    /** The reduced limit a throttle set, which recovery starts from; 0 when never throttled. */
    long throttledLimit;
    /** When the recovery from {@link #throttledLimit} reaches the configured limit. */
    long recoveredAt;
    /** A waiting HIGH call's hold ({@link io.marketgate.limiter.HighHold}): until when, and how many units. */
    long holdUntil;
    long holdCost;

    static Control decode(Map<String, AttributeValue> map) {
        Control c = new Control();
        if (map == null) {
            return c;
        }
        c.overrideLimit = number(map, "ol");
        c.overrideUntil = number(map, "ou");
        for (int p = 0; p < 3; p++) {
            c.pauseUntil[p] = number(map, "p" + p);
        }
        c.cooldownUntil = number(map, "cd");
        c.throttledLimit = number(map, "tl");
        c.recoveredAt = number(map, "re");
        c.holdUntil = number(map, "hu");
        c.holdCost = number(map, "hc");
        return c;
    }

    /** The non-zero fields as a DynamoDB map. */
    Map<String, AttributeValue> encode() {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        put(m, "ol", overrideLimit);
        put(m, "ou", overrideUntil);
        for (int p = 0; p < 3; p++) {
            put(m, "p" + p, pauseUntil[p]);
        }
        put(m, "cd", cooldownUntil);
        put(m, "tl", throttledLimit);
        put(m, "re", recoveredAt);
        put(m, "hu", holdUntil);
        put(m, "hc", holdCost);
        return m;
    }

    /** When nothing in it changes a decision any more; before {@code now} means it can go. */
    long lastRelevant() {
        long last = Math.max(Math.max(overrideUntil, cooldownUntil), holdUntil);
        for (long p : pauseUntil) {
            last = Math.max(last, p);
        }
        return throttledLimit > 0 ? Math.max(last, recoveredAt) : last;
    }

    /** Forgets what has ended by {@code now}, as if it had never been set. */
    void forgetEnded(long now) {
        if (overrideUntil <= now) {
            overrideLimit = 0;
            overrideUntil = 0;
        }
        for (int p = 0; p < 3; p++) {
            if (pauseUntil[p] <= now) {
                pauseUntil[p] = 0;
            }
        }
        if (holdUntil <= now) {
            holdUntil = 0;
            holdCost = 0;
        }
        if (cooldownUntil <= now && (throttledLimit == 0 || recoveredAt <= now)) {
            // the cool-down is over and the limit has recovered: a forgotten reduced limit would change nothing
            cooldownUntil = 0;
            throttledLimit = 0;
            recoveredAt = 0;
        }
    }

    /** The units of an active hold at {@code now}, which MEDIUM and LOW count as taken. */
    long held(long now) {
        return holdUntil > now ? holdCost : 0;
    }

    /** When {@code p}'s pause ends: this budget's or its configured budget's ({@code configured}, may be null). */
    long pauseUntil(Priority p, Control configured) {
        long own = pauseUntil[p.ordinal()];
        return configured == null ? own : Math.max(own, configured.pauseUntil[p.ordinal()]);
    }

    /** The control whose override applies at {@code now}: this one's while active, else the configured budget's; null if none. */
    Control override(long now, Control configured) {
        if (overrideUntil > now) {
            return this;
        }
        return configured != null && configured.overrideUntil > now ? configured : null;
    }

    /**
     * The limit decisions use at {@code now}: an active override or the configured limit, capped while recovering from a
     * throttle by the reduced limit plus one step per interval since the cool-down ended; recovery ends at the configured
     * limit, from then on an override applies in full (as {@code limiter.lua}'s {@code effective_limit}).
     */
    long effectiveLimit(Budget b, long now, Control configured) {
        Control override = override(now, configured);
        long base = override != null ? override.overrideLimit : b.limit();
        if (throttledLimit == 0) {
            return base;
        }
        long interval = b.recovery().stepInterval().toNanos() / 1_000L;
        long steps = Math.max(0, now - cooldownUntil) / interval;
        long recovered = throttledLimit + steps * b.recovery().step(b.limit());
        return recovered < b.limit() && recovered < base ? recovered : base;
    }

    /** A throttle reported at {@code now}: a cool-down of {@code cooldownMicros}, the limit lowered once per burst. */
    void throttle(Budget b, long now, long cooldownMicros) {
        if (cooldownUntil <= now) {
            // a burst of 429s from calls in flight lowers the limit once, not once per call
            throttledLimit = Math.max(1, effectiveLimit(b, now, null) * b.recovery().reductionPpm() / PPM);
        }
        cooldownUntil = Math.max(cooldownUntil, now + cooldownMicros);
        long interval = b.recovery().stepInterval().toNanos() / 1_000L;
        long step = b.recovery().step(b.limit());
        long missing = Math.max(0, b.limit() - throttledLimit);
        recoveredAt = cooldownUntil + (missing + step - 1) / step * interval;
    }

    private static long number(Map<String, AttributeValue> map, String field) {
        AttributeValue v = map.get(field);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static void put(Map<String, AttributeValue> m, String field, long value) {
        if (value != 0) {
            m.put(field, AttributeValue.fromN(Long.toString(value)));
        }
    }
}
