package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Order;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Deterministic orders: each (seed, market, seller, hour) draws its own orders from a random generator seeded by
 * their hash, so any range, page or chunking of a range sees the same orders with the same ids. An order id is
 * {@code {sellerTag}-{epochHour}-{index}}; its hour and index let the market find it again without state.
 */
public final class OrderBook {

    static final long HOUR_MS = 3_600_000L;
    private static final String[] STATUSES = {"ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "CANCELLED"};
    public static final Comparator<Order> ORDERING =
            Comparator.comparing(Order::updatedAt).thenComparing(Order::orderId);

    private final String market;
    private final long seed;
    private final int ordersPerHour;

    public OrderBook(String market, long seed, int ordersPerHour) {
        this.market = market;
        this.seed = seed;
        this.ordersPerHour = ordersPerHour;
    }

    /** Every order of {@code seller} with {@code from ≤ updatedAt < to}, sorted. */
    public List<Order> between(String seller, Instant from, Instant to) {
        return page(seller, from, to, null, Integer.MAX_VALUE);
    }

    /**
     * Up to {@code limit} orders with {@code from ≤ updatedAt < to} that sort after {@code after} (null: from the
     * start). Hours before the cursor's are not generated, so walking a long range stays linear.
     */
    public List<Order> page(String seller, Instant from, Instant to, CursorKey after, int limit) {
        List<Order> out = new ArrayList<>();
        long firstHour = Math.floorDiv(from.toEpochMilli(), HOUR_MS);
        if (after != null) {
            firstHour = Math.max(firstHour, Math.floorDiv(after.updatedAtMillis(), HOUR_MS));
        }
        long lastHour = Math.floorDiv(to.toEpochMilli(), HOUR_MS);
        for (long hour = firstHour; hour <= lastHour && out.size() < limit; hour++) {
            for (Order o : hour(seller, hour)) {
                if (o.updatedAt().isBefore(from) || !o.updatedAt().isBefore(to)) {
                    continue;
                }
                if (after != null && !after.isBefore(o)) {
                    continue;
                }
                out.add(o);
                if (out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** The order with this id, if the seller has one. */
    public Optional<Order> find(String seller, String orderId) {
        String[] parts = orderId.split("-");
        if (parts.length != 3 || !parts[0].equals(sellerTag(seller))) {
            return Optional.empty();
        }
        try {
            long hour = Long.parseLong(parts[1]);
            return hour(seller, hour).stream().filter(o -> o.orderId().equals(orderId)).findFirst();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The orders of one seller in one epoch hour, sorted. */
    List<Order> hour(String seller, long hour) {
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(fnv64(market + "/" + seller)) ^ mix(hour)));
        int count = ordersPerHour == 0 ? 0 : random.nextInt(2 * ordersPerHour + 1);
        String tag = sellerTag(seller);
        List<Order> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long updatedAt = hour * HOUR_MS + random.nextLong(HOUR_MS);
            long orderedAt = updatedAt - random.nextLong(3 * 24 * HOUR_MS);
            String status = STATUSES[random.nextInt(STATUSES.length)];
            long price = 1_000L + 500L * random.nextInt(200);
            int items = 1 + random.nextInt(5);
            orders.add(new Order(tag + "-" + hour + "-" + String.format("%03d", i), seller, status,
                    Instant.ofEpochMilli(orderedAt), Instant.ofEpochMilli(updatedAt), price, items));
        }
        orders.sort(ORDERING);
        return orders;
    }

    private static String sellerTag(String seller) {
        return String.format("%04x", fnv64(seller) & 0xffff);
    }

    private static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The position after one order: an opaque cursor for clients. */
    public record CursorKey(long updatedAtMillis, String orderId) {

        public static CursorKey after(Order o) {
            return new CursorKey(o.updatedAt().toEpochMilli(), o.orderId());
        }

        /** Whether this key sorts before {@code o}. */
        boolean isBefore(Order o) {
            long t = o.updatedAt().toEpochMilli();
            return updatedAtMillis < t || (updatedAtMillis == t && orderId.compareTo(o.orderId()) < 0);
        }

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("v1:" + updatedAtMillis + ":" + orderId).getBytes(StandardCharsets.UTF_8));
        }

        /** The key of a cursor, or empty when it is not one this market issued. */
        public static Optional<CursorKey> decode(String cursor) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                String[] parts = s.split(":", 3);
                if (parts.length != 3 || !parts[0].equals("v1") || parts[2].isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new CursorKey(Long.parseLong(parts[1]), parts[2]));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }
}
