package io.marketgate.limiter;

/**
 * How much of a budget a call may fill. Each priority is admitted only while the calls already admitted in
 * the budget's window, plus this call's cost, stay within the priority's ceiling of the effective limit
 * (by default HIGH 100%, MEDIUM 80%, LOW 70%, see {@link Ceilings#DEFAULT}).
 *
 * <ul>
 *   <li>{@link #HIGH}: actions that must succeed (ship an order, answer an inquiry or a review).</li>
 *   <li>{@link #MEDIUM}: scheduled and manual order collection.</li>
 *   <li>{@link #LOW}: single-order re-collection, history backfill, product sync.</li>
 * </ul>
 */
public enum Priority {
    HIGH,
    MEDIUM,
    LOW;

    /** Parses {@code high}, {@code HIGH}, … and names the accepted values when the text is none of them. */
    public static Priority parse(String text) {
        if (text != null) {
            for (Priority p : values()) {
                if (p.name().equalsIgnoreCase(text.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("priority '" + text + "' is not one of HIGH, MEDIUM, LOW");
    }
}
