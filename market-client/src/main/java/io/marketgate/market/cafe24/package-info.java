/**
 * The Cafe24 Admin API: markets configured with {@code adapter.type: cafe24} are called through
 * {@link io.marketgate.market.cafe24.Cafe24Adapter} (built by {@link io.marketgate.market.cafe24.Cafe24AdapterFactory}).
 * Cafe24 serves one API per mall: paths are relative to the mall's base URL, the section's {@code baseUrl} template
 * with the seller's mall id, {@code https://{mallId}.cafe24api.com/api/v2} by default. Facts are from Cafe24's
 * documentation unless marked [I] (inferred); {@code /work/shared/market-protocols.md} section 3 has the sources.
 *
 * <h2>Apps, consent and the connection</h2>
 * A seller registers its {@code mallId} and the app installed on it ({@code clientId}, {@code clientSecret}). The
 * mall's owner consents once (the API's {@code /connect} and {@code /v1/connections/callback},
 * {@link io.marketgate.market.ConsentFlow}):
 * <pre>
 * GET  {mall}/oauth/authorize?response_type=code&amp;client_id&amp;state&amp;redirect_uri&amp;scope=mall.read_order,mall.write_order
 *      → 302 {redirect_uri}?code=…&amp;state=…                          # the code: one exchange within a minute
 * POST {mall}/oauth/token   Authorization: Basic base64(client_id:client_secret)
 *      grant_type=authorization_code&amp;code=…&amp;redirect_uri=…      # the consent's code
 *      grant_type=refresh_token&amp;refresh_token=…                    # a refresh
 * 200  {"access_token", "expires_at": "2021-03-01T14:00:00.000" (KST), "refresh_token", "refresh_token_expires_at",
 *       "client_id", "mall_id", "user_id", "scopes", "issued_at", "shop_no"}
 * 400  {"error": "invalid_grant", "error_description": …}            # used, expired or revoked: connect again
 * </pre>
 * The access token lives 2 hours, the refresh token 14 days, and every refresh returns a new refresh token while the
 * one sent dies: {@link io.marketgate.market.auth.MallConnections} refreshes a mall from one instance at a time and
 * never loses a refreshed pair. Every admin call carries {@code Authorization: Bearer} and
 * {@code X-Cafe24-Api-Version} (the section's {@code apiVersion}). Token calls have their own timeout
 * ({@link io.marketgate.market.cafe24.Cafe24Adapter#TOKEN_TIMEOUT}).
 *
 * <h2>Orders</h2>
 * <pre>
 * GET {mall}/admin/orders?shop_no=1&amp;date_type=pay_date&amp;start_date=2026-11-01T09:00:00%2B09:00
 *     &amp;end_date=2026-11-01T09:29:59%2B09:00&amp;limit=100&amp;offset=0&amp;embed=items,receivers
 * 200 {"orders": [{"order_id": "20261101-0000013", "payment_date": "…+09:00", "items": [{"order_item_code", "order_status"…}],
 *      "receivers": […]…}], "links": […]}
 * GET {mall}/admin/orders/{order_id}?shop_no=1&amp;embed=items,receivers    → {"order": {…}}, 404 when there is none
 * </pre>
 * <ul>
 *   <li>Windows of at most {@code maxRangePerCall} (at most 89 days: Cafe24 takes 3 months per call), dated by
 *       payment, to the second, both ends inclusive at Cafe24: the window's first whole second to the last one before
 *       its end.</li>
 *   <li>{@code limit} = the section's {@code pageSize} (at most 1000); a full page goes on at the next offset; past
 *       Cafe24's largest offset (15000) the window's first half is asked from offset 0, its second half after it.</li>
 *   <li>An {@link io.marketgate.market.Order}'s status is its items' {@code order_status} (one code, or several joined
 *       by ','); an unknown code is refused.</li>
 * </ul>
 *
 * <h2>Shipments (a HIGH action)</h2>
 * The order is read first ({@code planLookup}); its items that can ship ({@code N10}, {@code N20}, {@code N21},
 * {@code N22}) are shipped:
 * <pre>
 * POST {mall}/admin/orders/{order_id}/shipments
 * {"shop_no": 1, "request": {"tracking_no", "shipping_company_code": carrier, "status": "shipping", "order_item_code": […]}}
 * 201 {"shipment": {…}}          # done
 * 409                            # the same shipment exists [I]: done already
 * </pre>
 * When no item can ship, the order is read again instead: shipped with this tracking number is done already,
 * anything else final.
 *
 * <h2>Q&amp;A, reviews, products, daily sales</h2>
 * <pre>
 * GET  {mall}/admin/boards/{board_no}/articles?shop_no=1&amp;start_date=2026-11-01&amp;end_date=2026-11-03&amp;limit=100&amp;offset=0
 * GET  {mall}/admin/boards/{board_no}/articles?shop_no=1&amp;article_no=1203        # an answer's or a reply's lookup
 * POST {mall}/admin/boards/{board_no}/articles {"shop_no":1,"requests":[{"writer","title","content","client_ip","reply_article_no"}]}
 * GET  {mall}/admin/products?shop_no=1&amp;updated_start_date&amp;updated_end_date&amp;limit=100[&amp;since_product_no]
 * PUT  {mall}/admin/products/{product_no} {"shop_no":1,"request":{"price":"11000.00"}}    # or {"selling":"F"}
 * GET  {mall}/admin/financials/dailysales?start_date&amp;end_date
 * </pre>
 * The Q&amp;A and review boards are the seller's registered {@code inquiryBoardNo} and {@code reviewBoardNo} (6 and 4
 * by default); an inquiry's or review's id is {@code {board_no}-{article_no}}. An answered article is answered again
 * only with the same text (done already); another text, a deleted or missing article are final refusals. Claims and
 * stock are not offered (docs/markets.md says why).
 *
 * <h2>Answers</h2>
 * <table>
 *   <caption>How the adapter classifies Cafe24's answers</caption>
 *   <tr><th>Answer</th><th>Outcome</th></tr>
 *   <tr><td>429 (the mall's bucket of 40, or its call quota)</td><td>{@code Throttled} on the call's {@code mall}
 *       budgets for {@code X-Cafe24-Call-Remain} seconds when present, else the bucket's drain to one place
 *       ({@code X-Api-Call-Limit}, 2 per second)</td></tr>
 *   <tr><td>401 (expired or revoked token)</td><td>{@code Fatal(TOKEN_REJECTED)}: one refresh, the call repeated
 *       once; a fresh token refused again: {@code RECONNECT_REQUIRED}</td></tr>
 *   <tr><td>403 (scope, app removed); token endpoint 400 {@code invalid_grant} to a refresh</td>
 *       <td>{@code Fatal(RECONNECT_REQUIRED)}</td></tr>
 *   <tr><td>token endpoint 401 {@code invalid_client}</td><td>{@code Fatal(CREDENTIALS_REJECTED)}</td></tr>
 *   <tr><td>400, 422, other 4xx</td><td>{@code Fatal} with Cafe24's message</td></tr>
 *   <tr><td>5xx, 408, no answer</td><td>{@code Retryable}</td></tr>
 *   <tr><td>2xx whose body the call needs but which is not JSON at all (truncated, an HTML page from a proxy, empty,
 *       JSON followed by garbage)</td><td>{@code Retryable}, "malformed body", with an excerpt, secrets masked: the
 *       answer broke on its way. A collection's checkpoint stays before that page; after the queue's receive limit the
 *       message goes to its DLQ with the reason</td></tr>
 *   <tr><td>2xx with well-formed JSON that is not the protocol's (not an object, a required field missing or of the
 *       wrong type)</td><td>{@code Fatal} with an excerpt, secrets masked; the request fails with the reason</td></tr>
 * </table>
 * Every answer's {@code X-Api-Call-Limit} and usage headers are reported as a {@link io.marketgate.market.BucketLevel}
 * for the call's budgets configured with {@code followsMarketLevel: true} (the one modelling the mall's bucket), which
 * the {@link io.marketgate.market.MarketClient} feeds to the limiter.
 */
package io.marketgate.market.cafe24;
