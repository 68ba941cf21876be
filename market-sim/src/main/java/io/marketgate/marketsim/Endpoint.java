package io.marketgate.marketsim;

/** The endpoints of the reference REST market; budgets may apply to all of them or to a subset. */
public enum Endpoint {
    /** {@code GET /v1/sellers/{sellerId}/orders?from&to&size[&cursor|&page]}. */
    LIST_ORDERS,
    /** {@code POST /v1/sellers/{sellerId}/orders/{orderId}/shipments}: a HIGH action that must reach the market once. */
    CREATE_SHIPMENT,
    /**
     * {@code GET /v1/sellers/{sellerId}/orders/{orderId}}: one order (re-collection), answered as a page of one,
     * {@code {"orders":[order],"nextCursor":null}}, so a client parses it as it parses a list; 404 when there is none.
     */
    GET_ORDER,
    /** A path the market does not serve (404). Such arrivals are recorded but count against no budget. */
    UNKNOWN
}
