/**
 * Naver Commerce API (SmartStore): markets configured with {@code adapter.type: naver} are called through
 * {@link io.marketgate.market.naver.NaverAdapter} (built by {@link io.marketgate.market.naver.NaverAdapterFactory}).
 * Paths are relative to the section's {@code baseUrl}, {@code https://api.commerce.naver.com/external} by default.
 * Facts are from Naver's documentation unless marked [I] (inferred); {@code /work/shared/market-protocols.md}
 * section 2 has the sources.
 *
 * <h2>Credentials and the token</h2>
 * A seller registers {@code clientId}, {@code clientSecret} (a bcrypt salt, {@code $2a$10$…}), {@code type}
 * ({@code SELF} for its own application, {@code SELLER} for a solution application) and, with {@code SELLER} only, its
 * {@code accountId}. Every call but the token request carries {@code Authorization: Bearer <token>}:
 * <pre>
 * POST {baseUrl}/v1/oauth2/token
 * Content-Type: application/x-www-form-urlencoded
 * client_id=…&amp;timestamp={ms}&amp;grant_type=client_credentials&amp;client_secret_sign={sign}&amp;type=SELF
 *                                                        # &amp;account_id=… with type SELLER only
 * sign = Base64(bcrypt(client_id + "_" + timestamp, salt = client_secret))
 *
 * 200 {"access_token": "…", "expires_in": 10800, "token_type": "Bearer"}
 * </pre>
 * <ul>
 *   <li>Everything is in the form body, nothing in the query: since 2026-08-20 Naver limits an application to one
 *       call per hour for a day after a "non-standard" token request (query parameters, another body, no
 *       {@code grant_type}, {@code account_id} with {@code SELF}); registration refuses credentials that would make
 *       one.</li>
 *   <li>One token per account ({@code type}, {@code account_id}), 3 hours; Naver serves the same token again while at
 *       least 30 minutes remain and a new one after. The fleet shares it ({@link io.marketgate.market.auth.SharedTokens},
 *       key {@code market:clientId:type:accountId}, {@code -} for SELF): one instance fetches, 30 minutes before
 *       expiry, the others use the cached one.</li>
 *   <li>A call answered {@code 401 GW.AUTHN} had its token revoked or expired early: the token is forgotten, a new one
 *       fetched and the call repeated once ({@link io.marketgate.market.MarketClient}).</li>
 *   <li>The token request's 400/401/403 (a bad sign, an unknown client, a refused account) is a final
 *       {@code CREDENTIALS_REJECTED}; a refused {@code timestamp} (more than 5 minutes old, or in the future) is this
 *       host's clock, retryable.</li>
 * </ul>
 *
 * <h2>Collecting orders</h2>
 * Naver's unit is the product order (one product line of an order, with its own state, claims and dispatch), so an
 * {@link io.marketgate.market.Order} here is a product order: {@code orderId} is Naver's {@code productOrderId} (the
 * id dispatch takes), {@code status} its {@code productOrderStatus}, {@code updatedAt} its {@code lastChangedDate}; the
 * JSON is the product-order query's entry ({@code order}, {@code productOrder}, {@code delivery}, claims), which names
 * the order's {@code orderId}.
 * <pre>
 * GET {baseUrl}/v1/pay-order/seller/product-orders/last-changed-statuses
 *     ?lastChangedFrom=2026-11-01T09:00:00.000%2B09:00&amp;lastChangedTo=…&amp;limitCount=300[&amp;moreSequence=…]
 * 200 {"data": {"lastChangeStatuses": [{"productOrderId", "productOrderStatus", "lastChangedDate", …}],
 *               "count": n, "more": {"moreFrom": "…", "moreSequence": "…"}}}   # no "more": the window's last page
 *
 * POST {baseUrl}/v1/pay-order/seller/product-orders/query   {"productOrderIds": [up to 300 ids]}
 * 200 {"data": [{"order": {…}, "productOrder": {"productOrderId", "productOrderStatus", …}, "delivery": {…}}]}
 * </pre>
 * <ul>
 *   <li>Windows of at most {@code maxRangePerCall} (24 h, Naver's largest); times at +09:00 with milliseconds, the
 *       {@code +} percent-encoded.</li>
 *   <li>The next page asks from {@code more.moreFrom} <em>and</em> {@code more.moreSequence} (the cursor
 *       {@code moreFrom|moreSequence} holds both; asking from moreFrom alone repeats the page).</li>
 *   <li>Each non-empty list page is followed by one query of its ids (drawn from {@code getOrders}); its answer is
 *       the page. A query that leaves out a listed id is refused (no order is dropped silently). An order read again
 *       ({@code planGetOrder}) is the query of its one id, dated by the answer's {@code timestamp}.</li>
 * </ul>
 *
 * <h2>Dispatch (ship an order, a HIGH action)</h2>
 * <pre>
 * POST {baseUrl}/v1/pay-order/seller/product-orders/dispatch
 * {"dispatchProductOrders": [{"productOrderId", "deliveryMethod": "DELIVERY", "deliveryCompanyCode": carrier,
 *                             "trackingNumber", "dispatchDate": now at +09:00}]}
 * 200 {"data": {"successProductOrderIds": [id]}}                                          # done
 * 200 {"data": {"failProductOrderInfos": [{"productOrderId", "code": "105306", …}]}}      # already so: done
 * 200 {"data": {"failProductOrderInfos": [{"productOrderId", "code": "104442", …}]}}      # any other code: fatal
 * </pre>
 *
 * <h2>The other kinds and the actions</h2>
 * Claims are the last-changed list under each claim change type ({@code lastChangedType=CLAIM_REQUESTED}, …), a claim's
 * id {@code claimType.productOrderId}; product Q&amp;A {@code GET /v1/contents/qnas}; products
 * {@code POST /v1/products/search} by modification date; daily settlements {@code GET /v1/pay-settle/settle/daily}.
 * Actions: 발주확인 {@code POST …/product-orders/confirm}; claim approvals and rejections per claim type
 * ({@code …/{id}/claim/return/approve}, …); answers {@code PUT /v1/contents/qnas/{questionId}}; price and stock
 * {@code PATCH /v1/products/origin-products/multi-update}; sale status {@code PUT …/origin-products/{no}/change-status}.
 * docs/markets.md has each call's answers and what they mean; no review API exists.
 *
 * <h2>Answers, for every call</h2>
 * <table>
 *   <caption>How the adapter classifies Naver's gateway and API answers</caption>
 *   <tr><th>Answer</th><th>Outcome</th></tr>
 *   <tr><td>429 {@code GW.RATE_LIMIT} (the bucket per API and application)</td><td>{@code Throttled} on the call's
 *       endpoint budgets, for the bucket's refill time ({@code GNCP-GW-RateLimit-Burst-Capacity} over
 *       {@code -Replenish-Rate}; the budgets' default without them); the headers in the reason</td></tr>
 *   <tr><td>429 {@code GW.QUOTA_LIMIT}</td><td>{@code Throttled} on every budget of the call for one
 *       {@code GNCP-GW-Quota-Period} (an hour by default)</td></tr>
 *   <tr><td>401 {@code GW.AUTHN}</td><td>{@code Fatal(TOKEN_REJECTED)}: refetch once and repeat</td></tr>
 *   <tr><td>403 {@code GW.IP_NOT_ALLOWED}</td><td>{@code Fatal(IP_NOT_ALLOWED)}</td></tr>
 *   <tr><td>other 403; 400 (its {@code invalidInputs} named); other 4xx</td><td>{@code Fatal}</td></tr>
 *   <tr><td>5xx, 408, {@code GW.PROXY*}, {@code GW.TIMEOUT*}, {@code GW.BLOCK*}, no answer</td><td>{@code Retryable}</td></tr>
 *   <tr><td>2xx whose body the call needs but which is not JSON at all (truncated JSON, an HTML page from a proxy,
 *       empty, JSON followed by garbage)</td><td>{@code Retryable}, "malformed body", with an excerpt, secrets masked:
 *       the answer broke on its way. A collection's checkpoint stays before that page; after the queue's receive limit
 *       the message goes to its DLQ with the reason</td></tr>
 *   <tr><td>200 with well-formed JSON that is not the protocol's (not an object, wrong types, a required field
 *       missing, an unknown state)</td><td>{@code Fatal} with an excerpt of Naver's words, secrets masked; the request
 *       fails with the reason, never an order dropped silently</td></tr>
 * </table>
 */
package io.marketgate.market.naver;
