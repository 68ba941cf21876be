/**
 * 11st's (11번가) Open API: markets configured with {@code adapter.type: 11st} are called through
 * {@link io.marketgate.market.elevenst.ElevenStAdapter} (built by {@link io.marketgate.market.elevenst.ElevenStAdapterFactory}).
 * The facts, and where each comes from ([D] documented, [O] observed in a public client, [I] inferred), are in the
 * project's {@code market-protocols.md}, section 4; paths below are relative to the adapter's {@code baseUrl}
 * ({@code https://api.11st.co.kr/rest} by default). The Java package is {@code elevenst}: a package name cannot start
 * with a digit.
 *
 * <h2>Every call</h2>
 * <pre>
 * GET {path with every parameter as a segment}
 * openapikey: {the seller's Open API key}         # lower case, as 11st's guide writes it; never in the path or query
 * Accept: application/xml
 * Content-Type: text/xml; charset=euc-kr          # what public clients send [O]
 * </pre>
 * <ul>
 *   <li>One static key per seller ({@link io.marketgate.market.elevenst.ElevenStAdapter#CREDENTIALS}: {@code openApiKey},
 *       secret; 32 characters today [O]), valid only from the IP addresses registered for it in the seller office. No
 *       token, no signature. The key is read from the context's credential source when the limiter has granted the
 *       call; none registered is final, a secret store that does not answer retryable.</li>
 *   <li>Answers are XML in EUC-KR [O]. A body is decoded with the charset its {@code Content-Type} names, else as
 *       EUC-KR; EUC-KR is read as MS949, its superset, which public clients fall back to for the rarer syllables. The
 *       XML is parsed with Jackson XML (no DTDs, no external entities); namespace prefixes are dropped
 *       ({@code ns2:order} is {@code order}).</li>
 * </ul>
 *
 * <h2>List orders: one call per stage and window</h2>
 * <pre>
 * GET /ordservices/{stage}/{yyyyMMddHHmm}/{yyyyMMddHHmm}            # stage: complete, packaging, shipping, dlvcompleted
 *
 * 200 &lt;ns2:orders xmlns:ns2="http://skt.tmall.business.openapi.spring.service.client.domain/"&gt;
 *       &lt;ns2:order&gt;&lt;ordNo&gt;202001050486555&lt;/ordNo&gt;&lt;ordPrdSeq&gt;7&lt;/ordPrdSeq&gt;&lt;dlvNo&gt;1420484760&lt;/dlvNo&gt;
 *         &lt;ordPrdStat&gt;301&lt;/ordPrdStat&gt;&lt;ordStlEndDt&gt;2020-01-05 21:44:21&lt;/ordStlEndDt&gt;…&lt;/ns2:order&gt;…&lt;/ns2:orders&gt;
 * 200 &lt;ns2:orders …&gt;&lt;ns2:result_code&gt;0&lt;/ns2:result_code&gt;&lt;ns2:result_text&gt;조회된 결과가 없습니다.&lt;/ns2:result_text&gt;&lt;/ns2:orders&gt;
 * </pre>
 * <ul>
 *   <li><b>Windows.</b> A request is cut into windows of at most {@code maxRangePerCall} (7 days at most, a day by
 *       default: 11st documents no limit for these lists; public clients cut 3 to 7 days [O] and its Q&amp;A list is
 *       documented at 7 days), on whole minutes in Korean time, the request's ends rounded out to the minute. 11st does
 *       not say whether the end minute is included; windows share their ends, so either way no line falls between two,
 *       and a line listed by both is one {@link io.marketgate.market.Order} (one id) that the writer keeps once.</li>
 *   <li><b>No pages.</b> A window's list comes whole in one answer [O]; an environment that sees large answers or
 *       timeouts sets a shorter {@code maxRangePerCall}. The section has no {@code pageSize}.</li>
 *   <li><b>The stage walk.</b> Each window is asked for {@code complete} (paid, to acknowledge: 202),
 *       {@code packaging} (acknowledged, to ship: 301), {@code shipping} (401) and {@code dlvcompleted} (delivered:
 *       501) in turn, the order in which a line passes them, so a line that moves during the walk moves into a stage
 *       still to be asked for and is collected at least once. {@code completed} (purchase confirmed, 901) is not
 *       walked: nothing is left to act on. The cursor a collector checkpoints is the stage, so a redelivery resumes at
 *       exactly that call; a window costs 4 calls.</li>
 *   <li><b>An order is a line.</b> 11st lists one {@code <order>} per product line of an order [O]; each becomes an
 *       {@link io.marketgate.market.Order} whose id is {@code ordNo-ordPrdSeq-dlvNo}: the order and the line (the pair
 *       11st's other line calls take) and the delivery that ships it (the one number {@code reqdelivery} takes, so a ship
 *       action needs no lookup). The id is the same in every stage list, so a line seen in two stages is one order, its
 *       later state winning. {@code status} is {@code ordPrdStat}, {@code updatedAt} the payment time
 *       {@code ordStlEndDt} (else {@code ordDt}, else the acknowledgement {@code plcodrCnfDt}) read as Korean time,
 *       {@code json} the line's elements as texts.</li>
 *   <li><b>Nothing dropped.</b> A line without a numeric {@code ordNo}, {@code ordPrdSeq} or {@code dlvNo}, without a
 *       time, with a time not {@code yyyy-MM-dd HH:mm:ss}, or with a state not in
 *       {@link io.marketgate.market.elevenst.ElevenStAdapter#STATES} fails the whole answer ({@code Fatal}, naming the
 *       line and the field, with the market's words), as does a root other than {@code ns2:orders} or an element other
 *       than {@code order}, {@code result_code} and {@code result_text} under it.</li>
 * </ul>
 *
 * <h2>Read one order line again</h2>
 * <pre>
 * GET /ordservices/complete/{ordNo}             # the order's paid lines, in the list's shape
 * </pre>
 * A page of the line the id names, empty when 11st no longer lists it there (acknowledged since, or unknown: 11st
 * answers "no results"). Drawn from {@code adapter.calls.getOrder}'s budgets, else {@code listOrders}'. 11st has no
 * documented read of one line in any stage that gives this shape.
 *
 * <h2>Ship: one GET (a HIGH action)</h2>
 * <pre>
 * GET /ordservices/reqdelivery/{sendDt yyyyMMddHHmm}/01/{dlvEtprsCd}/{invcNo}/{dlvNo}
 * 200 &lt;ResultOrder&gt;&lt;result_code&gt;0&lt;/result_code&gt;&lt;result_text&gt;…&lt;/result_text&gt;&lt;/ResultOrder&gt;
 * </pre>
 * <ul>
 *   <li>The action's {@code orderId} is the line id (its {@code dlvNo} is sent), {@code carrier} 11st's five-digit
 *       delivery company code ({@code 00034} CJ대한통운, {@code 00011} 한진, {@code 00012} 롯데, {@code 00007}
 *       우체국, {@code 00099} other), {@code trackingNumber} the invoice number (at most 15 letters or digits: 11st
 *       refuses longer ones [O]); {@code 01} is delivery by courier, {@code sendDt} now in Korean time.</li>
 *   <li>Result code 0 is done. {@code -3313}, the delivery is shipping already (an earlier attempt whose answer was
 *       lost, or the same delivery shipped through another of its lines), is done too
 *       ({@code ActionDone.alreadyApplied}) [O: a production client counts it as success]; 11st's answer does not say
 *       with which invoice, so a different tracking number is not told apart. Any other code is final with 11st's
 *       code and text: a line not yet acknowledged (11st takes a shipment only after {@code reqpackaging}, which this
 *       adapter sends as the separate acknowledge-order action), a tracking number used already ("이미 사용된 송장번호 입니다." [O]), an unknown
 *       delivery.</li>
 * </ul>
 *
 * <h2>Claims, product Q&amp;A, settlements and the actions on them</h2>
 * Claims: {@code GET /claimservice/{cancelorders|returnorders|exchangeorders}/{yyyyMMddHHmm}/{yyyyMMddHHmm}} (30 days,
 * the cursor names the list); product Q&amp;A: {@code GET /prodqnaservices/prodqnalist/{yyyyMMdd}/{yyyyMMdd}/00} (7
 * days); settlements: {@code GET /settlement/settlementList/{yyyyMMdd}/{yyyyMMdd}} (31 days). Actions: acknowledge
 * ({@code reqpackaging}), answer ({@code PUT prodqnaanswer} with {@code <ProductQna><answerCont>}), confirm
 * ({@code cancelreqconf}, {@code returnreqconf}) and reject ({@code returnreqreject}, {@code exchangereqreject}). Record
 * ids carry the numbers the actions take ({@code return-2400330-201001068151292-1}, {@code 4881274-48073872}); the
 * statuses, fields and what each answer means are in {@link io.marketgate.market.elevenst.ElevenStAdapter#planAction},
 * {@code ElevenStRecords} and the project's {@code docs/markets.md}.
 *
 * <h2>Answers, for every call</h2>
 * <table>
 *   <caption>How the adapter classifies an answer</caption>
 *   <tr><th>Answer</th><th>Outcome</th></tr>
 *   <tr><td>200, result code 0 or none, the call's shape</td><td>{@code Ok}; a list with 11st's "no results" is an
 *       empty page</td></tr>
 *   <tr><td>200, result code {@code 004} (over the key's call rate) [O]</td><td>{@code Throttled} on every budget of the
 *       call, for the budget's configured cool-down: 11st gives no time, and public clients pause five minutes</td></tr>
 *   <tr><td>200, result code {@code -997} "등록된 API 정보가 존재하지 않습니다" [O] (an unknown key, or one not
 *       approved for the seller order API), or 11st's older "인증키" answers</td><td>{@code Fatal},
 *       {@code CREDENTIALS_REJECTED}</td></tr>
 *   <tr><td>500 {@code <AuthMessage><resultCode>-500</resultCode><resultMessage>[ip]인증된 IP가 아닙니다…} [O]
 *       (any status with result code -500)</td><td>{@code Fatal}, {@code IP_NOT_ALLOWED}: the egress group pauses and
 *       an alarm is raised; no retry burns the budget</td></tr>
 *   <tr><td>another {@code <AuthMessage>} refusal (such as {@code -400}, HTTPS required [O])</td><td>{@code Fatal}</td></tr>
 *   <tr><td>200 with another result code</td><td>{@code Fatal}, with the code and 11st's text</td></tr>
 *   <tr><td>200 with a body that is not XML at all (cut off, empty) or an HTML page (maintenance, a block page [O], a
 *       proxy's page)</td><td>{@code Retryable}, "malformed body", with an excerpt: nothing 11st's API decided. A
 *       collection's checkpoint stays before that page; the hand-back's back-off spaces the attempts, and after the
 *       queue's receive limit the message goes to its DLQ with the reason</td></tr>
 *   <tr><td>200 with well-formed XML that is not the protocol's: an unexpected root, a line with a missing or
 *       malformed field or an unknown state</td><td>{@code Fatal}, naming what is wrong, with an excerpt of the body;
 *       never an exception, never a line dropped silently</td></tr>
 *   <tr><td>429 (not seen from 11st)</td><td>{@code Throttled}</td></tr>
 *   <tr><td>other 5xx, 408, a timeout, a refused or broken connection</td><td>{@code Retryable}</td></tr>
 *   <tr><td>other 4xx</td><td>{@code Fatal}</td></tr>
 * </table>
 * <p>No outcome, message or {@code toString()} contains the key: an answer that echoes it is masked.
 */
package io.marketgate.market.elevenst;
