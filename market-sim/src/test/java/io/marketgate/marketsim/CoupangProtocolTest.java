package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Coupang Wing's protocol over real HTTP: the gateway's HMAC checks, the limits, the ordersheets and invoices. */
class CoupangProtocolTest extends SimFixture {

    private static final ZoneOffset KST = ZoneOffset.ofHours(9);
    /** 2026-11-20 and 2026-11-21 in KST. */
    private static final Instant FROM = Instant.parse("2026-11-19T15:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-21T15:00:00Z");
    private static final String DAYS = "createdAtFrom=2026-11-20&createdAtTo=2026-11-21";

    private SimulatedMarket market;

    private CoupangWing start(MarketConfig.Builder config) {
        start(config.build());
        market = sim.market("coupang");
        return wing("S1");
    }

    private CoupangWing start() {
        return start(MarketPresets.coupangWing().sellers("S1", "S2"));
    }

    private CoupangWing wing(String seller) {
        return new CoupangWing(sim.baseUrl("coupang"), market.coupangCredentials(seller), clock);
    }

    /** Every call a tenth of a second after the last: exactly the market's 10 calls per second. */
    private MarketClient.Reply paced(java.util.function.Supplier<MarketClient.Reply> call) {
        clock.advance(Duration.ofMillis(100));
        return call.get();
    }

