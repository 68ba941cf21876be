package io.marketgate.market;

/**
 * The common sale status of a product. Changing it is an action ({@link MarketAction.ChangeSaleStatus}); so are its
 * price and stock ({@link MarketAction.ChangePrice}, {@link MarketAction.ChangeStock}). A product is never final: it
 * changes as long as it exists.
 */
public enum ProductStatus implements RecordStatus {
    /** On sale. */
    ON_SALE(0, false),
    /** Listed, out of stock. */
    SOLD_OUT(0, false),
    /** Taken off sale by the seller (it can be put on sale again). */
    SUSPENDED(0, false),
    /** Ended or deleted: it cannot be sold again. */
    ENDED(1, true);

    private final int progress;
    private final boolean isFinal;

    ProductStatus(int progress, boolean isFinal) {
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
