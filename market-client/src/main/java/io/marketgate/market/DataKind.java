package io.marketgate.market;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a collection request collects. A market offers a kind when its protocol has the kind's list call
 * ({@code io.marketgate.config.AdapterType#kinds()}) and its environment section maps that call
 * ({@link #listOperation()} in {@code adapter.calls}); a request for a kind the market does not offer is refused where it
 * is asked for (the API's 422, the configuration's error naming the schedule), before anything is queued or drawn.
 *
 * <p>Orders are collected as {@link Order}s ({@link MarketData.OrderPage}); every other kind as {@link MarketRecord}s
 * ({@link MarketData.RecordPage}) with its common model: the kind's {@link #statuses() statuses} and
 * {@link #fields() fields}.
 */
public enum DataKind {
    /** Orders, per the market's unit of shipping (Coupang's shipment box, Naver's product order, 11st's order line). */
    ORDERS(List.of(OrderStatus.values()), List.of()),
    /** Cancel, return and exchange requests ({@link ClaimStatus}). */
    CLAIMS(List.of(ClaimStatus.values()), List.of("claimType", "orderId", "reason", "requestedAt")),
    /** Buyers' questions about products or orders ({@link InquiryStatus}). */
    INQUIRIES(List.of(InquiryStatus.values()), List.of("title", "question", "answer", "productId", "orderId", "askedAt")),
    /** Buyers' reviews ({@link ReviewStatus}). */
    REVIEWS(List.of(ReviewStatus.values()), List.of("rating", "content", "reply", "productId", "writtenAt")),
    /** The seller's products: price, stock and sale status ({@link ProductStatus}). */
    PRODUCTS(List.of(ProductStatus.values()), List.of("name", "price", "stock")),
    /** Settlements of the seller's sales ({@link SettlementStatus}). */
    SETTLEMENTS(List.of(SettlementStatus.values()), List.of("amount", "settleDate", "orderId"));

    private final List<RecordStatus> statuses;
    private final List<String> fields;

    DataKind(List<? extends RecordStatus> statuses, List<String> fields) {
        this.statuses = List.copyOf(statuses);
        this.fields = fields;
    }

    /** The kind as files, URLs and messages name it: {@code orders}, {@code claims}, … */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One record of this kind as messages name it: {@code order}, {@code claim}, {@code inquiry}, … */
    public String singular() {
        return switch (this) {
            case ORDERS -> "order";
            case CLAIMS -> "claim";
            case INQUIRIES -> "inquiry";
            case REVIEWS -> "review";
            case PRODUCTS -> "product";
            case SETTLEMENTS -> "settlement";
        };
    }

    /** The kind of a file's or a URL's name ({@code inquiries}), case-insensitive. */
    public static DataKind of(String name) {
        if (name != null) {
            for (DataKind kind : values()) {
                if (kind.configName().equalsIgnoreCase(name.strip())) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("kind '" + name + "' must be one of " + names());
    }

    /** Every kind's name, comma-separated, for messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(DataKind::configName).toList());
    }

    /**
     * The operation of an environment's {@code adapter.calls} that lists this kind: {@code listOrders},
     * {@code listClaims}, {@code listInquiries}, {@code listReviews}, {@code listProducts}, {@code listSettlements}.
     */
    public String listOperation() {
        String n = configName();
        return "list" + Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    /** The common statuses of this kind, in the order a record passes them. */
    public List<RecordStatus> statuses() {
        return statuses;
    }

    /** The common status of this kind named {@code name} (case-insensitive). */
    public RecordStatus status(String name) {
        for (RecordStatus s : statuses) {
            if (s.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("status '" + name + "' is not a status of " + configName() + ": one of "
                + String.join(", ", statuses.stream().map(RecordStatus::name).toList()));
    }

    /**
     * The common fields of this kind's model, beside its id, statuses and times (a {@link MarketRecord}'s
     * {@code fields} uses no other key); empty for orders, whose model is {@link Order}.
     */
    public List<String> fields() {
        return fields;
    }
}
