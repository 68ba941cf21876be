package io.marketgate.market;

import java.util.Collection;
import java.util.Comparator;

/**
 * The common status of an order, onto which each market's adapter maps its own documented codes (the market's status
 * is kept beside it, as {@link Order#status()}). An order whose status {@link #isFinal() is final} is not followed any
 * more: delivered, confirmed, cancelled, returned or exchanged.
 *
 * <p>{@link #progress()} orders the statuses as an order passes them; the store uses it to decide between two answers
 * the market gave at the same time ({@link Order#changedAt()} equal), and a market's statuses never go back on it.
 *
 * <pre>{@code
 * OrderStatus s = CoupangAdapter.commonStatus("INSTRUCT");   // PREPARING
 * s.isFinal();                                               // false: followed until it is
 * }</pre>
 */
public enum OrderStatus implements RecordStatus {
    /** Ordered, not paid yet (Naver {@code PAYMENT_WAITING}, Cafe24 {@code N00}). */
    PAYMENT_PENDING(0, false),
    /** Paid, not acknowledged by the seller yet (Coupang {@code ACCEPT}, Naver {@code PAYED}, 11st {@code 202}). */
    PAID(1, false),
    /** Acknowledged, being prepared for shipping (Coupang {@code INSTRUCT}, 11st {@code 301}, Cafe24 {@code N10}–{@code N22}). */
    PREPARING(2, false),
    /** Handed to the carrier (Coupang {@code DEPARTURE}, {@code DELIVERING}; Naver {@code DELIVERING}; 11st {@code 401}; Cafe24 {@code N30}). */
    SHIPPING(3, false),
    /** Delivered to the buyer: final. */
    DELIVERED(4, true),
    /** The buyer confirmed the purchase: final. */
    CONFIRMED(5, true),
    /** A cancellation is requested or in progress. */
    CANCELLING(6, false),
    /** A return is requested or in progress. */
    RETURNING(6, false),
    /** An exchange is requested or in progress. */
    EXCHANGING(6, false),
    /** Cancelled: final. */
    CANCELLED(7, true),
    /** Returned: final. */
    RETURNED(7, true),
    /** Exchanged: final. */
    EXCHANGED(7, true);

    private final int progress;
    private final boolean isFinal;

    OrderStatus(int progress, boolean isFinal) {
        this.progress = progress;
        this.isFinal = isFinal;
    }

    /** Whether the order is done: delivered, confirmed, cancelled, returned or exchanged. */
    @Override
    public boolean isFinal() {
        return isFinal;
    }

    /** How far along an order with this status is: 0 (unpaid) to 7 (cancelled, returned, exchanged). */
    @Override
    public int progress() {
        return progress;
    }

    /**
     * The status of an order of several lines (Cafe24's items): the least advanced line that is not final while there
     * is one (the order is followed until every line is done), else the least advanced final line (delivered before
     * cancelled, so an order of which one item was cancelled and the other delivered counts as delivered).
     *
     * @throws IllegalArgumentException when {@code lines} is empty
     */
    public static OrderStatus ofLines(Collection<OrderStatus> lines) {
        Comparator<OrderStatus> byProgress = Comparator.comparingInt(OrderStatus::progress);
        return lines.stream().filter(s -> !s.isFinal()).min(byProgress)
                .or(() -> lines.stream().min(byProgress))
                .orElseThrow(() -> new IllegalArgumentException("an order has at least one line"));
    }
}
