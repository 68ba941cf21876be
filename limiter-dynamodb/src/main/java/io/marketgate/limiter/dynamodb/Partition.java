package io.marketgate.limiter.dynamodb;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One item of the table as read, and what an operation changes in it: the budgets' logs and controls are decoded when
 * an operation names them, and only the ones it changed are written back; every other attribute (budgets the operation
 * does not name) is written back as read.
 */
final class Partition {

    /** DynamoDB's largest item: 400 KB, attribute names and values together. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** The largest item this store writes, below DynamoDB's with room for the key, version and expiry. */
    static final int MAX_WRITTEN_BYTES = 380 * 1024;
    /** An item outlives its last relevant moment by this much, for the TTL sweeper's clock. */
    private static final long EXPIRY_MARGIN_SECONDS = 60;

    private final String pk;
    private final long version;
    private final Map<String, AttributeValue> attributes;
    private final int size;
    private final Map<String, WindowLog> logs = new HashMap<>();
    private final Map<String, Control> controls = new HashMap<>();
    private final Set<String> changed = new LinkedHashSet<>();

    private Partition(String pk, long version, Map<String, AttributeValue> attributes) {
        this.pk = pk;
        this.version = version;
        this.attributes = attributes;
        this.size = size(attributes);
    }

    /** The item as read; {@code item} empty or null when it does not exist. */
    static Partition of(String pk, Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return new Partition(pk, 0, new HashMap<>());
        }
        AttributeValue v = item.get(LimiterTable.VERSION);
        long version = v == null || v.n() == null ? 0 : Long.parseLong(v.n());
        return new Partition(pk, version, new HashMap<>(item));
    }

    String pk() {
        return pk;
    }

    /** The version read; 0 when the item did not exist. */
    long version() {
        return version;
    }

    /** The item's size as read, in bytes (0 when it did not exist). */
    int size() {
        return size;
    }

    boolean changed() {
        return !changed.isEmpty();
    }

    /** The budget's log, decoded on first use; an empty one of {@code windowMicros} when the item has none. */
    WindowLog log(String budget, long windowMicros) {
        return logs.computeIfAbsent(budget, b -> {
            AttributeValue v = attributes.get(LimiterTable.LOG + b);
            return v == null || v.b() == null ? WindowLog.empty(windowMicros)
                    : WindowLog.decode(v.b().asByteArrayUnsafe(), "the log of " + b + " in item " + pk);
        });
    }

    /** The budget's control, decoded on first use; an empty one when the item has none. */
    Control control(String budget) {
        return controls.computeIfAbsent(budget, b -> {
            AttributeValue v = attributes.get(LimiterTable.CTL + b);
            return Control.decode(v == null ? null : v.m());
        });
    }

    /** Whether the item holds a control of {@code budget} (an instance's configured budget may have none). */
    boolean hasControl(String budget) {
        return controls.containsKey(budget) || attributes.containsKey(LimiterTable.CTL + budget);
    }

    /** Marks the budget's log and control as changed: {@link #item} writes them back. */
    void touch(String budget) {
        changed.add(budget);
    }

    /**
     * The item to write: the changed budgets compacted at {@code now} (see {@link WindowLog#compact}) and re-encoded,
     * emptied logs and ended controls removed, the next version, and an expiry no earlier than the one read.
     *
     * @param windows the window of each changed budget, in µs
     * @throws DynamoDbItemTooLargeException when the item would exceed {@link #MAX_WRITTEN_BYTES}
     */
    Map<String, AttributeValue> item(long now, Map<String, Long> windows, long writer, long skewMicros) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        long relevant = 0;
        for (String budget : changed) {
            WindowLog log = logs.get(budget);
            if (log != null) {
                log.compact(now, windows.getOrDefault(budget, log.windowMicros()), writer, skewMicros);
                if (log.isEmpty()) {
                    item.remove(LimiterTable.LOG + budget);
                } else {
                    item.put(LimiterTable.LOG + budget, AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(log.encode())));
                    relevant = Math.max(relevant, log.lastExpiry(skewMicros));
                }
            }
            Control ctl = controls.get(budget);
            if (ctl != null) {
                ctl.forgetEnded(now);
                Map<String, AttributeValue> encoded = ctl.encode();
                if (encoded.isEmpty()) {
                    item.remove(LimiterTable.CTL + budget);
                } else {
                    item.put(LimiterTable.CTL + budget, AttributeValue.fromM(encoded));
                    relevant = Math.max(relevant, ctl.lastRelevant());
                }
            }
        }
        item.put(LimiterTable.PK, AttributeValue.fromS(pk));
        item.put(LimiterTable.VERSION, AttributeValue.fromN(Long.toString(version + 1)));
        AttributeValue previous = attributes.get(LimiterTable.EXPIRES_AT);
        long expiresAt = Math.max(previous == null || previous.n() == null ? 0 : Long.parseLong(previous.n()),
                Math.max(relevant, now) / 1_000_000L + 1 + EXPIRY_MARGIN_SECONDS);
        item.put(LimiterTable.EXPIRES_AT, AttributeValue.fromN(Long.toString(expiresAt)));
        int size = size(item);
        if (size > MAX_WRITTEN_BYTES) {
            throw new DynamoDbItemTooLargeException(pk, size, MAX_WRITTEN_BYTES, changed);
        }
        return item;
    }

    /** An item's size as DynamoDB counts it (names and values in bytes), rounded up where DynamoDB's rule is finer. */
    static int size(Map<String, AttributeValue> item) {
        int size = 0;
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
            size += utf8(a.getKey()) + size(a.getValue());
        }
        return size;
    }

    private static int size(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return 21;   // DynamoDB's upper bound for a number: 38 digits in about 20 bytes, plus one
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        if (v.hasM()) {
            int size = 3;   // a map's overhead
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += utf8(e.getKey()) + size(e.getValue()) + 1;
            }
            return size;
        }
        return 1;
    }

    private static int utf8(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
