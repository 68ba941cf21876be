package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.Protocol;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Deterministic orders: each (seed, market, seller, hour) draws its own orders from a random generator seeded by
 * their hash, so any range, page or chunking of a range sees the same orders with the same ids. An order id is
 * {@code {sellerTag}-{epochHour}-{index}}; its hour and index let the market find it again without state.
 *
 * <p>The real protocols number their orders as the markets do, in 15 digits {@code P TTTTT HHHHHH III}: a protocol
 * digit P (Coupang's orderId 1, Naver's productOrderId 2, 11st's ordNo 4), the seller's tag in five digits, the epoch
 * hour in six and the index in three (every id of a protocol has the same length, so string order is numeric order).
 * Their statuses are the market's own, drawn from a fixed mix ({@link #COUPANG_MIX}, {@link #NAVER_MIX},
 * {@link #ELEVENST_MIX}) in which most orders can still be shipped, and an order is paid a few minutes after it was
 * placed. Cafe24's ids are {@code yyyyMMdd-00HHIII} (the KST date and hour of payment, the index in three digits) and
 * its statuses the items' {@link #CAFE24_MIX}.
 */
public final class OrderBook {

    static final long HOUR_MS = 3_600_000L;
    static final java.time.ZoneOffset KST = java.time.ZoneOffset.ofHours(9);
    /** The part of a Cafe24 order id before its index: the payment's date and hour in KST. */
    private static final java.time.format.DateTimeFormatter CAFE24_ID_HOUR =
            java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'-00'HH");
    private static final String[] STATUSES = {"ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY", "CANCELLED"};
    public static final Comparator<Order> ORDERING =
            Comparator.comparing(Order::updatedAt).thenComparing(Order::orderId);

    /** Coupang's statuses, per 100 orders: ACCEPT 15, INSTRUCT 60 (invoices can be uploaded), DEPARTURE 10, DELIVERING 10, FINAL_DELIVERY 5. */
    static final List<Share> COUPANG_MIX = List.of(new Share("ACCEPT", 15), new Share("INSTRUCT", 60),
            new Share("DEPARTURE", 10), new Share("DELIVERING", 10), new Share("FINAL_DELIVERY", 5));
    /** Naver's productOrderStatus, per 100 orders: PAYED 70 (can be dispatched), DELIVERING 15, PURCHASE_DECIDED 10, CANCELED 5. */
    static final List<Share> NAVER_MIX = List.of(new Share("PAYED", 70), new Share("DELIVERING", 15),
            new Share("PURCHASE_DECIDED", 10), new Share("CANCELED", 5));
    /**
     * Cafe24's order_status of every item of an order, per 100 orders: N20 (배송준비중) 60 and N10 (상품준비중) 10 can be
     * shipped, N30 (배송중) 10, N40 (배송완료) 10, N50 (구매확정) 5, C40 (취소완료) 5.
     */
    static final List<Share> CAFE24_MIX = List.of(new Share("N20", 60), new Share("N10", 10), new Share("N30", 10),
            new Share("N40", 10), new Share("N50", 5), new Share("C40", 5));

    /**
     * 11st's ordPrdStat, per 100 order lines: 202 paid 20 (to acknowledge), 301 acknowledged 55 (can be shipped), 401
     * shipping 15, 501 delivered 10.
     */
    static final List<Share> ELEVENST_MIX = List.of(new Share("202", 20), new Share("301", 55), new Share("401", 15),
            new Share("501", 10));

    /** One status's share of the generated orders, in percent. */
    record Share(String status, int percent) {}

    private final String market;
    private final long seed;
    private final int ordersPerHour;
    private final Protocol protocol;
    private final io.marketgate.marketsim.OrderLifecycle lifecycle;
    private final java.util.function.LongSupplier nowMillis;

    public OrderBook(String market, long seed, int ordersPerHour) {
        this(market, seed, ordersPerHour, Protocol.REFERENCE);
    }

    public OrderBook(String market, long seed, int ordersPerHour, Protocol protocol) {
        this(market, seed, ordersPerHour, protocol, io.marketgate.marketsim.OrderLifecycle.NONE, () -> 0L);
    }

    /** With orders that move through {@code lifecycle}'s stages over {@code nowMillis}, the market's clock. */
    public OrderBook(String market, long seed, int ordersPerHour, Protocol protocol,
            io.marketgate.marketsim.OrderLifecycle lifecycle, java.util.function.LongSupplier nowMillis) {
        this.market = market;
        this.seed = seed;
        this.ordersPerHour = ordersPerHour;
        this.protocol = protocol;
        this.lifecycle = lifecycle;
        this.nowMillis = nowMillis;
    }

    /** The status an order generated with {@code drawn} has now: the drawn one, or its lifecycle's at the market's time. */
    private String statusNow(String drawn, String orderId, long paidAt) {
        return lifecycle.moves() ? lifecycle.statusAt(protocol, seed, orderId, paidAt, nowMillis.getAsLong()) : drawn;
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
        return page(seller, from, to, after, limit, o -> true);
    }

    /** As {@link #page(String, Instant, Instant, CursorKey, int)}, counting only the orders {@code filter} accepts. */
    public List<Order> page(String seller, Instant from, Instant to, CursorKey after, int limit, Predicate<Order> filter) {
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
                if (after != null && !after.isBefore(o) || !filter.test(o) || notYetPaid(o)) {
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

    /**
     * Whether an order of a moving market is still in the future: such a market lists and finds an order only from its
     * payment on, as a real market does (the fixed mix serves the whole hour, whose later orders no test reads early).
     */
    private boolean notYetPaid(Order o) {
        return lifecycle.moves() && o.updatedAt().toEpochMilli() > nowMillis.getAsLong();
    }

    /** The order with this id, if the seller has one. */
    public Optional<Order> find(String seller, String orderId) {
        return findAny(seller, orderId).filter(o -> !notYetPaid(o));
    }

    private Optional<Order> findAny(String seller, String orderId) {
        if (protocol == Protocol.CAFE24) {
            return findCafe24(seller, orderId);
        }
        if (protocol != Protocol.REFERENCE) {
            return findNumbered(seller, orderId);
        }
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

    /**
     * A Cafe24 order id, {@code yyyyMMdd-00HHIII}: the date and hour (KST) of its payment and its index within that
     * hour, which lets the market find it again without state.
     */
    private Optional<Order> findCafe24(String seller, String orderId) {
        if (orderId == null || !orderId.matches("\\d{8}-00\\d{5}")) {
            return Optional.empty();
        }
        try {
            java.time.LocalDateTime kst = java.time.LocalDate.parse(orderId.substring(0, 8),
                    java.time.format.DateTimeFormatter.BASIC_ISO_DATE).atTime(Integer.parseInt(orderId.substring(11, 13)), 0);
            long hour = Math.floorDiv(kst.toInstant(KST).toEpochMilli(), HOUR_MS);
            return hour(seller, hour).stream().filter(o -> o.orderId().equals(orderId)).findFirst();
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Optional<Order> findNumbered(String seller, String orderId) {
        if (orderId == null || orderId.length() != 15 || !orderId.chars().allMatch(Character::isDigit)
                || !orderId.startsWith(idPrefix()) || !orderId.substring(1, 6).equals(numericTag(seller))) {
            return Optional.empty();
        }
        long hour = Long.parseLong(orderId.substring(6, 12));
        return hour(seller, hour).stream().filter(o -> o.orderId().equals(orderId)).findFirst();
    }

    /** The first digit of a protocol's order ids. */
    private String idPrefix() {
        return switch (protocol) {
            case COUPANG -> "1";
            case ELEVENST -> "4";
            default -> "2";
        };
    }

    /** The orders of one seller in one epoch hour, sorted. */
    List<Order> hour(String seller, long hour) {
        SplittableRandom random = new SplittableRandom(mix(seed ^ mix(fnv64(market + "/" + seller)) ^ mix(hour)));
        int count = ordersPerHour == 0 ? 0 : random.nextInt(2 * ordersPerHour + 1);
        if (protocol != Protocol.REFERENCE) {
            return numberedHour(seller, hour, count, random);
        }
        String tag = sellerTag(seller);
        List<Order> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long updatedAt = hour * HOUR_MS + random.nextLong(HOUR_MS);
            long orderedAt = updatedAt - random.nextLong(3 * 24 * HOUR_MS);
            String id = tag + "-" + hour + "-" + String.format("%03d", i);
            String status = statusNow(STATUSES[random.nextInt(STATUSES.length)], id, updatedAt);
            long price = 1_000L + 500L * random.nextInt(200);
            int items = 1 + random.nextInt(5);
            orders.add(new Order(id, seller, status,
                    Instant.ofEpochMilli(orderedAt), Instant.ofEpochMilli(updatedAt), price, items));
        }
        orders.sort(ORDERING);
        return orders;
    }

    private List<Order> numberedHour(String seller, long hour, int count, SplittableRandom random) {
        List<Share> statusMix = switch (protocol) {
            case COUPANG -> COUPANG_MIX;
            case ELEVENST -> ELEVENST_MIX;
            case CAFE24 -> CAFE24_MIX;
            default -> NAVER_MIX;
        };
        String prefix = protocol == Protocol.CAFE24
                ? Instant.ofEpochMilli(hour * HOUR_MS).atOffset(KST).format(CAFE24_ID_HOUR)
                : idPrefix() + numericTag(seller) + String.format("%06d", hour);
        List<Order> orders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long paidAt = hour * HOUR_MS + random.nextLong(HOUR_MS);
            long orderedAt = paidAt - random.nextLong(10 * 60_000L);
            String id = prefix + String.format("%03d", i);
            String status = statusNow(draw(statusMix, random.nextInt(100)), id, paidAt);
            long price = 1_000L + 500L * random.nextInt(200);
            int items = 1 + random.nextInt(5);
            orders.add(new Order(id, seller, status, Instant.ofEpochMilli(orderedAt),
                    Instant.ofEpochMilli(paidAt), price, items));
        }
        orders.sort(ORDERING);
        return orders;
    }

    private static String draw(List<Share> mix, int percentile) {
        int acc = 0;
        for (Share share : mix) {
            acc += share.percent();
            if (percentile < acc) {
                return share.status();
            }
        }
        return mix.get(mix.size() - 1).status();
    }

    /** The seller's tag in five decimal digits, for the numbered ids of the real protocols. */
    private static String numericTag(String seller) {
        return String.format("%05d", fnv64(seller) & 0xffff);
    }

    private static String sellerTag(String seller) {
        return String.format("%04x", fnv64(seller) & 0xffff);
    }

    static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
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
