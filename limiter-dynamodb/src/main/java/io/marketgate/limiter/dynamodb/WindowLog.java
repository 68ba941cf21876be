package io.marketgate.limiter.dynamodb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One budget's sliding window in its item: an entry per admitted call (its time in µs, cost, priority and which
 * store instance, the <em>writer</em>, admitted it), as one binary attribute.
 *
 * <p>Format: a format byte (1); varint window µs (the budget's window when last written, for compacting and expiring
 * items that hold budgets a caller does not name); varint writer count and each writer's id in 8 bytes; varint entry
 * count; then per entry, oldest first: varint µs since the previous entry (the first: since the epoch), varint
 * {@code cost << 2 | priority} (priority 3: a market unit), varint writer index. A call of cost 1 from one writer takes 3 to 5 bytes, so a
 * full window of 1,000 calls is about 4 KB.
 *
 * <p>Who wrote an entry matters because every writer times its decisions by its own clock (see
 * {@link DynamoDbStoreOptions.Builder#maxClockSkew}): an entry of the reading writer counts for exactly the
 * window, another writer's for the window plus the tolerated skew.
 */
final class WindowLog {

    private static final int FORMAT = 1;

    /** One admitted call, or a market unit (priority {@link ItemStore#MARKET}, see {@code observeMarketLevel}). */
    record Entry(long stamp, long cost, int priority, long writer) {}

    private long windowMicros;
    private final List<Entry> entries;

    WindowLog(long windowMicros, List<Entry> entries) {
        this.windowMicros = windowMicros;
        this.entries = new ArrayList<>(entries);
    }

    static WindowLog empty(long windowMicros) {
        return new WindowLog(windowMicros, List.of());
    }

    long windowMicros() {
        return windowMicros;
    }

    List<Entry> entries() {
        return entries;
    }

    /** The moment {@code e} leaves the window as {@code reader} sees it. */
    static long expiry(Entry e, long windowMicros, long reader, long skewMicros) {
        return e.stamp() + windowMicros + (e.writer() == reader ? 0 : skewMicros);
    }

    /** The entries still inside the window at {@code now} for {@code reader}, soonest to leave first. */
    List<Entry> inWindow(long now, long windowMicros, long reader, long skewMicros) {
        List<Entry> in = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (expiry(e, windowMicros, reader, skewMicros) > now) {
                in.add(e);
            }
        }
        in.sort(Comparator.comparingLong(e -> expiry(e, windowMicros, reader, skewMicros)));
        return in;
    }

    void add(Entry e) {
        entries.add(e);
    }

    /** Removes one entry equal to {@code e}; whether there was one. */
    boolean remove(Entry e) {
        return entries.remove(e);
    }

    /**
     * Drops the entries that have left the window for every writer: {@code reader}'s own once they left it for
     * {@code reader}, another writer's once they left it with the skew added (then they have left it for their writer
     * too, as long as no two clocks differ by more than the skew). Records {@code windowMicros} as the log's window.
     */
    void compact(long now, long windowMicros, long reader, long skewMicros) {
        this.windowMicros = windowMicros;
        entries.removeIf(e -> expiry(e, windowMicros, reader, skewMicros) <= now);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** When the last entry leaves the window for every reader; 0 for an empty log. */
    long lastExpiry(long skewMicros) {
        long last = 0;
        for (Entry e : entries) {
            last = Math.max(last, e.stamp() + windowMicros + skewMicros);
        }
        return last;
    }

    byte[] encode() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::stamp));
        Map<Long, Integer> writers = new LinkedHashMap<>();
        for (Entry e : sorted) {
            writers.putIfAbsent(e.writer(), writers.size());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 + writers.size() * 8 + sorted.size() * 5);
        out.write(FORMAT);
        varint(out, windowMicros);
        varint(out, writers.size());
        ByteBuffer id = ByteBuffer.allocate(8);
        for (long w : writers.keySet()) {
            out.writeBytes(id.clear().putLong(w).array());
        }
        varint(out, sorted.size());
        long previous = 0;
        for (Entry e : sorted) {
            varint(out, e.stamp() - previous);
            previous = e.stamp();
            varint(out, e.cost() << 2 | e.priority());
            varint(out, writers.get(e.writer()));
        }
        return out.toByteArray();
    }

    /**
     * Reads a log written by {@link #encode()}.
     *
     * @throws IllegalStateException naming {@code what} when the bytes are not such a log
     */
    static WindowLog decode(byte[] bytes, String what) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            int format = in.get();
            if (format != FORMAT) {
                throw new IllegalStateException(what + " has format " + format + ", this store reads format " + FORMAT);
            }
            long window = varint(in);
            int writerCount = Math.toIntExact(varint(in));
            long[] writers = new long[writerCount];
            for (int i = 0; i < writerCount; i++) {
                writers[i] = in.getLong();
            }
            int count = Math.toIntExact(varint(in));
            List<Entry> entries = new ArrayList<>(count);
            long stamp = 0;
            for (int i = 0; i < count; i++) {
                stamp += varint(in);
                long costAndPriority = varint(in);
                int writer = Math.toIntExact(varint(in));
                entries.add(new Entry(stamp, costAndPriority >>> 2, (int) (costAndPriority & 3), writers[writer]));
            }
            if (in.hasRemaining()) {
                throw new IllegalStateException(what + " has " + in.remaining() + " bytes after its last entry");
            }
            return new WindowLog(window, entries);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException ise && ise.getMessage() != null && ise.getMessage().startsWith(what)) {
                throw ise;
            }
            throw new IllegalStateException(what + " is not a window log of this store (" + e + ")", e);
        }
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a varint must not be negative, was " + value);
        }
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("a varint longer than 10 bytes");
    }

    @Override
    public String toString() {
        return "WindowLog[window=" + windowMicros + "µs, entries=" + Arrays.toString(entries.toArray()) + "]";
    }
}