    @Test
    void credentials_are_generated_per_seller_from_the_seed_and_their_secrets_stay_out_of_toString() {
        // GIVEN two sims with the same seed
        start();
        CoupangCredentials first = market.coupangCredentials("S1");
        SimulatedMarket again;
        try (MarketSim other = MarketSim.builder().clock(clock).market(MarketPresets.coupangWing().sellers("S1", "S2").build()).build()) {
            again = other.market("coupang");
            // THEN the same credentials, in Coupang's shapes, distinct per seller
            assertThat(again.coupangCredentials("S1")).isEqualTo(first);
        }
        assertThat(first.vendorId()).matches("A\\d{8}");
        assertThat(first.accessKey()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(first.secretKey()).matches("[0-9a-f]{40}");
        assertThat(market.coupangCredentials("S2").vendorId()).isNotEqualTo(first.vendorId());
        assertThat(first.toString()).contains(first.vendorId()).doesNotContain(first.secretKey());
        assertThat(market.credentials()).extracting(SellerCredentials::sellerId).containsExactly("S1", "S2");
    }

    @Test
    void paging_every_status_to_the_end_yields_exactly_the_orders_the_market_holds() {
        // GIVEN a vendor with two days of orders
        CoupangWing wing = start();

        // WHEN a collector pages through each status of the two KST days, 20 per page
        List<String> collected = new ArrayList<>();
        int pages = 0;
        for (String status : List.of("ACCEPT", "INSTRUCT", "DEPARTURE", "DELIVERING", "FINAL_DELIVERY")) {
            String token = "";
            do {
                String query = DAYS + "&maxPerPage=20" + (token.isEmpty() ? "" : "&nextToken=" + token) + "&status=" + status;
                MarketClient.Reply page = paced(() -> wing.ordersheets(query));
                assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
                assertThat(page.body().get("code").asInt()).isEqualTo(200);
                for (JsonNode sheet : page.body().get("data")) {
                    assertThat(sheet.get("status").asText()).isEqualTo(status);
                    collected.add(sheet.get("orderId").asText());
                }
                token = page.body().get("nextToken").asText();
                pages++;
            } while (!token.isEmpty());
        }

        // THEN exactly the market's orders of those days, once each, and no call over budget
        List<String> truth = market.orders("S1", FROM, TO).stream().map(Order::orderId).toList();
        assertThat(truth).hasSizeGreaterThan(100);
        assertThat(collected).containsExactlyInAnyOrderElementsOf(truth);
        assertThat(pages).isGreaterThan(5);
        assertThat(market.callsOverBudget()).isZero();
        assertThat(market.arrivals()).allMatch(a -> a.endpoint() == Endpoint.LIST_ORDERS && a.sellerId().equals("S1"));
    }

    @Test
    void an_ordersheet_is_rendered_in_coupangs_shapes_with_kst_times() {
        // GIVEN a listed ordersheet
        CoupangWing wing = start();
        JsonNode sheet = wing.ordersheets(DAYS + "&status=INSTRUCT").body().get("data").get(0);
        Order order = market.orders("S1", FROM, TO).stream().filter(o -> o.orderId().equals(sheet.get("orderId").asText()))
                .findFirst().orElseThrow();

        // THEN numbers are JSON numbers, times KST without offset, and paidAt is the order's listing instant
        assertThat(sheet.get("shipmentBoxId").isIntegralNumber()).isTrue();
        assertThat(sheet.get("orderId").isIntegralNumber()).isTrue();
        assertThat(sheet.get("paidAt").asText()).isEqualTo(LocalDateTime.ofInstant(order.updatedAt(), KST).withNano(0).toString()
                .replaceFirst("T(\\d\\d:\\d\\d)$", "T$1:00"));
        assertThat(sheet.get("orderedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(sheet.get("orderer").has("safeNumber")).isTrue();
        assertThat(sheet.get("receiver").get("addr1").asText()).isNotBlank();
        JsonNode item = sheet.get("orderItems").get(0);
        assertThat(item.get("vendorItemId").isIntegralNumber()).isTrue();
        assertThat(item.get("shippingCount").asInt()).isPositive();
        int units = 0;
        for (JsonNode i : sheet.get("orderItems")) {
            units += i.get("shippingCount").asInt();
        }
        assertThat(units).isEqualTo(order.itemCount());
    }

    @Test
    void a_signature_without_spaces_after_the_commas_is_accepted() {
        CoupangWing wing = start();
        CoupangCredentials c = market.coupangCredentials("S1");
        String path = wing.vendorPath("/ordersheets");
        String query = DAYS + "&status=ACCEPT";
        String compact = CoupangWing.authorization(c.accessKey(), c.secretKey(), CoupangWing.signedDate(T0), "GET", path, query)
                .replace(", ", ",");

        assertThat(wing.send("GET", path, query, null, compact).status()).isEqualTo(200);
    }

    @Test
    void every_gateway_refusal_has_its_documented_401_message() {
        // GIVEN a vendor's genuine credentials
        CoupangWing wing = start();
        CoupangCredentials c = market.coupangCredentials("S1");
        String path = wing.vendorPath("/ordersheets");
        String query = "createdAtFrom=2026-11-20&createdAtTo=2026-11-21&status=ACCEPT";
        String now = CoupangWing.signedDate(T0);

        // WHEN requests are signed wrongly in each way
        MarketClient.Reply wrongSecret = wing.send("GET", path, query, null,
                CoupangWing.authorization(c.accessKey(), "0".repeat(40), now, "GET", path, query));
        MarketClient.Reply signedWithQuestionMark = wing.send("GET", path, query, null,
                CoupangWing.authorization(c.accessKey(), c.secretKey(), now, "GET", path, "?" + query));
        MarketClient.Reply decodedQuery = wing.send("GET", path, "status=ACCEPT&x=%ED%95%9C", null,
                CoupangWing.authorization(c.accessKey(), c.secretKey(), now, "GET", path, "status=ACCEPT&x=한"));
        MarketClient.Reply stale = wing.send("GET", path, query, null, CoupangWing.authorization(c.accessKey(), c.secretKey(),
                CoupangWing.signedDate(T0.minus(Duration.ofMinutes(5)).minusSeconds(1)), "GET", path, query));
        MarketClient.Reply future = wing.send("GET", path, query, null, CoupangWing.authorization(c.accessKey(), c.secretKey(),
                CoupangWing.signedDate(T0.plus(Duration.ofMinutes(5)).plusSeconds(1)), "GET", path, query));
        MarketClient.Reply skewedButFresh = wing.send("GET", path, query, null, CoupangWing.authorization(c.accessKey(), c.secretKey(),
                CoupangWing.signedDate(T0.minus(Duration.ofMinutes(4))), "GET", path, query));
        MarketClient.Reply unknownKey = wing.send("GET", path, query, null,
                CoupangWing.authorization("00000000-0000-4000-8000-000000000000", c.secretKey(), now, "GET", path, query));
        MarketClient.Reply noHeader = wing.send("GET", path, query, null, null);
        MarketClient.Reply noSignature = wing.send("GET", path, query, null,
                "CEA algorithm=HmacSHA256, access-key=" + c.accessKey() + ", signed-date=" + now);
        MarketClient.Reply badDate = wing.send("GET", path, query, null,
                CoupangWing.authorization(c.accessKey(), c.secretKey(), "2026-11-22T00:00:00Z", "GET", path, query));

        // THEN each is 401 with the gateway's body and its message
        assertThat(message(wrongSecret)).isEqualTo("Invalid signature.");
        assertThat(message(signedWithQuestionMark)).isEqualTo("Invalid signature.");
        assertThat(message(decodedQuery)).isEqualTo("Invalid signature.");
        assertThat(message(stale)).isEqualTo("Specified signature is expired.");
        assertThat(message(future)).isEqualTo("Specified signature is expired.");
        assertThat(skewedButFresh.status()).isEqualTo(200);
        assertThat(message(unknownKey)).isEqualTo("Unknown error occurred, please contact api-gateway channel for the details.");
        assertThat(message(noHeader)).isEqualTo("HMAC format is invalid.");
        assertThat(message(noSignature)).isEqualTo("HMAC format is invalid.");
        assertThat(message(badDate)).isEqualTo("HMAC format is invalid.");
        for (MarketClient.Reply r : List.of(wrongSecret, stale, unknownKey, noHeader)) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body().get("code").asText()).isEqualTo("ERROR");
            assertThat(r.body().get("transactionId").asText()).matches("[0-9a-f-]{36}");
        }
        // refused signatures are not the vendor's calls: they count against no budget
        assertThat(market.arrivals()).filteredOn(a -> a.status() == 401).noneMatch(Arrival::authenticated);
    }

    @Test
    void a_genuine_key_on_another_vendors_path_is_not_authorized_and_counts_against_its_own_vendor() {
        // GIVEN S1's key, and S2's vendorId in the path
        CoupangWing wing = start();
        String otherPath = CoupangWing.API + market.coupangCredentials("S2").vendorId() + "/ordersheets";
        CoupangCredentials c = market.coupangCredentials("S1");
        String query = DAYS + "&status=ACCEPT";

        // WHEN S1 signs a request for S2's ordersheets
        MarketClient.Reply r = wing.send("GET", otherPath, query, null,
                CoupangWing.authorization(c.accessKey(), c.secretKey(), CoupangWing.signedDate(T0), "GET", otherPath, query));

        // THEN 401 Request is not authorized, an arrival of S1 that counts
        assertThat(r.status()).isEqualTo(401);
        assertThat(message(r)).isEqualTo("Request is not authorized.");
        Arrival a = market.arrivals().get(0);
        assertThat(a.authenticated()).isTrue();
        assertThat(a.sellerId()).isEqualTo("S1");
    }

    @Test
    void a_source_address_off_the_allow_list_gets_403_not_allowed_ip() {
        CoupangWing wing = start(MarketPresets.coupangWing().sellers("S1").ipAllowList("10.0.0.1"));

        MarketClient.Reply r = wing.ordersheets(DAYS + "&status=ACCEPT");

        assertThat(r.status()).isEqualTo(403);
        assertThat(message(r)).contains("Not allowed IP");
    }

    @Test
    void the_eleventh_call_in_a_second_across_apis_is_429_and_starts_a_block_of_minutes() {
        // GIVEN the preset: 10 calls/s per vendor across every API, a 5-minute block after an excess
        CoupangWing wing = start();
        CoupangWing other = wing("S2");

        // WHEN S1 sends 10 calls of three APIs at one instant, then an 11th
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(wing.ordersheets(DAYS + "&status=ACCEPT").status());
            statuses.add(wing.get(wing.vendorPath("/ordersheets/600000000000000"), null).status());
        }
        statuses.add(wing.post(wing.vendorPath("/orders/invoices"), "{}").status());
        statuses.add(wing.post(wing.vendorPath("/orders/invoices"), "{}").status());
        MarketClient.Reply eleventh = wing.ordersheets(DAYS + "&status=ACCEPT");

        // THEN the 10 were served (200, 404, 400), the 11th is 429 Too Many Requests without Retry-After
        assertThat(statuses).doesNotContain(429);
        assertThat(eleventh.status()).isEqualTo(429);
        assertThat(message(eleventh)).isEqualTo("Too Many Requests");
        assertThat(eleventh.header("Retry-After")).isNull();
        // another vendor is not affected
        assertThat(other.ordersheets(DAYS + "&status=ACCEPT").status()).isEqualTo(200);
        // S1 stays blocked for 5 minutes although the window has long moved on
        clock.advance(Duration.ofSeconds(2));
        assertThat(wing.ordersheets(DAYS + "&status=ACCEPT").status()).isEqualTo(429);
        clock.advance(Duration.ofMinutes(5).minusSeconds(2).minusMillis(1));
        assertThat(wing.ordersheets(DAYS + "&status=ACCEPT").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(wing.ordersheets(DAYS + "&status=ACCEPT").status()).isEqualTo(200);
        // the market counts one call over its budget: the 11th
        assertThat(market.callsOverBudget("vendor")).isEqualTo(1);
        assertThat(market.arrivals()).extracting(Arrival::outcome).contains(Outcome.THROTTLED, Outcome.PENALIZED);
    }

    @Test
    void time_frame_search_returns_every_order_of_up_to_24_hours_without_paging() {
        CoupangWing wing = start();

        MarketClient.Reply r = wing.ordersheets("createdAtFrom=2026-11-20T09:00&createdAtTo=2026-11-21T09:00"
                + "&searchType=timeFrame&status=INSTRUCT");
        clock.advance(Duration.ofMillis(100));
        MarketClient.Reply tooLong = wing.ordersheets("createdAtFrom=2026-11-20T09:00&createdAtTo=2026-11-21T09:01"
                + "&searchType=timeFrame&status=INSTRUCT");

        Set<String> truth = new HashSet<>(market.orders("S1", Instant.parse("2026-11-20T00:00:00Z"), Instant.parse("2026-11-21T00:00:00Z"))
                .stream().filter(o -> o.status().equals("INSTRUCT")).map(Order::orderId).toList());
        Set<String> got = new HashSet<>();
        r.body().get("data").forEach(s -> got.add(s.get("orderId").asText()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(got).hasSizeGreaterThan(50).isEqualTo(truth);
        assertThat(r.body().get("nextToken").asText()).isEmpty();
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(message(tooLong)).startsWith("[code: VALIDATION , error : ").contains("24 hours");
    }

    @Test
    void bad_parameters_get_400_validation_naming_the_parameter() {
        CoupangWing wing = start();

        MarketClient.Reply noStatus = paced(() -> wing.ordersheets(DAYS));
        MarketClient.Reply twoStatuses = paced(() -> wing.ordersheets(DAYS + "&status=ACCEPT,INSTRUCT"));
        MarketClient.Reply badDate = paced(() -> wing.ordersheets("createdAtFrom=2026-11-20T00:00&createdAtTo=2026-11-21&status=ACCEPT"));
        MarketClient.Reply tooLong = paced(() -> wing.ordersheets("createdAtFrom=2026-10-01&createdAtTo=2026-11-02&status=ACCEPT"));
        MarketClient.Reply longest = paced(() -> wing.ordersheets("createdAtFrom=2026-10-01&createdAtTo=2026-11-01&status=ACCEPT"));
        MarketClient.Reply bigPage = paced(() -> wing.ordersheets(DAYS + "&maxPerPage=51&status=ACCEPT"));
        MarketClient.Reply foreignToken = paced(() -> wing.ordersheets(DAYS + "&nextToken=123&status=ACCEPT"));

        assertThat(List.of(noStatus, twoStatuses, badDate, tooLong, bigPage, foreignToken)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(message(r)).startsWith("[code: VALIDATION , error : ");
        });
        assertThat(message(noStatus)).contains("status");
        assertThat(message(badDate)).contains("createdAtFrom");
        assertThat(message(tooLong)).contains("31 days");
        assertThat(longest.status()).isEqualTo(200);
        assertThat(message(bigPage)).contains("maxPerPage");
        assertThat(message(foreignToken)).contains("nextToken");
    }

    @Test
    void an_invoice_ships_an_instruct_box_once_and_a_second_upload_is_refused_as_the_faq_shows() {
        // GIVEN an INSTRUCT box and an ACCEPT box
        CoupangWing wing = start();
        String vendorId = market.coupangCredentials("S1").vendorId();
        JsonNode instruct = wing.ordersheets(DAYS + "&status=INSTRUCT").body().get("data").get(0);
        JsonNode accept = paced(() -> wing.ordersheets(DAYS + "&status=ACCEPT")).body().get("data").get(0);
        String invoices = wing.vendorPath("/orders/invoices");

        // WHEN an invoice is uploaded for each, and the first again
        MarketClient.Reply first = paced(() -> wing.post(invoices, CoupangWing.invoiceBody(vendorId, instruct, "340000000001")));
        MarketClient.Reply again = paced(() -> wing.post(invoices, CoupangWing.invoiceBody(vendorId, instruct, "340000000002")));
        MarketClient.Reply notYet = paced(() -> wing.post(invoices, CoupangWing.invoiceBody(vendorId, accept, "340000000003")));
        MarketClient.Reply reread = paced(() -> wing.get(wing.vendorPath("/ordersheets/" + instruct.get("shipmentBoxId").asText()), null));

        // THEN the first succeeds, the repeat and the ACCEPT box fail per box with INVALID_STATUS, HTTP 200 each
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("code").asText()).isEqualTo("200");
        assertThat(first.body().at("/data/responseCode").asInt()).isZero();
        assertThat(first.body().at("/data/responseMessage").asText()).isEqualTo("SUCCESS");
        assertThat(first.body().at("/data/responseList/0/succeed").asBoolean()).isTrue();
        assertThat(first.body().at("/data/responseList/0/resultCode").asText()).isEqualTo("OK");
        assertThat(again.body().at("/data/responseCode").asInt()).isEqualTo(99);
        assertThat(again.body().at("/data/responseList/0/resultCode").asText()).isEqualTo("INVALID_STATUS");
        assertThat(again.body().at("/data/responseList/0/resultMessage").asText()).isEqualTo("shipmentBoxId ("
                + instruct.get("shipmentBoxId").asText() + ")'s status [DEPARTURE] is not suitable for applyInvoice. "
                + "Only INSTRUCT status shipment can be called with applyInvoice");
        assertThat(notYet.body().at("/data/responseList/0/resultMessage").asText()).contains("[ACCEPT]");
        // one shipment recorded, the box now reads DEPARTURE with its invoice
        assertThat(market.shipments()).singleElement().satisfies(s -> {
            assertThat(s.orderId()).isEqualTo(instruct.get("orderId").asText());
            assertThat(s.trackingNumber()).isEqualTo("340000000001");
            assertThat(s.carrier()).isEqualTo("CJGLS");
        });
        assertThat(reread.body().at("/data/status").asText()).isEqualTo("DEPARTURE");
        assertThat(reread.body().at("/data/invoiceNumber").asText()).isEqualTo("340000000001");
        assertThat(market.arrivals(Endpoint.CREATE_SHIPMENT)).extracting(Arrival::outcome)
                .containsExactly(Outcome.CREATED, Outcome.DUPLICATE, Outcome.OK);
    }

    @Test
    void invoice_bodies_are_validated_field_by_field() {
        CoupangWing wing = start();
        String vendorId = market.coupangCredentials("S1").vendorId();
        String invoices = wing.vendorPath("/orders/invoices");

        MarketClient.Reply noDtos = paced(() -> wing.post(invoices, "{\"vendorId\":\"" + vendorId + "\"}"));
        MarketClient.Reply otherVendor = paced(() -> wing.post(invoices, "{\"vendorId\":\"A00000000\",\"orderSheetInvoiceApplyDtos\":[]}"));
        MarketClient.Reply noInvoice = paced(() -> wing.post(invoices, "{\"vendorId\":\"" + vendorId + "\",\"orderSheetInvoiceApplyDtos\":"
                + "[{\"shipmentBoxId\":1,\"orderId\":2,\"vendorItemId\":3,\"deliveryCompanyCode\":\"CJGLS\",\"splitShipping\":false,"
                + "\"preSplitShipped\":false}]}"));
        MarketClient.Reply unknownBox = paced(() -> wing.post(invoices, "{\"vendorId\":\"" + vendorId + "\",\"orderSheetInvoiceApplyDtos\":"
                + "[{\"shipmentBoxId\":600000000000000,\"orderId\":100000000000000,\"vendorItemId\":3,\"deliveryCompanyCode\":\"CJGLS\","
                + "\"invoiceNumber\":\"1\",\"splitShipping\":false,\"preSplitShipped\":false,\"estimatedShippingDate\":\"\"}]}"));

        assertThat(message(noDtos)).contains("orderSheetInvoiceApplyDtos");
        assertThat(message(otherVendor)).contains("vendorId");
        assertThat(message(noInvoice)).contains("orderSheetInvoiceApplyDtos[0].invoiceNumber");
        assertThat(unknownBox.status()).isEqualTo(200);
        assertThat(unknownBox.body().at("/data/responseList/0/resultCode").asText()).isEqualTo("NOT_FOUND_SHIPMENT_BOX");
        assertThat(market.shipments()).isEmpty();
    }

    @Test
    void reset_forgets_shipments_arrivals_and_blocks_but_keeps_the_credentials() {
        CoupangWing wing = start();
        CoupangCredentials before = market.coupangCredentials("S1");
        for (int i = 0; i < 11; i++) {
            wing.ordersheets(DAYS + "&status=ACCEPT");
        }

        market.reset();

        assertThat(market.arrivals()).isEmpty();
        assertThat(market.coupangCredentials("S1")).isEqualTo(before);
        assertThat(wing.ordersheets(DAYS + "&status=ACCEPT").status()).isEqualTo(200);
    }

    private static String message(MarketClient.Reply r) {
        return r.body().get("message").asText();
    }
}
