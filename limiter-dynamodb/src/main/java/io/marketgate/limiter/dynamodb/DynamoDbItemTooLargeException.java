package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.LimiterException;
import java.util.Collection;

/**
 * A write would make an item larger than the store allows (DynamoDB's limit is 400 KB per item): the budgets of one
 * partition (a market's shared budgets, or one seller's, mall's or vendor's instances) admit more calls per window
 * than their windows' entries fit in one item. Lower those budgets' limits or overrides, or keep them in the Valkey
 * store. It carries the item's key and the budgets the write changed.
 */
public final class DynamoDbItemTooLargeException extends LimiterException {

    private final String item;

    DynamoDbItemTooLargeException(String item, int bytes, int maxBytes, Collection<String> budgets) {
        super("item " + item + " would be " + bytes + " bytes with the windows of " + budgets + ", above the store's "
                + maxBytes + " (DynamoDB allows 400 KB per item): the budgets of one item must admit fewer calls per "
                + "window (about 4 bytes each)", null);
        this.item = item;
    }

    /** The key of the item that would have been too large. */
    public String item() {
        return item;
    }
}
