package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Naver Commerce's protocol over real HTTP: tokens, the gateway's refusals and limits, the order APIs. */
class NaverProtocolTest extends SimFixture {

    /** 24 hours of orders before T0. */
    private static final Instant FROM = T0.minus(Duration.ofHours(24));

    private SimulatedMarket market;

    private NaverCommerce start(MarketConfig.Builder config) {
        start(config.build());
        market = sim.market("naver");
        return naver("S1");
    }

    private NaverCommerce start() {
        return start(MarketPresets.naverCommerce().sellers("S1", "S2"));
    }

    private NaverCommerce naver(String seller) {
        return new NaverCommerce(sim.baseUrl("naver"), market.naverCredentials(seller), clock);
    }

    private static String since(Instant from) {
        return "lastChangedFrom=" + NaverCommerce.kst(from);
    }

    @Test
    void credentials_are_an_app_per_seller_with_a_bcrypt_salt_as_secret() {
        start();
        NaverCredentials c = market.naverCredentials("S1");

        assertThat(c.clientId()).matches("[0-9A-Za-z]{22}");
        assertThat(c.clientSecret()).matches("\\$2a\\$10\\$[./A-Za-z0-9]{22}");
        assertThat(c.type()).isEqualTo("SELF");
        assertThat(c.accountId()).isNull();
        assertThat(market.naverCredentials("S2").clientId()).isNotEqualTo(c.clientId());
        assertThat(c.toString()).doesNotContain(c.clientSecret());
    }

