package io.marketgate.market;

/**
 * The common status of an inquiry (a buyer's question about a product or an order). Answering one is an action
 * ({@link MarketAction.AnswerInquiry}).
 */
public enum InquiryStatus implements RecordStatus {
    /** Not answered yet. */
    UNANSWERED(0, false),
    /** Answered (the answer may still be edited on some markets). */
    ANSWERED(1, true);

    private final int progress;
    private final boolean isFinal;

    InquiryStatus(int progress, boolean isFinal) {
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
