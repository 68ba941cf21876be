package io.marketgate.market;

/**
 * The common status of a review. Replying to one is an action ({@link MarketAction.ReplyReview}), where the market
 * has the call (Cafe24's reviews are board articles; no reply call was found for Coupang, Naver or 11st).
 */
public enum ReviewStatus implements RecordStatus {
    /** Written, no reply from the seller yet. */
    UNREPLIED(0, false),
    /** The seller replied. */
    REPLIED(1, true),
    /** Deleted by its writer or the market: it can no longer be replied to. */
    DELETED(2, true);

    private final int progress;
    private final boolean isFinal;

    ReviewStatus(int progress, boolean isFinal) {
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