    @Test
    void a_standard_token_request_gets_a_3_hour_bearer_token_that_is_served_again_while_30_minutes_are_left() {
        // GIVEN an app
        NaverCommerce naver = start();

        // WHEN it asks for tokens now, 2.5 h later, and a minute after that
        MarketClient.Reply first = naver.token();
        clock.advance(Duration.ofMinutes(150));
        MarketClient.Reply reserved = naver.token();
        clock.advance(Duration.ofMinutes(1));
        MarketClient.Reply renewed = naver.token();

        // THEN the first has 10800 s, the same token comes back with 30 min left, then a new one
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("expires_in").asLong()).isEqualTo(10_800);
        assertThat(first.body().get("token_type").asText()).isEqualTo("Bearer");
        String token = first.body().get("access_token").asText();
        assertThat(reserved.body().get("access_token").asText()).isEqualTo(token);
        assertThat(reserved.body().get("expires_in").asLong()).isEqualTo(1_800);
        assertThat(renewed.body().get("access_token").asText()).isNotEqualTo(token);
        // the old token stays valid until it expires, then 401
        assertThat(naver.lastChanged(token, since(FROM)).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(29));
        assertThat(naver.lastChanged(token, since(FROM)).status()).isEqualTo(401);
        assertThat(naver.lastChanged(renewed.body().get("access_token").asText(), since(FROM)).status()).isEqualTo(200);
        // every request was counted, two of them issued tokens, none was non-standard
        assertThat(market.tokenRequests()).hasSize(3).allMatch(t -> t.sellerId().equals("S1") && t.nonStandard().isEmpty());
        assertThat(market.tokenRequests()).filteredOn(TokenRequest::issued).hasSize(2);
        assertThat(market.tokenRequests("S1")).isEqualTo(3);
        assertThat(market.quotaPenalties()).isEmpty();
    }

    @Test
    void a_url_safe_sign_is_accepted_too() {
        NaverCommerce naver = start();
        Map<String, String> p = naver.tokenParams();
        p.put("client_secret_sign", Base64.getUrlEncoder().encodeToString(Base64.getDecoder().decode(p.get("client_secret_sign"))));

        assertThat(naver.token(p).status()).isEqualTo(200);
    }

    @Test
    void a_wrong_sign_or_a_stale_or_future_timestamp_gets_400_with_the_documented_messages() {
        // GIVEN an app
        NaverCommerce naver = start();
        NaverCredentials c = market.naverCredentials("S1");
        long now = naver.nowMillis();

        // WHEN it signs with another app's secret, or with a timestamp 5 min + 1 ms old, or 1 ms ahead
        Map<String, String> wrong = naver.tokenParams();
        wrong.put("client_secret_sign", NaverCommerce.sign(c.clientId(), market.naverCredentials("S2").clientSecret(), now));
        Map<String, String> stale = naver.tokenParams();
        long old = now - Duration.ofMinutes(5).toMillis() - 1;
        stale.put("timestamp", Long.toString(old));
        stale.put("client_secret_sign", NaverCommerce.sign(c.clientId(), c.clientSecret(), old));
        Map<String, String> future = naver.tokenParams();
        future.put("timestamp", Long.toString(now + 1));
        future.put("client_secret_sign", NaverCommerce.sign(c.clientId(), c.clientSecret(), now + 1));
        Map<String, String> unknownApp = naver.tokenParams();
        unknownApp.put("client_id", "nosuchapp0000000000000");

        MarketClient.Reply wrongSign = naver.token(wrong);
        MarketClient.Reply staleTs = naver.token(stale);
        MarketClient.Reply futureTs = naver.token(future);
        MarketClient.Reply unknown = naver.token(unknownApp);

        // THEN 400 with invalidInputs naming the field and Naver's messages
        assertThat(wrongSign.status()).isEqualTo(400);
        assertThat(wrongSign.body().at("/invalidInputs/0/name").asText()).isEqualTo("client_secret_sign");
        assertThat(staleTs.body().get("message").asText()).isEqualTo("timestamp항목의 유효 시간이 만료되었습니다.");
        assertThat(futureTs.body().get("message").asText()).isEqualTo("timestamp 항목은 현재 이전이어야 합니다.");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().at("/invalidInputs/0/name").asText()).isEqualTo("client_id");
        assertThat(List.of(wrongSign, staleTs, futureTs)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().has("timestamp")).isTrue();
            assertThat(r.header("GNCP-GW-Trace-ID")).isNotBlank();
        });
        assertThat(market.tokenRequests()).hasSize(3).noneMatch(TokenRequest::issued);
    }

    @Test
    void a_token_request_with_its_parameters_in_the_query_string_works_but_cuts_the_app_to_one_call_per_hour() {
        // GIVEN two apps
        NaverCommerce naver = start();
        NaverCommerce other = naver("S2");
        String otherToken = other.accessToken();

        // WHEN S1 asks for its token the 2022 way, parameters in the query string
        MarketClient.Reply token = NaverCommerce.send(HttpRequest.newBuilder(URI.create(sim.baseUrl("naver")
                + "/external/v1/oauth2/token?" + NaverCommerce.form(naver.tokenParams())))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()).build());
        String t = token.body().get("access_token").asText();
        MarketClient.Reply firstCall = naver.lastChanged(t, since(FROM));
        clock.advance(Duration.ofSeconds(10));
        MarketClient.Reply secondCall = naver.lastChanged(t, since(FROM));

        // THEN the token is issued, the app is marked, its first call passes and the next gets GW.QUOTA_LIMIT
        assertThat(token.status()).isEqualTo(200);
        assertThat(market.quotaPenalties()).containsOnlyKeys(market.naverCredentials("S1").clientId());
        assertThat(market.tokenRequests().get(1).nonStandard()).containsExactly("parameters in the query string");
        assertThat(firstCall.status()).isEqualTo(200);
        assertThat(firstCall.header("GNCP-GW-Quota-Remaining")).isEqualTo("0");
        assertThat(secondCall.status()).isEqualTo(429);
        assertThat(secondCall.body().get("code").asText()).isEqualTo("GW.QUOTA_LIMIT");
        assertThat(secondCall.header("GNCP-GW-Quota-Period")).isEqualTo("HOURS");
        assertThat(secondCall.header("GNCP-GW-Quota-Limit")).isEqualTo("1");
        assertThat(secondCall.header("GNCP-GW-Quota-Remaining")).isEqualTo("0");
        // the other app is not affected; an hour after its first call, S1 may call once more
        assertThat(other.lastChanged(otherToken, since(FROM)).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(60).minusSeconds(10));
        assertThat(naver.lastChanged(t, since(FROM)).status()).isEqualTo(200);
        assertThat(naver.lastChanged(t, since(FROM)).status()).isEqualTo(429);
    }

    @Test
    void every_kind_of_non_standard_token_request_is_recorded_and_marks_its_app() {
        // GIVEN three apps
        NaverCommerce s1 = start(MarketPresets.naverCommerce().sellers("S1", "S2", "S3"));
        NaverCommerce s2 = naver("S2");
        NaverCommerce s3 = naver("S3");

        // WHEN S1 omits grant_type, S2 adds account_id to SELF, S3 posts JSON
        Map<String, String> noGrant = s1.tokenParams();
        noGrant.remove("grant_type");
        Map<String, String> selfWithAccount = s2.tokenParams();
        selfWithAccount.put("account_id", "ncp_someone");
        StringBuilder json = new StringBuilder("{");
        s3.tokenParams().forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
        json.append('}');
        MarketClient.Reply a = s1.token(noGrant);
        MarketClient.Reply b = s2.token(selfWithAccount);
        MarketClient.Reply c = NaverCommerce.send(HttpRequest.newBuilder(URI.create(sim.baseUrl("naver") + "/external/v1/oauth2/token"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json.toString())).build());

        // THEN each is still answered with a token, and each app is marked for its reason
        assertThat(List.of(a, b, c)).allSatisfy(r -> assertThat(r.status()).as(r.body().toString()).isEqualTo(200));
        assertThat(market.tokenRequests()).extracting(TokenRequest::nonStandard).containsExactly(
                List.of("no grant_type"), List.of("account_id with type SELF"),
                List.of("a body of Content-Type application/json, not application/x-www-form-urlencoded"));
        assertThat(market.quotaPenalties()).hasSize(3);
    }

    @Test
    void the_quota_starts_after_the_configured_delay() {
        NaverCommerce naver = start(MarketPresets.naverCommerce().sellers("S1").quotaPenaltyDelay(Duration.ofDays(1)));
        Map<String, String> noGrant = naver.tokenParams();
        noGrant.remove("grant_type");
        String t = naver.token(noGrant).body().get("access_token").asText();

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(naver.lastChanged(t, since(FROM)).status()).isEqualTo(200);
        }
        assertThat(market.quotaPenalties()).containsValue(T0.plus(Duration.ofDays(1)));
        clock.advance(Duration.ofDays(1));
        String fresh = naver.accessToken();
        assertThat(naver.lastChanged(fresh, since(FROM)).status()).isEqualTo(200);
        assertThat(naver.lastChanged(fresh, since(FROM)).status()).isEqualTo(429);
    }

    @Test
    void a_missing_unknown_revoked_or_expired_token_gets_401_gw_authn() {
        // GIVEN a token
        NaverCommerce naver = start();
        String token = naver.accessToken();

        MarketClient.Reply missing = naver.lastChanged(null, since(FROM));
        MarketClient.Reply unknown = naver.lastChanged("not-a-token", since(FROM));
        MarketClient.Reply valid = naver.lastChanged(token, since(FROM));
        market.revokeTokens();
        MarketClient.Reply revoked = naver.lastChanged(token, since(FROM));
        String fresh = naver.accessToken();

        assertThat(valid.status()).isEqualTo(200);
        assertThat(List.of(missing, unknown, revoked)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body().get("code").asText()).isEqualTo("GW.AUTHN");
            assertThat(r.body().get("message").asText()).isEqualTo("요청을 보낼 권한이 없습니다.");
            assertThat(r.body().get("traceId").asText()).isEqualTo(r.header("GNCP-GW-Trace-ID"));
            assertThat(r.body().get("timestamp").asText()).endsWith("+09:00");
        });
        // after a revocation the app gets a new token, not the revoked one
        assertThat(fresh).isNotEqualTo(token);
        assertThat(naver.lastChanged(fresh, since(FROM)).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(3));
        assertThat(naver.lastChanged(fresh, since(FROM)).status()).isEqualTo(401);
    }

    @Test
    void an_address_off_the_allow_list_gets_a_token_but_403_gw_ip_not_allowed_on_the_apis() {
        NaverCommerce naver = start(MarketPresets.naverCommerce().sellers("S1").ipAllowList("10.0.0.1"));

        String token = naver.accessToken();
        MarketClient.Reply r = naver.lastChanged(token, since(FROM));

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("code").asText()).isEqualTo("GW.IP_NOT_ALLOWED");
        assertThat(r.body().get("message").asText()).isEqualTo("호출이 허용되지 않은 IP입니다.");
    }

    @Test
    void the_token_endpoint_can_be_guarded_by_the_allow_list_too() {
        NaverCommerce naver = start(MarketPresets.naverCommerce().sellers("S1").ipAllowList("10.0.0.1").ipAllowListOnToken(true));

        MarketClient.Reply r = naver.token();

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("code").asText()).isEqualTo("GW.IP_NOT_ALLOWED");
    }

    @Test
    void each_api_has_a_bucket_of_4_refilled_2_per_second_per_app() {
        // GIVEN a token
        NaverCommerce naver = start();
        String token = naver.accessToken();

        // WHEN 5 calls of one API arrive at one instant
        List<MarketClient.Reply> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(naver.lastChanged(token, since(FROM)));
        }

        // THEN 4 pass with the remaining count going down, the 5th is GW.RATE_LIMIT with the bucket's headers
        assertThat(burst).extracting(MarketClient.Reply::status).containsExactly(200, 200, 200, 200, 429);
        assertThat(burst).extracting(r -> r.header("GNCP-GW-RateLimit-Remaining")).containsExactly("3", "2", "1", "0", "0");
        MarketClient.Reply refused = burst.get(4);
        assertThat(refused.body().get("code").asText()).isEqualTo("GW.RATE_LIMIT");
        assertThat(refused.body().get("message").asText()).isEqualTo("요청이 많아 서비스를 일시적으로 사용할 수 없습니다.");
        assertThat(refused.header("GNCP-GW-RateLimit-Replenish-Rate")).isEqualTo("2");
        assertThat(refused.header("GNCP-GW-RateLimit-Burst-Capacity")).isEqualTo("4");
        assertThat(refused.header("Retry-After")).isNull();
        // another API of the same app has its own bucket, and another app its own
        assertThat(naver.post(token, "query", "{\"productOrderIds\":[\"200000000000000\"]}").status()).isEqualTo(200);
        NaverCommerce other = naver("S2");
        assertThat(other.lastChanged(other.accessToken(), since(FROM)).status()).isEqualTo(200);
        // half a second refills one call
        clock.advance(Duration.ofMillis(500));
        assertThat(naver.lastChanged(token, since(FROM)).status()).isEqualTo(200);
        assertThat(naver.lastChanged(token, since(FROM)).status()).isEqualTo(429);
        assertThat(market.callsOverBudget("api")).isEqualTo(2);
    }

    @Test
    void paging_with_more_from_and_more_sequence_yields_exactly_the_markets_orders() {
        // GIVEN 24 hours of orders
        NaverCommerce naver = start();
        String token = naver.accessToken();
        String to = "&lastChangedTo=" + NaverCommerce.kst(T0);

        // WHEN a collector pages with limitCount 40, moving lastChangedFrom to moreFrom with moreSequence
        List<String> collected = new ArrayList<>();
        String query = since(FROM) + to + "&limitCount=40";
        int pages = 0;
        while (true) {
            clock.advance(Duration.ofMillis(500));
            MarketClient.Reply page = naver.lastChanged(token, query);
            assertThat(page.status()).as(String.valueOf(page.body())).isEqualTo(200);
            JsonNode data = page.body().get("data");
            data.get("lastChangeStatuses").forEach(s -> collected.add(s.get("productOrderId").asText()));
            assertThat(data.get("count").asInt()).isEqualTo(data.get("lastChangeStatuses").size());
            pages++;
            if (!data.has("more")) {
                break;
            }
            query = "lastChangedFrom=" + URLEncoder.encode(data.at("/more/moreFrom").asText(), StandardCharsets.UTF_8) + to
                    + "&limitCount=40&moreSequence=" + data.at("/more/moreSequence").asText();
        }

        // THEN every product order of the market's, once
        List<String> truth = market.orders("S1", FROM, T0).stream().map(Order::orderId).toList();
        assertThat(truth).hasSizeGreaterThan(100);
        assertThat(collected).containsExactlyElementsOf(truth);
        assertThat(pages).isGreaterThan(3);
        assertThat(market.callsOverBudget()).isZero();
    }

    @Test
    void a_change_is_rendered_in_navers_shapes_with_kst_millisecond_times() {
        NaverCommerce naver = start();
        JsonNode first = naver.lastChanged(naver.accessToken(), since(FROM) + "&limitCount=1").body().at("/data/lastChangeStatuses/0");
        Order order = market.orders("S1", FROM, T0).get(0);

        assertThat(first.get("productOrderId").asText()).isEqualTo(order.orderId());
        assertThat(first.get("lastChangedDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+09:00");
        assertThat(Instant.from(java.time.OffsetDateTime.parse(first.get("lastChangedDate").asText()))).isEqualTo(order.updatedAt());
        assertThat(first.get("productOrderStatus").asText()).isEqualTo(order.status());
        assertThat(first.get("orderId").asText()).isNotEqualTo(order.orderId()).hasSize(15);
    }

    @Test
    void bad_list_parameters_get_400_with_invalid_inputs_naming_them() {
        NaverCommerce naver = start();
        String token = naver.accessToken();

        MarketClient.Reply tooLong = naver.lastChanged(token, since(FROM) + "&lastChangedTo=" + NaverCommerce.kst(FROM.plus(Duration.ofHours(24)).plusMillis(1)));
        clock.advance(Duration.ofSeconds(1));
        MarketClient.Reply unencodedPlus = naver.lastChanged(token, "lastChangedFrom=2026-11-21T09:00:00.000+09:00");
        MarketClient.Reply bigLimit = naver.lastChanged(token, since(FROM) + "&limitCount=301");
        MarketClient.Reply badType = naver.lastChanged(token, since(FROM) + "&lastChangedType=SHIPPED");

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().at("/invalidInputs/0/name").asText()).isEqualTo("lastChangedTo");
        assertThat(unencodedPlus.body().at("/invalidInputs/0/name").asText()).isEqualTo("lastChangedFrom");
        assertThat(bigLimit.body().at("/invalidInputs/0/name").asText()).isEqualTo("limitCount");
        assertThat(badType.body().at("/invalidInputs/0/name").asText()).isEqualTo("lastChangedType");
    }

    @Test
    void query_returns_the_details_of_the_sellers_own_product_orders_only() {
        NaverCommerce naver = start();
        String token = naver.accessToken();
        List<Order> own = market.orders("S1", FROM, T0).subList(0, 3);
        String foreign = market.orders("S2", FROM, T0).get(0).orderId();

        MarketClient.Reply r = naver.post(token, "query", "{\"productOrderIds\":[\"%s\",\"%s\",\"%s\",\"%s\"]}"
                .formatted(own.get(0).orderId(), own.get(1).orderId(), own.get(2).orderId(), foreign));
        MarketClient.Reply empty = naver.post(token, "query", "{\"productOrderIds\":[]}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("data")).hasSize(3);
        JsonNode d = r.body().get("data").get(0);
        assertThat(d.at("/productOrder/productOrderId").asText()).isEqualTo(own.get(0).orderId());
        assertThat(d.at("/productOrder/quantity").asInt()).isEqualTo(own.get(0).itemCount());
        assertThat(d.at("/productOrder/shippingAddress/baseAddress").asText()).isNotBlank();
        assertThat(d.at("/order/orderDate").asText()).endsWith("+09:00");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().at("/invalidInputs/0/name").asText()).isEqualTo("productOrderIds");
    }

    @Test
    void dispatch_ships_payed_orders_once_and_answers_failures_per_item_with_http_200() {
        // GIVEN a PAYED and a DELIVERING product order of S1, and one of S2
        NaverCommerce naver = start();
        String token = naver.accessToken();
        List<Order> orders = market.orders("S1", FROM, T0);
        String payed = orders.stream().filter(o -> o.status().equals("PAYED")).findFirst().orElseThrow().orderId();
        String delivering = orders.stream().filter(o -> o.status().equals("DELIVERING")).findFirst().orElseThrow().orderId();
        String foreign = market.orders("S2", FROM, T0).get(0).orderId();

        // WHEN it dispatches the PAYED one, then all of them again with an unknown id
        MarketClient.Reply first = naver.post(token, "dispatch", dispatch(payed));
        MarketClient.Reply again = naver.post(token, "dispatch", dispatch(payed, delivering, foreign, "200000000000000"));
        MarketClient.Reply detail = naver.post(token, "query", "{\"productOrderIds\":[\"" + payed + "\"]}");

        // THEN one shipment; the repeat is 105306, the others 104442, 101009 and 100001
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().at("/data/successProductOrderIds/0").asText()).isEqualTo(payed);
        assertThat(first.body().at("/data/failProductOrderInfos")).isEmpty();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().at("/data/successProductOrderIds")).isEmpty();
        List<String> codes = new ArrayList<>();
        again.body().at("/data/failProductOrderInfos").forEach(f -> codes.add(f.get("productOrderId").asText() + " " + f.get("code").asText()));
        assertThat(codes).containsExactly(payed + " 105306", delivering + " 104442", foreign + " 101009", "200000000000000 100001");
        assertThat(market.shipments()).singleElement().satisfies(s -> {
            assertThat(s.orderId()).isEqualTo(payed);
            assertThat(s.carrier()).isEqualTo("CJGLS");
        });
        assertThat(detail.body().at("/data/0/productOrder/productOrderStatus").asText()).isEqualTo("DELIVERING");
        assertThat(detail.body().at("/data/0/delivery/trackingNumber").asText()).isEqualTo("T-" + payed);
        assertThat(market.arrivals(Endpoint.CREATE_SHIPMENT)).extracting(Arrival::outcome).containsExactly(Outcome.CREATED, Outcome.OK);
    }

    @Test
    void a_dispatch_without_a_tracking_number_is_400_naming_the_item_field() {
        NaverCommerce naver = start();
        MarketClient.Reply r = naver.post(naver.accessToken(), "dispatch", """
                {"dispatchProductOrders":[{"productOrderId":"200000000000000","deliveryMethod":"DELIVERY",
                "deliveryCompanyCode":"CJGLS","dispatchDate":"2026-11-22T09:00:00.000+09:00"}]}""");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().at("/invalidInputs/0/name").asText()).isEqualTo("dispatchProductOrders[0].trackingNumber");
    }

    @Test
    void a_solution_app_asks_for_seller_tokens_with_each_accounts_id() {
        // GIVEN one shared solution app
        NaverCommerce s1 = start(MarketPresets.naverCommerce().sellers("S1", "S2").naverApps(NaverApps.SOLUTION));
        NaverCredentials c1 = market.naverCredentials("S1");
        NaverCredentials c2 = market.naverCredentials("S2");

        // WHEN it gets a SELLER token for each account, and tries SELF
        String t1 = s1.accessToken();
        String t2 = naver("S2").accessToken();
        Map<String, String> self = s1.tokenParams();
        self.put("type", "SELF");
        self.remove("account_id");
        MarketClient.Reply selfToken = s1.token(self);

        // THEN one app, two accounts, two tokens that each see their own seller's orders
        assertThat(c1.clientId()).isEqualTo(c2.clientId());
        assertThat(c1.type()).isEqualTo("SELLER");
        assertThat(c1.accountId()).startsWith("ncp_").isNotEqualTo(c2.accountId());
        assertThat(t1).isNotEqualTo(t2);
        String first = s1.lastChanged(t1, since(FROM) + "&limitCount=1").body().at("/data/lastChangeStatuses/0/productOrderId").asText();
        assertThat(first).isEqualTo(market.orders("S1", FROM, T0).get(0).orderId());
        assertThat(selfToken.status()).isEqualTo(403);
        assertThat(market.tokenRequests("S2")).isEqualTo(1);
    }

    private static String dispatch(String... ids) {
        StringBuilder sb = new StringBuilder("{\"dispatchProductOrders\":[");
        for (int i = 0; i < ids.length; i++) {
            sb.append(i == 0 ? "" : ",").append("""
                    {"productOrderId":"%s","deliveryMethod":"DELIVERY","deliveryCompanyCode":"CJGLS","trackingNumber":"T-%s",
                    "dispatchDate":"2026-11-22T09:00:00.000+09:00"}""".formatted(ids[i], ids[i]));
        }
        return sb.append("]}").toString();
    }
}
