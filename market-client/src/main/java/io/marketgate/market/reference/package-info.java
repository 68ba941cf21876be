/**
 * The reference REST protocol: markets configured with {@code adapter.type: reference-rest} are called through
 * {@link io.marketgate.market.reference.ReferenceRestAdapter} (built by
 * {@link io.marketgate.market.reference.ReferenceRestAdapterFactory}); the simulated markets speak it too. Every
 * request carries the header {@code X-Api-Key: <key>}. Paths are relative to the adapter's {@code baseUrl}.
 *
 * <h2>List orders</h2>
 * <pre>
 * GET {baseUrl}/v1/sellers/{sellerId}/orders?from={ISO-8601}&amp;to={ISO-8601}&amp;size={n}[&amp;cursor={c}]
 *
 * 200 {"orders": [{"orderId": "O-1", "status": "PAID", "updatedAt": "2026-11-01T09:30:00Z", ...}, ...],
 *      "nextCursor": "c-2"}            # null (or absent) on the last page of the range
 * </pre>
 * <ul>
 *   <li>The range is half-open: orders with {@code from ≤ updatedAt < to}. It may be at most the market's
 *       {@code maxRangePerCall} long; the adapter splits longer requests into consecutive windows, so an order is
 *       collected by exactly one window.</li>
 *   <li>{@code size} is the adapter's {@code pageSize} (1..1000). A cursor is opaque: the adapter passes the
 *       previous page's {@code nextCursor} back unchanged (URL-encoded).</li>
 *   <li>Each order needs a text {@code orderId} and {@code status} and an ISO-8601 {@code updatedAt}; other fields
 *       are kept as the order's JSON ({@link io.marketgate.market.Order#json()}).</li>
 * </ul>
 *
 * <h2>List the other kinds: claims, inquiries, reviews, products, settlements</h2>
 * <pre>
 * GET {baseUrl}/v1/sellers/{sellerId}/{kind}?from={ISO-8601}&amp;to={ISO-8601}&amp;size={n}[&amp;cursor={c}]
 *     {kind}: claims | inquiries | reviews | products | settlements
 *
 * 200 {"claims": [{"claimId": "51234500001000", "status": "REQUESTED", "updatedAt": "2026-11-01T09:30:00Z",
 *                  "claimType": "RETURN", "orderId": "O-1", "reason": "too small", "requestedAt": "...", ...}, ...],
 *      "nextCursor": "c-2"}            # the list is named as the kind; null (or absent) on the last page
 * </pre>
 * <ul>
 *   <li>The same range, size and cursor rules as orders: {@code from ≤ updatedAt < to}, where a record's
 *       {@code updatedAt} is its last change (created, or changed by an action: an answered inquiry is listed again in
 *       the window of its answer, and no longer in that of its question); at most {@code maxRangePerCall} per call for
 *       every kind; record lists always page by cursor.</li>
 *   <li>Each record has a text id under {@code claimId}, {@code inquiryId}, {@code reviewId}, {@code productId} or
 *       {@code settlementId} (letters, digits, {@code _.@-}, at most 128: the id an action names), a {@code status}
 *       that is one of the kind's common statuses ({@link io.marketgate.market.ClaimStatus} {@code REQUESTED},
 *       {@code IN_PROGRESS}, {@code COMPLETED}, {@code REJECTED}, {@code WITHDRAWN}; {@link io.marketgate.market.InquiryStatus}
 *       {@code UNANSWERED}, {@code ANSWERED}; {@link io.marketgate.market.ReviewStatus} {@code UNREPLIED}, {@code REPLIED},
 *       {@code DELETED}; {@link io.marketgate.market.ProductStatus} {@code ON_SALE}, {@code SOLD_OUT}, {@code SUSPENDED},
 *       {@code ENDED}; {@link io.marketgate.market.SettlementStatus} {@code SCHEDULED}, {@code SETTLED}), any other
 *       fails the page, and an ISO-8601 {@code updatedAt}.</li>
 *   <li>The kind's common fields under their common names ({@link io.marketgate.market.DataKind#fields()}): claims
 *       {@code claimType} ({@code CANCEL}, {@code RETURN}, {@code EXCHANGE}), {@code orderId}, {@code reason},
 *       {@code requestedAt}; inquiries {@code title}, {@code question}, {@code answer}, {@code productId},
 *       {@code orderId}, {@code askedAt}; reviews {@code rating} (1..5), {@code content}, {@code reply},
 *       {@code productId}, {@code writtenAt}; products {@code name}, {@code price} (won), {@code stock}; settlements
 *       {@code amount} (won), {@code settleDate} ({@code yyyy-MM-dd}), {@code orderId}. A field may be absent or null;
 *       every other field is kept in the record's JSON ({@link io.marketgate.market.MarketRecord#json()}).</li>
 *   <li>A market offers a kind when its {@code adapter.calls} maps the kind's list operation ({@code listClaims},
 *       {@code listInquiries}, {@code listReviews}, {@code listProducts}, {@code listSettlements}) to one of its calls,
 *       whose budgets the list draws from; the adapter refuses any other kind naming it.</li>
 * </ul>
 *
 * <h2>Ship an order (a HIGH action)</h2>
 * <pre>
 * POST {baseUrl}/v1/sellers/{sellerId}/orders/{orderId}/shipments
 * Content-Type: application/json
 * {"carrier": "CJ", "trackingNumber": "123456789"}
 *
 * 201 or 200                           # shipped
 * 409                                  # already shipped: counts as done (ActionDone.alreadyApplied), so a
 *                                      # redelivered or repeated action is idempotent and never retried
 * 404 {"code": "ORDER_NOT_FOUND", ...} # no such order: refused for good (Cause.ACTION_REFUSED)
 * </pre>
 *
 * <h2>The other actions (HIGH): acknowledge, answer, reply, price, stock, sale status, confirm, reject</h2>
 * <pre>
 * POST {baseUrl}/v1/sellers/{sellerId}/orders/{orderId}/acknowledge          (no body)      # 발주확인: ACCEPT → INSTRUCT
 * POST {baseUrl}/v1/sellers/{sellerId}/inquiries/{inquiryId}/answer          {"text": "Yes, it is."}
 * POST {baseUrl}/v1/sellers/{sellerId}/reviews/{reviewId}/reply              {"text": "Thank you!"}
 * PUT  {baseUrl}/v1/sellers/{sellerId}/products/{productId}/price            {"price": 15900}
 * PUT  {baseUrl}/v1/sellers/{sellerId}/products/{productId}/stock            {"stock": 0}
 * PUT  {baseUrl}/v1/sellers/{sellerId}/products/{productId}/sale-status      {"status": "ON_SALE" | "SUSPENDED"}
 * POST {baseUrl}/v1/sellers/{sellerId}/claims/{claimId}/confirm              (no body)
 * POST {baseUrl}/v1/sellers/{sellerId}/claims/{claimId}/reject               {"reason": "already shipped"}
 * Content-Type: application/json (with a body)
 *
 * 200 {the record (the order) as it is now}                          # done
 * 409 {"code": "ALREADY_DONE", "message": ...}                       # its effect is there already (the same answer,
 *                                                                    # reply, price, stock, status or decision;
 *                                                                    # an order acknowledged or further along): done
 * 422 {"code": "REFUSED", "reason": "the review was deleted"}        # refused for good for the record's sake
 * 404 {"code": "INQUIRY_NOT_FOUND", "field": "inquiryId", ...}       # the seller has no such record of the path's
 *                                                                    # kind (ORDER_, INQUIRY_, REVIEW_, PRODUCT_,
 *                                                                    # CLAIM_NOT_FOUND): refused for good
 * 400 {"code": "INVALID_PARAMETER", "field": "text", ...}            # a body the market does not take
 * </pre>
 * <ul>
 *   <li>Limits: {@code text} and {@code reason} not blank and at most 1000 characters (Unicode code points;
 *       {@link io.marketgate.market.reference.ReferenceRestAdapter#MAX_TEXT}), which the adapter's {@code validate}
 *       checks before anything is queued; {@code price} a whole number of won from 1 to 1,000,000,000; {@code stock}
 *       from 0 to 99,999,999; {@code status} {@code ON_SALE} or {@code SUSPENDED}.</li>
 *   <li>Refusals the market gives for good (422): an inquiry answered already with another text, a review with another
 *       reply or deleted, a claim withdrawn by the buyer or decided the other way, a product ended, an order
 *       cancelled. The adapter's outcome is {@code Fatal} with {@code Cause.ACTION_REFUSED} and the market's reason, as
 *       for a 404 naming the record; a redelivered action that finds its effect there (409) is
 *       {@code ActionDone(alreadyApplied = true)}, never retried. A 404 without the record's code (a wrong path, an
 *       unknown seller) is an ordinary {@code Fatal}.</li>
 *   <li>A market offers an action when its {@code adapter.calls} maps its operation ({@code acknowledgeOrder},
 *       {@code answerInquiry}, {@code replyReview}, {@code changePrice}, {@code changeStock}, {@code changeSaleStatus},
 *       {@code confirmClaim}, {@code rejectClaim}); the adapter refuses any other naming it.</li>
 * </ul>
 *
 * <h2>Answers, for every operation</h2>
 * <table>
 *   <caption>How the adapter classifies an answer</caption>
 *   <tr><th>Answer</th><th>Outcome</th></tr>
 *   <tr><td>2xx with the operation's body</td><td>{@code Ok}</td></tr>
 *   <tr><td>429, {@code Retry-After: <seconds>} (or an HTTP-date)</td><td>{@code Throttled}: every budget of the call
 *       cools down for Retry-After (the budget's default cool-down without one)</td></tr>
 *   <tr><td>2xx with {@code {"code": "004", "message": ...}}, the code listed in {@code throttleCodes}</td>
 *       <td>{@code Throttled}, as a 429</td></tr>
 *   <tr><td>2xx with another {@code code}</td><td>{@code Fatal} (a market error)</td></tr>
 *   <tr><td>2xx to a collection or a read whose body is not JSON at all (cut off, empty, an HTML page from a proxy,
 *       JSON followed by garbage)</td><td>{@code Retryable}, "malformed body", with an excerpt: the answer broke on its
 *       way. A collection's checkpoint stays before that page; after the queue's receive limit the message goes to its
 *       DLQ with the reason. (An action's 2xx is done whatever its body.)</td></tr>
 *   <tr><td>2xx with well-formed JSON that is not the protocol's (not an object, no list, a record without its id,
 *       status or time)</td><td>{@code Fatal}, naming the field</td></tr>
 *   <tr><td>5xx, 408, a timeout, a refused or broken connection</td><td>{@code Retryable}</td></tr>
 *   <tr><td>an action's 409; its 422 {@code REFUSED} or 404 {@code <RECORD>_NOT_FOUND}</td><td>{@code Ok(ActionDone(alreadyApplied))};
 *       {@code Fatal(ACTION_REFUSED)} with the market's reason</td></tr>
 *   <tr><td>401 (bad credentials), 403 (IP not allowed, no access), other 4xx, 3xx</td><td>{@code Fatal}</td></tr>
 * </table>
 * <p>Before any call, the limiter decides; when it would admit the call only after the caller's maximum wait, the
 * outcome is {@code Deferred} and the market is not called.
 */
package io.marketgate.market.reference;
