package io.marketgate.handlers.store;

import static io.marketgate.handlers.store.Attr.s;
import static io.marketgate.handlers.store.Attr.t;

import io.marketgate.market.DataKind;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.RecordStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes collected records of every kind but orders (claims, inquiries, reviews, products, settlements,
 * {@link MarketRecord}) idempotently and never backwards, in the table of the orders ({@link OrderStore}).
 *
 * <ul>
 *   <li><b>The record</b>: pk {@code market#sellerId#kind} ({@link DataKind#configName()}: {@code shop#S1#claims}),
 *       sk the record's id. A market name and a seller id have no {@code #}, so a seller's records of each kind, its
 *       orders ({@code market#sellerId}) and the tracking items ({@code track#market}) never share a partition. The
 *       market's status, the common status ({@link MarketRecord#commonStatus()}), the kind's common fields (a map,
 *       {@code fields}) and the market's answer as received ({@code json}) are kept side by side.</li>
 *   <li><b>Idempotent and never backwards</b>, as orders are ({@link StateTable}): a redelivery overwrites and counts
 *       {@code writes} (and {@code rangeRepeats} when the market status is the one stored); the write is conditional on
 *       {@link MarketRecord#changedAt()} (else the writer's clock), then {@link RecordStatus#progress()}, and a stale
 *       one changes nothing and is counted ({@link WriteResult#stale()}).</li>
 * </ul>
 */
public final class RecordStore {

    private final Clock clock;
    private final StateTable state;

    private final int writeConcurrency;

    /** A store that writes a list of records one after another. */
    public RecordStore(DynamoDbClient dynamoDb, String table, Clock clock) {
        this(dynamoDb, table, clock, 1);
    }

    /**
     * A store that writes the records of one {@link #write} call at most {@code writeConcurrency} at once (those of one
     * id one after another, in list order), each on a virtual thread.
     *
     * @throws IllegalArgumentException when {@code writeConcurrency} is below 1
     */
    public RecordStore(DynamoDbClient dynamoDb, String table, Clock clock, int writeConcurrency) {
        if (writeConcurrency < 1) {
            throw new IllegalArgumentException("writeConcurrency is " + writeConcurrency + ", must be ≥ 1");
        }
        this.clock = clock;
        this.state = new StateTable(dynamoDb, table);
        this.writeConcurrency = writeConcurrency;
    }

    /** The partition key of a seller's records of {@code kind}. */
    public static String partition(String market, String sellerId, DataKind kind) {
        if (kind == DataKind.ORDERS) {
            throw new IllegalArgumentException("kind orders is stored by OrderStore (partition market#sellerId)");
        }
        return market + "#" + sellerId + "#" + kind.configName();
    }

    /**
     * What a {@link #write} did.
     *
     * @param written records written (new states and repeated ones)
     * @param stale records not written because the store holds a later state of them
     * @param repeated of {@code written}, those whose market status was stored already (a redelivery, overlapping ranges)
     */
    public record WriteResult(int written, int stale, int repeated) {}

    /**
     * Writes each of {@code records}, collected by {@code requestId} for {@code sellerId} of {@code market}, unless the
     * store holds a later state of it.
     *
     * @throws IllegalArgumentException when a record is of another kind than {@code kind}
     */
    public WriteResult write(String market, String sellerId, String requestId, DataKind kind, List<MarketRecord> records) {
        String pk = partition(market, sellerId, kind);
        for (MarketRecord record : records) {
            if (record.kind() != kind) {
                throw new IllegalArgumentException("record " + record.id() + " is of kind " + record.kind().configName()
                        + ", not " + kind.configName());
            }
        }
        int written = 0;
        int stale = 0;
        int repeated = 0;
        for (StateTable.Written w : PageWrites.run(records, MarketRecord::id, writeConcurrency,
                record -> writeOne(market, sellerId, requestId, kind, pk, record))) {
            switch (w) {
                case STALE -> stale++;
                case REPEATED -> {
                    written++;
                    repeated++;
                }
                case NEW -> written++;
            }
        }
        return new WriteResult(written, stale, repeated);
    }

    private StateTable.Written writeOne(String market, String sellerId, String requestId, DataKind kind, String pk,
            MarketRecord record) {
        Instant now = clock.instant();
        Instant changedAt = record.changedAt() != null ? record.changedAt() : now;
        Map<String, AttributeValue> fields = new TreeMap<>();
        record.fields().forEach((k, v) -> fields.put(k, s(v)));
        Update update = StateTable.stateUpdate(record.status(), record.commonStatus(), record.updatedAt(), changedAt,
                        record.json(), requestId, now)
                .set("market", s(market)).set("sellerId", s(sellerId)).set("kind", s(kind.configName()))
                .set("recordId", s(record.id())).set("fields", AttributeValue.fromM(fields));
        if (record.commonStatus().isFinal()) {
            update.setIfAbsent("finalAt", t(now));
        }
        return state.write(StateTable.key(pk, record.id()), update, record.status(), true);
    }

    /**
     * One stored record: the common model, the market's status and answer beside it.
     *
     * @param writes how many times it was written (a redelivery writes again; a stale write is not counted)
     */
    public record StoredRecord(String market, String sellerId, DataKind kind, String id, String status,
            RecordStatus commonStatus, Map<String, String> fields, Instant updatedAt, Instant changedAt, Instant writtenAt,
            Optional<Instant> finalAt, long writes, String json) {

        /** As a market {@link MarketRecord}. */
        public MarketRecord record() {
            return new MarketRecord(kind, id, status, commonStatus, updatedAt, changedAt, fields, json);
        }
    }

    private static StoredRecord stored(Map<String, AttributeValue> item) {
        DataKind kind = DataKind.of(Attr.str(item, "kind").orElseThrow());
        Instant updatedAt = Attr.instant(item, "updatedAt").orElseThrow();
        Instant writtenAt = Attr.instant(item, "writtenAt").orElse(updatedAt);
        Map<String, String> fields = new TreeMap<>();
        AttributeValue map = item.get("fields");
        if (map != null && map.hasM()) {
            map.m().forEach((k, v) -> fields.put(k, v.s()));
        }
        return new StoredRecord(Attr.str(item, "market").orElse(""), Attr.str(item, "sellerId").orElse(""), kind,
                Attr.str(item, "recordId").orElseThrow(), Attr.str(item, "status").orElse(""),
                kind.status(Attr.str(item, "commonStatus").orElseThrow()), Map.copyOf(fields), updatedAt,
                Attr.instant(item, "changedAt").orElse(writtenAt), writtenAt, Attr.instant(item, "finalAt"),
                Attr.num(item, "writes"), Attr.str(item, "json").orElse("{}"));
    }

    /** The stored record, if any. */
    public Optional<StoredRecord> find(String market, String sellerId, DataKind kind, String id) {
        return state.find(StateTable.key(partition(market, sellerId, kind), id)).map(RecordStore::stored);
    }

    /** Which stored records a {@link #page} lists: by common status and by {@code updatedAt} in {@code [from, to)}. */
    public record Filter(Optional<RecordStatus> status, Optional<Instant> from, Optional<Instant> to) {
        public static final Filter ALL = new Filter(Optional.empty(), Optional.empty(), Optional.empty());

        boolean test(StoredRecord r) {
            return StateTable.accepts(status, from, to, r.commonStatus(), r.updatedAt());
        }
    }

    /** A page of stored records and the cursor of the next one, if there is more. */
    public record Page(List<StoredRecord> records, Optional<String> next) {}

    /**
     * Up to {@code limit} of the seller's stored records of {@code kind} that {@code filter} accepts, in id order, after
     * {@code cursor} (from a previous page's {@link Page#next}; empty: from the start).
     *
     * @throws IllegalArgumentException when the cursor is not one this store issued
     */
    public Page page(String market, String sellerId, DataKind kind, Filter filter, Optional<String> cursor, int limit) {
        StateTable.Slice<StoredRecord> slice = state.page(partition(market, sellerId, kind), RecordStore::stored,
                filter::test, StoredRecord::id, cursor, limit);
        return new Page(slice.items(), slice.next());
    }

    /** Every stored record of a seller of {@code kind}, in id order, one page of the table at a time to {@code page}. */
    public void forEachPage(String market, String sellerId, DataKind kind, Consumer<List<StoredRecord>> page) {
        state.query(partition(market, sellerId, kind), null, items -> {
            page.accept(items.stream().map(RecordStore::stored).toList());
            return true;
        });
    }

    /** The counts a report reads: a seller's stored records of {@code kind} per common status. */
    public Map<String, Integer> countByStatus(String market, String sellerId, DataKind kind) {
        Map<String, Integer> counts = new TreeMap<>();
        forEachPage(market, sellerId, kind, items -> items.forEach(r -> counts.merge(r.commonStatus().name(), 1, Integer::sum)));
        return counts;
    }
}
