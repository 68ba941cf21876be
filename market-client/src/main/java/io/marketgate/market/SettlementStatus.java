package io.marketgate.market;

/**
 * The common status of a settlement (an amount the market pays the seller for sales).
 */
public enum SettlementStatus implements RecordStatus {
    /** Computed, not paid out yet. */
    SCHEDULED(0, false),
    /** Paid out to the seller. */
    SETTLED(1, true);

    private final int progress;
    private final boolean isFinal;

    SettlementStatus(int progress, boolean isFinal) {
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
