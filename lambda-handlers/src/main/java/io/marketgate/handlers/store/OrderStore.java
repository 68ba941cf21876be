package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.n;
import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Writes collected orders idempotently and never backwards, and keeps the unfinished ones tracked.
 *
 * <ul>
 *   <li><b>The order</b>: pk {@code market#sellerId}, sk {@code orderId}: a redelivered message or a resumed request
 *       overwrites instead of duplicating ({@code writes} counts the writes). The market's status, its common status
 *       ({@link OrderStatus}) and the market's answer as received are kept side by side.</li>
 *   <li><b>Never an older state over a newer one</b>: the write is conditional on the market's own time of the state
 *       ({@link Order#changedAt()}, else the writer's clock): it is refused when the stored state is later, or as late
 *       and further along ({@link OrderStatus#progress()}); a refused write is {@link WriteResult#stale() stale} and
 *       changes nothing.</li>
 *   <li><b>Tracking</b>: an order written with a status that is not final has a tracking item, pk
 *       {@code track#market}, sk {@code sellerId#orderId}, with {@code trackedSince} (its first unfinished write); a
 *       final write deletes it. The tracking schedule re-collects each of them ({@link #tracked}) until it is final or
 *       too old ({@link #giveUp}).</li>
 * </ul>
 */
public final class OrderStore {

    /** The partition prefix of the tracking items; a market name has no {@code #}, so they never mix with orders. */
    public static final String TRACK_PREFIX = "track#";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final Clock clock;
    private final StateTable state;

    private final int writeConcurrency;

    /** A store that writes a list of orders one after another. */
    public OrderStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this(dynamoDb, table, clock, 1);
    }

    /**
     * A store that writes the orders of one {@link #write} call at most {@code writeConcurrency} at once (those of one
     * order one after another, in list order), each on a virtual thread; the client must be thread-safe (the SDK's are).
     *
     * @throws IllegalArgumentException when {@code writeConcurrency} is below 1
     */
    public OrderStore(DynamoDbClient dynamoDb, String table, Clock clock, int writeConcurrency) {
        if (writeConcurrency < 1) {
            throw new IllegalArgumentException("writeConcurrency is " + writeConcurrency + ", must be ≥ 1");
        }
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.clock = clock;
        this.state = new StateTable(dynamoDb, table);
        this.writeConcurrency = writeConcurrency;
    }

    /** The partition key of a seller's orders. */
    public static String partition(String market, String sellerId) {
        return market + "#" + sellerId;
    }

    /** The partition key of a market's tracked orders. */
    public static String trackPartition(String market) {
        return TRACK_PREFIX + market;
    }

    /**
     * What a {@link #write} did.
     *
     * @param written orders written
     * @param stale orders not written because the store holds a later state of them
     * @param finished orders written with a final status
     */
    public record WriteResult(int written, int stale, int finished) {}

    /**
     * Writes each of {@code orders}, collected by {@code requestId}, unless the store holds a later state of it; tracks
     * the unfinished ones and ends the tracking of the final ones.
     */
    public WriteResult write(String market, String sellerId, String requestId, List<Order> orders) {
        return write(market, sellerId, requestId, orders, false, true);
    }

    /**
     * As {@link #write(String, String, String, List)}; {@code recollection}: the orders were read again one by one
     * (tracking, or a re-collection asked for), counted apart in {@code recollections}; a collection of a range that
     * writes a state stored already (the same market status: a redelivery, overlapping ranges) is counted in
     * {@code rangeRepeats}. {@code track}: whether unfinished orders get a tracking item (false for a market whose
     * orders cannot be followed one by one, {@link io.marketgate.market.MarketAdapter#followsOneOrder()}); a final
     * state ends any tracking either way.
     */
    public WriteResult write(String market, String sellerId, String requestId, List<Order> orders, boolean recollection,
            boolean track) {
        String pk = partition(market, sellerId);
        List<Outcome> outcomes = PageWrites.run(orders, Order::orderId, writeConcurrency,
                order -> writeOne(market, sellerId, requestId, pk, order, recollection, track));
        int written = 0;
        int stale = 0;
        int finished = 0;
        for (Outcome outcome : outcomes) {
            switch (outcome) {
                case STALE -> stale++;
                case WRITTEN -> written++;
                case FINISHED -> {
                    written++;
                    finished++;
                }
            }
        }
        return new WriteResult(written, stale, finished);
    }

    /** What the write of one order did. */
    private enum Outcome { WRITTEN, FINISHED, STALE }

    private Outcome writeOne(String market, String sellerId, String requestId, String pk, Order order, boolean recollection,
            boolean track) {
        Instant now = clock.instant();
        Instant changedAt = order.changedAt() != null ? order.changedAt() : now;
        OrderStatus common = order.commonStatus();
        Update update = StateTable.stateUpdate(order.status(), common, order.updatedAt(), changedAt, order.json(),
                        requestId, now)
                .set("market", s(market)).set("sellerId", s(sellerId)).set("orderId", s(order.orderId()))
                .add("recollections", n(recollection ? 1 : 0));
        if (common.isFinal()) {
            update.setIfAbsent("finalAt", t(now));
        }
        // a collection of a range that writes a state stored already (a redelivery, overlapping ranges) is counted,
        // as the work it repeated; a re-collection one by one repeats states on purpose
        if (!state.write(StateTable.key(pk, order.orderId()), update, order.status(), !recollection).written()) {
            return Outcome.STALE;
        }
        Map<String, AttributeValue> trackKey = trackKey(market, sellerId, order.orderId());
        if (common.isFinal()) {
            dynamoDb.deleteItem(b -> b.tableName(table).key(trackKey));
            return Outcome.FINISHED;
        }
        if (track) {
            // a tracking item re-created by a write that lost a race with the final one costs one re-collection,
            // whose final answer deletes it again
            dynamoDb.updateItem(Update.of().set("market", s(market)).set("sellerId", s(sellerId))
                    .set("orderId", s(order.orderId())).set("commonStatus", s(common.name()))
                    .setIfAbsent("trackedSince", t(now)).set("lastWrittenAt", t(now))
                    .applyTo(UpdateItemRequest.builder()).tableName(table).key(trackKey).build());
        }
        return Outcome.WRITTEN;
    }

    private static Map<String, AttributeValue> trackKey(String market, String sellerId, String orderId) {
        return Map.of(TableSchemas.PK, s(trackPartition(market)), TableSchemas.SK, s(sellerId + "#" + orderId));
    }

    /** An order being followed: since its first unfinished write. */
    public record Tracked(String market, String sellerId, String orderId, Instant trackedSince) {}

    /** Every tracked order of {@code market}, a page of the table at a time to {@code page}. */
    public void tracked(String market, Consumer<List<Tracked>> page) {
        state.query(trackPartition(market), null, items -> {
            page.accept(items.stream().map(item -> new Tracked(market, Attr.str(item, "sellerId").orElseThrow(),
                    Attr.str(item, "orderId").orElseThrow(), Attr.instant(item, "trackedSince").orElseThrow())).toList());
            return true;
        });
    }

    /**
     * Stops following {@code tracked}, too old to be followed further: its tracking item goes and the order is marked
     * {@code trackingGaveUpAt} with the reason (it stays stored, with its last state).
     */
    public void giveUp(Tracked tracked, String reason) {
        Instant now = clock.instant();
        try {
            dynamoDb.updateItem(Update.of().set("trackingGaveUpAt", t(now)).set("trackingGaveUpReason", s(reason))
                    .when("attribute_exists(#orderId)", Map.of(), "orderId")
                    .applyTo(UpdateItemRequest.builder()).tableName(table)
                    .key(Map.of(TableSchemas.PK, s(partition(tracked.market(), tracked.sellerId())), TableSchemas.SK,
                            s(tracked.orderId()))).build());
        } catch (ConditionalCheckFailedException e) {
            // the order itself is gone (never written, or removed): only the tracking item is left to remove
        }
        dynamoDb.deleteItem(b -> b.tableName(table).key(trackKey(tracked.market(), tracked.sellerId(), tracked.orderId())));
    }

    /**
     * One stored order.
     *
     * @param trackingGaveUpAt when tracking stopped following it before it was final (too old), if it did
     * @param recollections the writes of it by one-by-one re-collections (tracking, or asked for)
     */
    public record StoredOrder(String market, String sellerId, String orderId, String status, OrderStatus commonStatus,
            Instant updatedAt, Instant changedAt, Instant writtenAt, Optional<Instant> finalAt,
            Optional<Instant> trackingGaveUpAt, long recollections, String json) {

        /** As a market {@link Order}. */
        public Order order() {
            return new Order(orderId, status, commonStatus, updatedAt, changedAt, json);
        }
    }

    /** The stored order, if any. */
    public Optional<StoredOrder> find(String market, String sellerId, String orderId) {
        return state.find(StateTable.key(partition(market, sellerId), orderId)).map(OrderStore::stored);
    }

    private static StoredOrder stored(Map<String, AttributeValue> item) {
        Instant updatedAt = Attr.instant(item, "updatedAt").orElseThrow();
        Instant writtenAt = Attr.instant(item, "writtenAt").orElse(updatedAt);
        return new StoredOrder(Attr.str(item, "market").orElse(""), Attr.str(item, "sellerId").orElse(""),
                Attr.str(item, "orderId").orElseThrow(), Attr.str(item, "status").orElse(""),
                // an order written before the common model has none: shown as paid, and followed once re-collected
                Attr.str(item, "commonStatus").map(OrderStatus::valueOf).orElse(OrderStatus.PAID), updatedAt,
                Attr.instant(item, "changedAt").orElse(writtenAt), writtenAt, Attr.instant(item, "finalAt"),
                Attr.instant(item, "trackingGaveUpAt"), Attr.num(item, "recollections"), Attr.str(item, "json").orElse("{}"));
    }

    /** Every stored order of a seller, in order id order, one page of the table at a time to {@code page}. */
    public void forEachPage(String market, String sellerId, Consumer<List<Order>> page) {
        forEachStoredPage(market, sellerId, null, items -> {
            page.accept(items.stream().map(StoredOrder::order).toList());
            return true;
        });
    }

    private void forEachStoredPage(String market, String sellerId, String afterOrderId, Predicate<List<StoredOrder>> page) {
        state.query(partition(market, sellerId), afterOrderId, items -> page.test(items.stream().map(OrderStore::stored).toList()));
    }

    /** Which stored orders a {@link #page} lists: every one by default. */
    public record Filter(Optional<OrderStatus> status, Optional<Instant> from, Optional<Instant> to) {
        public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Optional.empty());

        boolean test(StoredOrder o) {
            return StateTable.accepts(status, from, to, o.commonStatus(), o.updatedAt());
        }
    }

    /** A page of stored orders and the cursor of the next one, if there is more. */
    public record Page(List<StoredOrder> orders, Optional<String> next) {}

    /**
     * Up to {@code limit} of the seller's stored orders that {@code filter} accepts, in order id order, after
     * {@code cursor} (from a previous page's {@link Page#next}; empty: from the start).
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    public Page page(String market, String sellerId, Filter filter, Optional<String> cursor, int limit) {
        StateTable.Slice<StoredOrder> slice = state.page(partition(market, sellerId), OrderStore::stored, filter::test,
                StoredOrder::orderId, cursor, limit);
        return new Page(slice.items(), slice.next());
    }

    /** The counts a report reads: stored orders per common status of one seller. */
    public Map<OrderStatus, Integer> countByStatus(String market, String sellerId) {
        Map<OrderStatus, Integer> counts = new HashMap<>();
        forEachStoredPage(market, sellerId, null, items -> {
            items.forEach(o -> counts.merge(o.commonStatus(), 1, Integer::sum));
            return true;
        });
        return counts;
    }
}
