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
     * The list of a kind other than orders ({@code LIST_CLAIMS} … {@code LIST_SETTLEMENTS}); on the reference protocol
     * {@code GET /v1/sellers/{sellerId}/{kind}?from&to&size[&cursor]}.
     */
    LIST_CLAIMS,
    /** See {@link #LIST_CLAIMS}. */
    LIST_INQUIRIES,
    /** See {@link #LIST_CLAIMS}. */
    LIST_REVIEWS,
    /** See {@link #LIST_CLAIMS}. */
    LIST_PRODUCTS,
    /** See {@link #LIST_CLAIMS}. */
    LIST_SETTLEMENTS,
    /**
     * An action other than shipping, one endpoint per action (an arrival's {@code orderId} is the order or record acted
     * on); on the reference protocol {@code POST …/orders/{orderId}/acknowledge}.
     */
    ACKNOWLEDGE_ORDER,
    /** Reference: {@code POST /v1/sellers/{sellerId}/inquiries/{inquiryId}/answer}. */
    ANSWER_INQUIRY,
    /** Reference: {@code POST /v1/sellers/{sellerId}/reviews/{reviewId}/reply}. */
    REPLY_REVIEW,
    /** Reference: {@code PUT /v1/sellers/{sellerId}/products/{productId}/price}. */
    CHANGE_PRICE,
    /** Reference: {@code PUT /v1/sellers/{sellerId}/products/{productId}/stock}. */
    CHANGE_STOCK,
    /** Reference: {@code PUT /v1/sellers/{sellerId}/products/{productId}/sale-status}. */
    CHANGE_SALE_STATUS,
    /** Reference: {@code POST /v1/sellers/{sellerId}/claims/{claimId}/confirm}. */
    CONFIRM_CLAIM,
    /** Reference: {@code POST /v1/sellers/{sellerId}/claims/{claimId}/reject}. */
    REJECT_CLAIM,
    /**
     * Changing a product with one call whatever is changed (Naver's price and stock: {@code PATCH
     * …/origin-products/multi-update}; Cafe24's price and selling status: {@code PUT /admin/products/{product_no}}).
     */
    CHANGE_PRODUCT,
    /**
     * Confirming or rejecting a claim, where a protocol counts its claim decisions as one endpoint (Naver:
     * {@code POST …/{productOrderId}/claim/cancel/approve}, {@code …/claim/return/approve|reject},
     * {@code …/claim/exchange/collect/approve|reject}).
     */
    DECIDE_CLAIM,
    /** A path the market does not serve (404). Such arrivals are recorded but count against no budget. */
    UNKNOWN
}
