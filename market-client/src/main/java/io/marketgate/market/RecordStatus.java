package io.marketgate.market;

/**
 * A common status of one {@link DataKind}: one of {@link OrderStatus}, {@link ClaimStatus}, {@link InquiryStatus},
 * {@link ReviewStatus}, {@link ProductStatus}, {@link SettlementStatus}. Each market's adapter maps its own codes onto
 * them; the market's own status is kept beside.
 */
public sealed interface RecordStatus permits OrderStatus, ClaimStatus, InquiryStatus, ReviewStatus, ProductStatus, SettlementStatus {

    /** The status as the API and the store name it ({@code ANSWERED}). */
    String name();

    /** Whether nothing more happens to a record in this status. */
    boolean isFinal();

    /**
     * How far along a record in this status is; the store decides between two answers of the same time by it, so a
     * market's statuses never go back on it.
     */
    int progress();
}
