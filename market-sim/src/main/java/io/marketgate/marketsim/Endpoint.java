package io.marketgate.marketsim;

/**
 * What a request does, whichever protocol carries it; budgets may apply to all endpoints or to a subset.
 *
 * <table>
 *   <caption>Endpoints per protocol</caption>
 *   <tr><th></th><th>reference</th><th>Coupang</th><th>Naver</th><th>11st</th><th>Cafe24 ({@code /{mallId}/api/v2})</th></tr>
 *   <tr><td>LIST_ORDERS</td><td>{@code GET /v1/sellers/{id}/orders}</td><td>{@code GET …/vendors/{vendorId}/ordersheets}</td>
 *       <td>{@code GET …/product-orders/last-changed-statuses}</td><td>{@code GET /rest/ordservices/{stage}/{from}/{to}}</td>
 *       <td>{@code GET /admin/orders}</td></tr>
 *   <tr><td>GET_ORDER</td><td>{@code GET /v1/sellers/{id}/orders/{orderId}}</td>
 *       <td>{@code GET …/ordersheets/{shipmentBoxId}}</td><td>{@code POST …/product-orders/query}</td>
 *       <td>{@code GET /rest/ordservices/complete/{ordNo}}</td><td>{@code GET /admin/orders/{order_id}}</td></tr>
 *   <tr><td>CREATE_SHIPMENT</td><td>{@code POST …/orders/{orderId}/shipments}</td><td>{@code POST …/orders/invoices}</td>
 *       <td>{@code POST …/product-orders/dispatch}</td><td>{@code GET /rest/ordservices/reqdelivery/…/{dlvNo}}</td>
 *       <td>{@code POST /admin/orders/{order_id}/shipments}</td></tr>
 *   <tr><td>TOKEN</td><td></td><td></td><td>{@code POST /external/v1/oauth2/token}</td><td></td><td>{@code POST /oauth/token}</td></tr>
 *   <tr><td>AUTHORIZE</td><td></td><td></td><td></td><td></td><td>{@code GET /oauth/authorize}</td></tr>
 * </table>
 */
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
    /**
     * A token request: Naver's {@code POST /external/v1/oauth2/token} (it has its own rate-limit bucket per
     * application); Cafe24's {@code POST /{mallId}/api/v2/oauth/token} (a code exchanged, a token refreshed).
     */
    TOKEN,
    /**
     * Cafe24's consent page {@code GET /{mallId}/api/v2/oauth/authorize}: the mall's owner agrees (the simulator agrees
     * for it) and the browser is sent back to the app's redirect URI with a code. Counted by no budget.
     */
    AUTHORIZE,
    /**
     * A list of claims, when the market has a call of its own for them (Naver lists claims through
     * {@link #LIST_ORDERS}, the same API).
     */
    LIST_CLAIMS,
    /** A list of buyers' inquiries (Naver: {@code GET /external/v1/contents/qnas}). */
    LIST_INQUIRIES,
    /** A list of reviews. */
    LIST_REVIEWS,
    /** A list of the seller's products (Naver: {@code POST /external/v1/products/search}). */
    LIST_PRODUCTS,
    /** A list of settlements (Naver: {@code GET /external/v1/pay-settle/settle/daily}). */
    LIST_SETTLEMENTS,
    /** Acknowledging a paid order, 발주확인 (Naver: {@code POST …/product-orders/confirm}). */
    ACKNOWLEDGE_ORDER,
    /** Answering an inquiry (Naver: {@code PUT /external/v1/contents/qnas/{questionId}}). */
    ANSWER_INQUIRY,
    /** Replying to a review. */
    REPLY_REVIEW,
    /** Changing a product's price or stock (Naver: {@code PATCH …/origin-products/multi-update}). */
    CHANGE_PRODUCT,
    /** Changing a product's sale status (Naver: {@code PUT …/origin-products/{originProductNo}/change-status}). */
    CHANGE_SALE_STATUS,
    /**
     * Confirming or rejecting a claim (Naver: {@code POST …/{productOrderId}/claim/cancel/approve},
     * {@code …/claim/return/approve|reject}, {@code …/claim/exchange/collect/approve|reject}, five APIs counted here as one).
     */
    DECIDE_CLAIM,
    /** A path the market does not serve (404). Such arrivals are recorded but count against no budget. */
    UNKNOWN
}
