/**
 * Coupang Wing's Open API: markets configured with {@code adapter.type: coupang} are called through
 * {@link io.marketgate.market.coupang.CoupangAdapter} (built by
 * {@link io.marketgate.market.coupang.CoupangAdapterFactory}), every call signed with the seller's own keys
 * ({@link io.marketgate.market.coupang.CeaSignature}). The facts, and where each comes from, are in the project's
 * {@code market-protocols.md}, section 1; paths below are relative to the adapter's {@code baseUrl}
 * ({@code https://api-gateway.coupang.com} by default) and {@code {vendorId}} is the seller's vendor id
 * ({@link io.marketgate.market.Seller#vendorId()}, else its id).
 *
 * <h2>Signing every call</h2>
 * <pre>
 * Authorization: CEA algorithm=HmacSHA256, access-key={accessKey}, signed-date={yyMMdd'T'HHmmss'Z', UTC}, signature={hex}
 * Content-Type: application/json;charset=UTF-8
 * X-EXTENDED-TIMEOUT: {the request timeout in ms, at most 90000}      # the gateway's own default is 3 s, then 504
 * </pre>
 * <ul>
 *   <li>{@code signature} = lowercase hex HMAC-SHA256, keyed with the secret key, of
 *       {@code signedDate + METHOD + path + query}: the query exactly as sent (percent-encoded, no {@code ?}), the body
 *       unsigned. The signed-date is taken from the {@link io.marketgate.market.AdapterContext#clock() context's clock}
 *       when the limiter has granted the call, just before it is sent ({@link io.marketgate.market.MarketAdapter#authorize}),
 *       so a call that waited for the limiter is not stale.</li>
 *   <li>The signed path is the path <em>as the market sees it</em>: the request's path after the base URL's own path.
 *       A simulator serving under {@code http://127.0.0.1:8601/coupang} gets requests for
 *       {@code /coupang/v2/providers/…} and checks the signature over {@code /v2/providers/…}, as Coupang's gateway
 *       does behind {@code https://api-gateway.coupang.com}.</li>
 *   <li>Keys come from the context's credential source, per seller ({@code vendorId}, {@code accessKey},
 *       {@code secretKey}; {@link io.marketgate.market.coupang.CoupangAdapter#CREDENTIALS}). None registered is final;
 *       a secret store that does not answer is retryable; keys registered for another vendor than the call's are final
 *       before anything is sent.</li>
 * </ul>
 *
 * <h2>List orders: the time frame, one status per call</h2>
 * <pre>
 * GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/ordersheets
 *     ?createdAtFrom=2026-01-01T09:00&amp;createdAtTo=2026-01-02T09:00&amp;maxPerPage=50[&amp;nextToken={t}]&amp;searchType=timeFrame&amp;status=ACCEPT
 *
 * 200 {"code":200,"message":"OK","data":[{"shipmentBoxId":448531493,"orderId":22000009546234,"paidAt":"2026-01-01T10:20:16",
 *      "status":"ACCEPT","orderItems":[{"vendorItemId":3242596358,…}],…}],"nextToken":""}
 * </pre>
 * <ul>
 *   <li><b>Windows.</b> A request is split into windows of at most {@code maxRangePerCall} (the market allows 24 h),
 *       on whole minutes: the time frame is {@code yyyy-MM-dd'T'HH:mm} in Korean time and, as Coupang documents it,
 *       selects {@code createdAt ≥ from:00} and {@code < to:00}, so consecutive windows neither overlap nor leave a
 *       gap. The request's {@code from} is rounded down and its {@code to} up to the minute (never an order lost at
 *       the ends; at most a minute's orders more, which the writer keeps once per id). Coupang's advice to ask for
 *       about ten minutes at a time is against gateway timeouts on wide ranges: an environment that sees 504s sets
 *       {@code maxRangePerCall: 10m}.</li>
 *   <li><b>The status walk.</b> {@code status} is required and takes one value, so each window is asked for
 *       {@code ACCEPT, INSTRUCT, DEPARTURE, DELIVERING, FINAL_DELIVERY} in turn — the order in which an order passes
 *       them. An order only moves forward, so one that changes status during the walk moves into a status still to
 *       be asked for and is collected at least once. {@code NONE_TRACKING} (direct delivery without tracking) is a
 *       status a sheet may have but is not walked.</li>
 *   <li><b>The cursor</b> is where the walk stands: {@code INSTRUCT} (that status's first page) or
 *       {@code INSTRUCT:448537989} (a further page, when the market answered a non-empty {@code nextToken}; the time
 *       frame is documented without paging, but Coupang's own example answers one, so it is followed). A page's
 *       {@code nextCursor} is the next position in the window, empty after the last status; a collector that
 *       checkpoints the window and cursor resumes exactly there. {@code maxPerPage} is the section's {@code pageSize}
 *       (at most 50).</li>
 *   <li><b>Daily mode not used.</b> Coupang also lists whole days ({@code yyyy-MM-dd}, paged by {@code nextToken}). It
 *       would save no call (one per status per day either way) and its end day's inclusiveness is not documented,
 *       where a wrong guess loses or doubles a day; the time frame's bounds are documented to the second.</li>
 *   <li><b>An order is a shipment box.</b> Each sheet becomes an {@link io.marketgate.market.Order} whose
 *       {@code orderId} is the {@code shipmentBoxId}: the unit Coupang acknowledges, ships (invoice) and reports a status
 *       for; one customer order ({@code orderId}) may be split into boxes, each shipped on its own. {@code status} is
 *       Coupang's, {@code updatedAt} is {@code paidAt} (else {@code orderedAt}) read as Korean time, {@code json} the
 *       sheet as received. Note that Coupang selects by creation time, not by last change: a status change of an old
 *       order is seen when its creation window is collected again.</li>
 * </ul>
 *
 * <h2>Read one order</h2>
 * <pre>
 * GET /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/ordersheets/{shipmentBoxId}
 * 200 {"code":200,"message":"OK","data":{…one sheet…}}            # a page of one order
 * </pre>
 * Drawn from {@code adapter.calls.getOrder}'s budgets, else {@code listOrders}'.
 *
 * <h2>Ship an order: the invoice upload (a HIGH action)</h2>
 * <pre>
 * 1. GET  …/ordersheets/{shipmentBoxId}                                 # the lookup: orderId and the items' vendorItemIds
 * 2. POST /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/orders/invoices
 *    {"vendorId":"A00012345","orderSheetInvoiceApplyDtos":[{"shipmentBoxId":…,"orderId":…,"vendorItemId":…,
 *      "deliveryCompanyCode":"{carrier}","invoiceNumber":"{trackingNumber}","splitShipping":false,
 *      "preSplitShipped":false,"estimatedShippingDate":""}, …one per item…]}
 *    200 {"code":"200","message":"OK","data":{"responseCode":0,"responseMessage":"SUCCESS","responseList":[{…,"succeed":true,…}]}}
 * </pre>
 * <ul>
 *   <li>The action's {@code orderId} is the shipmentBoxId, its {@code carrier} Coupang's delivery company code
 *       ({@code CJGLS}, {@code HANJIN}, …). {@link io.marketgate.market.MarketClient#execute(io.marketgate.market.MarketAction, java.time.Duration)}
 *       makes the lookup ({@code getOrder}'s budgets) and the upload ({@code shipOrder}'s), both at HIGH.</li>
 *   <li>The upload is sent only when the sheet is {@code INSTRUCT}, the one status Coupang takes an invoice in.
 *       Otherwise the action's call reads the sheet again instead of sending an upload bound to be refused (Coupang
 *       blocks callers after bursts of failed calls), and the sheet decides: {@code DEPARTURE} or later with the same
 *       invoice number is done ({@code ActionDone.alreadyApplied}: a redelivered action is idempotent); later with
 *       another invoice, still {@code ACCEPT} (not acknowledged) or without items is final, with the reason.</li>
 *   <li>An upload refused because the box left INSTRUCT meanwhile ({@code … is not suitable for applyInvoice},
 *       {@code INVALID_STATUS}) is retryable: the next attempt's lookup sees the new status and judges as above. A
 *       refusal with {@code retryRequired: true} is retryable; any other refusal final, with Coupang's result code and
 *       message — {@code NOT_ALLOW_INVOICE_NUMBER_RE_UPLOAD} among them, which Coupang documents as the tracking
 *       number being stored already (on another box: allowed only for the same orderer and receiver).</li>
 *   <li>Planned alone ({@link io.marketgate.market.MarketAdapter#plan(io.marketgate.market.MarketAction)}, which the
 *       handlers use to check an action), a ship action is the sheet read judged as above: it never uploads an invoice
 *       it could not build.</li>
 * </ul>
 *
 * <h2>The other kinds and the actions</h2>
 * Claims ({@code returnRequests} by status and {@code cancelType=CANCEL}, then {@code exchangeRequests}; windows of at
 * most 7 days), online inquiries (whole Korean days, at most 7, paged by {@code pageNum}), seller products (the
 * catalogue, paged by {@code nextToken}) and the revenue history (whole Korean days, at most 31, paged by
 * {@code token}) are collected as {@link io.marketgate.market.MarketRecord}s ({@code CoupangRecords} reads them);
 * acknowledging an order, answering an inquiry, changing an option's price, stock or sale status, confirming a claim
 * and rejecting an exchange are planned by {@link io.marketgate.market.coupang.CoupangAdapter#planAction} (with a read
 * first for an acknowledgement and a return's confirmation). Every call, the calls and answers are in the project's
 * {@code docs/markets.md}, section "Coupang: claims, inquiries, products, settlements and the actions". Coupang has no
 * review API.
 *
 * <h2>Answers, for every call</h2>
 * <table>
 *   <caption>How the adapter classifies an answer</caption>
 *   <tr><th>Answer</th><th>Outcome</th></tr>
 *   <tr><td>2xx with {@code "code": 200} (or {@code "200"}) and the call's body</td><td>{@code Ok}</td></tr>
 *   <tr><td>2xx with a body that is not JSON at all (cut off mid-JSON, empty, an HTML page from a proxy, JSON followed
 *       by garbage)</td><td>{@code Retryable}, "malformed body", with an excerpt of it: the answer broke on its way, so
 *       it says nothing the market decided. A collection stops at that page and its checkpoint stays before it; the
 *       hand-back's back-off spaces the attempts, and a market that keeps answering so sends the message to its DLQ with
 *       the reason after the queue's receive limit (LOW gives up earlier, counted). A ship-order asked again reads the
 *       sheet first, so an upload that was applied but whose answer was cut off is found done, not repeated</td></tr>
 *   <tr><td>2xx with well-formed JSON that says another code, or is no envelope ({@code [..]}), a sheet with a field
 *       missing or of the wrong type, a status not in Coupang's list</td><td>{@code Fatal}, naming the field, with an
 *       excerpt of the body; never an order dropped silently (the request fails with the reason, its checkpoint does
 *       not pass the page)</td></tr>
 *   <tr><td>429 (over 10 calls/s per vendor, all APIs)</td><td>{@code Throttled} on every budget of the call, for the
 *       budget's configured cool-down: Coupang sends no Retry-After and lifts its block "within minutes to tens of
 *       minutes"</td></tr>
 *   <tr><td>401 {@code Invalid signature.}, {@code HMAC format is invalid.}, {@code Unknown error occurred…} (an unknown
 *       access key), {@code Request is not authorized.}</td><td>{@code Fatal}, {@code CREDENTIALS_REJECTED}</td></tr>
 *   <tr><td>401 {@code Specified signature is expired.}</td><td>{@code Retryable}: this host's clock is off from
 *       Coupang's (it allows about five minutes); the next attempt signs anew</td></tr>
 *   <tr><td>403 containing {@code Not allowed IP}</td><td>{@code Fatal}, {@code IP_NOT_ALLOWED}</td></tr>
 *   <tr><td>403 HTML {@code Access Denied} (Coupang's edge)</td><td>{@code Retryable}: Coupang documents it as a
 *       temporary block after many failed calls per second, so it passes and is not final; a retry comes after the
 *       hand-back's back-off, as Coupang asks not to repeat failing calls at once. Not a throttle: it is no sign of the
 *       vendor's rate, and it may be the caller's address, not the vendor, that is blocked</td></tr>
 *   <tr><td>other 403, 400 ({@code [code: VALIDATION , error : …]}), 404, other 4xx</td><td>{@code Fatal}</td></tr>
 *   <tr><td>5xx (504: the gateway's timeout), 408, a timeout, a refused or broken connection</td><td>{@code Retryable}</td></tr>
 * </table>
 * <p>Before any call, the limiter decides; when it would admit the call only after the caller's maximum wait, the
 * outcome is {@code Deferred} and the market is not called. No outcome, message or {@code toString()} contains a key:
 * the secret never leaves the JVM, and a body that echoes the access key is masked.
 */
package io.marketgate.market.coupang;
