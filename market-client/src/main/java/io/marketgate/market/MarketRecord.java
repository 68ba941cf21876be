package io.marketgate.market;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One record of a kind other than orders (a claim, an inquiry, a review, a product, a settlement) as a market answered
 * it: its id, the market's own status and its common one, the kind's common fields, and the record's answer as
 * received, for the writer to store. Orders are {@link Order}s.
 *
 * <pre>{@code
 * new MarketRecord(DataKind.INQUIRIES, "Q-17", "NOANSWER", InquiryStatus.UNANSWERED, askedAt,
 *         Map.of("question", "Is it waterproof?", "productId", "P-3"), json);
 * }</pre>
 *
 * @param kind what it is; never {@link DataKind#ORDERS}
 * @param id the market's id of the record, as an action on it names it (a market that needs several numbers to act on a
 *     record joins them into this id, as its adapter documents)
 * @param status the market's own status code
 * @param commonStatus the status mapped onto {@code kind}'s common model
 * @param updatedAt the time the market dates the record by in its lists (asked, written, requested, changed, settled)
 * @param changedAt when the market stated this state: its own change time where it gives one, else the time of its
 *     answer ({@link MarketClient} sets it); {@code null} until known. The store never replaces a later state with an
 *     earlier one.
 * @param fields the kind's common fields ({@link DataKind#fields()}) that the market gives; no other key
 * @param json the record as the market answered it (11st's XML element as text)
 */
public record MarketRecord(DataKind kind, String id, String status, RecordStatus commonStatus, Instant updatedAt,
        Instant changedAt, Map<String, String> fields, String json) {

    public MarketRecord {
        Objects.requireNonNull(kind, "kind");
        if (kind == DataKind.ORDERS) {
            throw new IllegalArgumentException("kind orders is collected as Order, not MarketRecord");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id is missing");
        }
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(commonStatus, "commonStatus");
        if (!kind.statuses().contains(commonStatus)) {
            throw new IllegalArgumentException("commonStatus " + commonStatus + " is not a status of " + kind.configName());
        }
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(json, "json");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!kind.fields().contains(e.getKey())) {
                throw new IllegalArgumentException("fields." + e.getKey() + " is not a field of " + kind.configName()
                        + " (one of " + String.join(", ", kind.fields()) + ")");
            }
            if (e.getValue() != null) {
                copy.put(e.getKey(), e.getValue());
            }
        }
        fields = java.util.Collections.unmodifiableMap(copy);
    }

    /** A record whose answer time is not known yet ({@link MarketClient} sets it from the answer). */
    public MarketRecord(DataKind kind, String id, String status, RecordStatus commonStatus, Instant updatedAt,
            Map<String, String> fields, String json) {
        this(kind, id, status, commonStatus, updatedAt, null, fields, json);
    }

    /** This record stated at {@code at} (kept when it has a time of its own already). */
    public MarketRecord stampedAt(Instant at) {
        return changedAt != null || at == null ? this
                : new MarketRecord(kind, id, status, commonStatus, updatedAt, at, fields, json);
    }
}
