package io.marketgate.marketsim;

/** What the market did with one arrival. */
public enum Outcome {
    /** Served (200), an action applied included. */
    OK,
    /** A shipment created (201). */
    CREATED,
    /**
     * A shipment of an order that was already shipped (409 or 200 with the first shipment), or another action whose
     * effect was there already (the reference protocol's 409).
     */
    DUPLICATE,
    /** Rejected by a budget (429, or 200 with the market's error code). */
    THROTTLED,
    /** Rejected because the API key is serving a penalty block. */
    PENALIZED,
    /**
     * An action the market refuses for good for its record's sake (the reference protocol's 422: an inquiry answered with
     * another text, a deleted review, a withdrawn claim, an ended product, a cancelled order).
     */
    REFUSED,
    /** Bad parameters or body (400). */
    BAD_REQUEST,
    /** Missing or unknown API key (401). */
    UNAUTHORIZED,
    /** Source address not on the market's IP allow-list (403). */
    FORBIDDEN,
    /** Unknown market, path, seller or order (404). */
    NOT_FOUND,
    /** Wrong method for the path (405). */
    METHOD_NOT_ALLOWED,
    /** An injected fault (5xx). */
    SERVER_ERROR,
    /** An injected fault: a 200 whose body breaks off mid-JSON ({@link MarketFault.Malformed}). */
    MALFORMED;

    /** Whether the market refused the call because of its rate limits. */
    public boolean throttled() {
        return this == THROTTLED || this == PENALIZED;
    }
}
