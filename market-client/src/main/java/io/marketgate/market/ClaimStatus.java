package io.marketgate.market;

/**
 * The common status of a claim (a cancel, return or exchange request; its kind is the field {@code claimType}:
 * {@code CANCEL}, {@code RETURN}, {@code EXCHANGE}). Confirming or rejecting a claim is an action
 * ({@link MarketAction.ConfirmClaim}, {@link MarketAction.RejectClaim}).
 */
public enum ClaimStatus implements RecordStatus {
    /** Asked for by the buyer, waiting for the seller (Coupang {@code RU}, Naver {@code *_REQUEST}, Cafe24 {@code C00}/{@code R00}/{@code E00}). */
    REQUESTED(0, false),
    /** Accepted and under way: goods being collected, a refund or a new shipment pending. */
    IN_PROGRESS(1, false),
    /** Done: cancelled, returned or exchanged. */
    COMPLETED(2, true),
    /** Refused by the seller. */
    REJECTED(2, true),
    /** Withdrawn by the buyer. */
    WITHDRAWN(2, true);

    private final int progress;
    private final boolean isFinal;

    ClaimStatus(int progress, boolean isFinal) {
        this.progress = progress;
        this.isFinal = isFinal;
    }

    @Override
    public boolean isFinal() {
        return isFinal;
    }

    @Override
    public int progress() {
        return progress;
    }
}
