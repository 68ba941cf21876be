package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cafe24's Admin API over real HTTP: the consent flow, rotating refresh tokens, the mall's leaky bucket, orders and shipments. */
class Cafe24ProtocolTest extends SimFixture {

    private static final Instant FROM = T0.minus(Duration.ofHours(24));
    private static final String REDIRECT = "https://api.example.com/v1/connections/callback";

    private SimulatedMarket market;

    private Cafe24Admin start(MarketConfig.Builder config) {
        start(config.build());
        market = sim.market("cafe24");
        return mall("S1");
    }

    private Cafe24Admin start() {
        return start(MarketPresets.cafe24Admin().sellers("S1", "S2"));
    }

    private Cafe24Admin mall(String seller) {
        return new Cafe24Admin(market.mallBaseUrl(seller), market.cafe24Credentials(seller));
    }

    private String token(String seller) {
        return market.cafe24Credentials(seller).accessToken();
    }

    @Test
    void each_seller_has_a_mall_of_its_own_and_every_mall_has_the_markets_one_app_with_a_first_connection() {
        start();
        Cafe24Credentials s1 = market.cafe24Credentials("S1");
        Cafe24Credentials s2 = market.cafe24Credentials("S2");

        assertThat(s1.mallId()).matches("m[0-9a-z]{7}").isNotEqualTo(s2.mallId());
        assertThat(s1.clientId()).isEqualTo(s2.clientId()).matches("[0-9A-Za-z]{22}");
        assertThat(s1.accessTokenExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(s1.refreshTokenExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(14)));
        assertThat(s1.toString()).doesNotContain(s1.clientSecret()).doesNotContain(s1.accessToken()).doesNotContain(s1.refreshToken());
        assertThat(market.clientBaseUrlTemplate()).isEqualTo(sim.baseUrl("cafe24") + "/{mallId}/api/v2");
        assertThat(URI.create(market.clientBaseUrl()).getPath()).isEqualTo("/cafe24/{mallId}/api/v2");
    }

    @Test
    void the_consent_page_redirects_with_a_code_that_exchanges_once_for_a_2_hour_token_and_a_14_day_refresh_token() {
        // GIVEN a mall's owner on the consent page
        Cafe24Admin cafe24 = start();
        Cafe24Credentials c = market.cafe24Credentials("S1");

        // WHEN the page is opened and agreed to
        HttpResponse<String> consent = cafe24.authorize("response_type=code&client_id=" + c.clientId() + "&state=st-1&redirect_uri="
                + Cafe24Admin.encode(REDIRECT) + "&scope=mall.read_order,mall.write_order");

        // THEN the browser goes back to the redirect URI with a code and the state
        assertThat(consent.statusCode()).isEqualTo(302);
        String location = consent.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=st-1");
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));

        // AND the code exchanges (Basic auth, a form body) for a pair, once
        Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
        MarketClient.Reply pair = cafe24.token(form);
        assertThat(pair.status()).isEqualTo(200);
        assertThat(pair.body().get("expires_at").asText()).isEqualTo("2026-11-22T11:00:00.000");
        assertThat(pair.body().get("refresh_token_expires_at").asText()).isEqualTo("2026-12-06T09:00:00.000");
        assertThat(pair.body().get("mall_id").asText()).isEqualTo(c.mallId());
        assertThat(pair.body().get("scopes")).hasSize(2);
        MarketClient.Reply again = cafe24.token(form);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(market.invalidGrants()).isEqualTo(1);
        // AND the new token calls the admin API
        assertThat(cafe24.orders(pair.body().get("access_token").asText(), FROM, T0, "").status()).isEqualTo(200);
    }

    @Test
    void a_code_is_refused_after_a_minute_for_another_redirect_uri_or_on_another_mall() {
        Cafe24Admin cafe24 = start();
        String query = "response_type=code&client_id=" + market.cafe24Credentials("S1").clientId() + "&state=s&redirect_uri="
                + Cafe24Admin.encode(REDIRECT) + "&scope=mall.read_order";
        String late = code(cafe24.authorize(query));
        String elsewhere = code(cafe24.authorize(query));
        String otherUri = code(cafe24.authorize(query));

        clock.advance(Duration.ofSeconds(59));
        MarketClient.Reply wrongMall = mall("S2").token(Map.of("grant_type", "authorization_code", "code", elsewhere, "redirect_uri", REDIRECT));
        MarketClient.Reply wrongUri = cafe24.token(Map.of("grant_type", "authorization_code", "code", otherUri,
                "redirect_uri", "https://evil.example.com/cb"));
        clock.advance(Duration.ofSeconds(1));
        MarketClient.Reply expired = cafe24.token(Map.of("grant_type", "authorization_code", "code", late, "redirect_uri", REDIRECT));

        assertThat(List.of(wrongMall, wrongUri, expired)).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().get("error").asText()).isEqualTo("invalid_grant");
        });
        assertThat(wrongMall.body().get("error_description").asText()).contains("another mall");
        assertThat(expired.body().get("error_description").asText()).contains("expired");
    }

    @Test
    void a_refresh_token_works_once_and_its_reuse_is_invalid_grant() {
        // GIVEN the mall's first connection
        Cafe24Admin cafe24 = start();
        String first = market.cafe24Credentials("S1").refreshToken();

        // WHEN it is refreshed, then refreshed again with the same refresh token
        MarketClient.Reply rotated = cafe24.refresh(first);
        MarketClient.Reply reused = cafe24.refresh(first);

        // THEN the first refresh gives a new pair; the reuse is refused and counted
        assertThat(rotated.status()).isEqualTo(200);
        String next = rotated.body().get("refresh_token").asText();
        assertThat(next).isNotEqualTo(first);
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(market.invalidGrants()).isEqualTo(1);
        assertThat(market.currentRefreshToken("S1")).contains(next);
        // AND the new one works, once
        assertThat(cafe24.refresh(next).status()).isEqualTo(200);
        assertThat(market.tokenRequests("S1")).isEqualTo(3);
        assertThat(market.tokenRequests()).extracting(TokenRequest::type).containsOnly("refresh_token");
    }

    @Test
    void a_token_endpoint_that_fails_with_a_5xx_rotates_nothing() {
        Cafe24Admin cafe24 = start();
        String first = market.cafe24Credentials("S1").refreshToken();
        market.faults().failNext(1, 503);

        MarketClient.Reply failed = cafe24.refresh(first);
        MarketClient.Reply retried = cafe24.refresh(first);

        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.body().get("error").asText()).isEqualTo("server_error");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(market.invalidGrants()).isZero();
    }

    @Test
    void a_token_endpoint_outage_answers_every_token_request_until_restored_and_leaves_the_admin_api_alone() {
        // GIVEN the token endpoint down with 503
        Cafe24Admin cafe24 = start();
        String first = market.cafe24Credentials("S1").refreshToken();
        market.faults().failEndpoint(Endpoint.TOKEN, 503);

        // WHEN a refresh is tried twice and orders are listed meanwhile
        MarketClient.Reply down = cafe24.refresh(first);
        MarketClient.Reply stillDown = cafe24.refresh(first);
        MarketClient.Reply orders = cafe24.orders(token("S1"), FROM, T0, "");
        market.faults().restoreEndpoint(Endpoint.TOKEN);
        MarketClient.Reply back = cafe24.refresh(first);

        // THEN every token request failed without rotating, the Admin API answered, and after the outage the same refresh
        // token works
        assertThat(down.status()).isEqualTo(503);
        assertThat(stillDown.status()).isEqualTo(503);
        assertThat(orders.status()).isEqualTo(200);
        assertThat(back.status()).isEqualTo(200);
        assertThat(market.invalidGrants()).isZero();
    }

    @Test
    void invalid_grants_are_told_apart_by_cause_reuse_of_a_rotated_token_from_a_revoked_one() {
        // GIVEN S1's refresh token rotated once, and S2's owner removing the app
        Cafe24Admin s1 = start();
        Cafe24Admin s2 = mall("S2");
        String first = market.cafe24Credentials("S1").refreshToken();
        assertThat(s1.refresh(first).status()).isEqualTo(200);
        market.revokeTokens("S2");

        // WHEN S1's old refresh token is sent again and S2's is used after the revocation
        s1.refresh(first);
        s2.refresh(market.cafe24Credentials("S2").refreshToken());

        // THEN both are invalid_grant, one for reuse and one for the revocation
        assertThat(market.invalidGrants()).isEqualTo(2);
        assertThat(market.invalidGrantCauses()).containsExactlyInAnyOrderEntriesOf(
                Map.of("refresh_token:used", 1L, "refresh_token:revoked", 1L));
    }

    @Test
    void the_token_endpoint_wants_the_apps_client_and_a_form_body() {
        Cafe24Admin cafe24 = start();
        Cafe24Credentials c = market.cafe24Credentials("S1");

        MarketClient.Reply noClient = cafe24.token(Map.of("grant_type", "refresh_token", "refresh_token", c.refreshToken()), null);
        MarketClient.Reply wrongSecret = cafe24.token(Map.of("grant_type", "refresh_token", "refresh_token", c.refreshToken()),
                "Basic " + java.util.Base64.getEncoder().encodeToString((c.clientId() + ":nope").getBytes()));
        Map<String, String> inBody = new LinkedHashMap<>(Map.of("grant_type", "refresh_token", "refresh_token", c.refreshToken()));
        inBody.put("client_id", c.clientId());
        inBody.put("client_secret", c.clientSecret());
        MarketClient.Reply clientInBody = cafe24.token(inBody, null);

        assertThat(noClient.status()).isEqualTo(401);
        assertThat(noClient.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(clientInBody.status()).as("newer docs allow the client in the body").isEqualTo(200);
    }

    @Test
    void an_access_token_expires_after_2_hours_and_works_only_on_its_own_mall_until_its_owner_revokes_the_app() {
        Cafe24Admin s1 = start();
        Cafe24Admin s2 = mall("S2");

        MarketClient.Reply foreign = s2.orders(token("S1"), FROM, T0, "");
        MarketClient.Reply fresh = s1.orders(token("S1"), FROM, T0, "");
        clock.advance(Duration.ofHours(2));
        MarketClient.Reply expired = s1.orders(token("S1"), FROM, T0, "");
        market.revokeTokens("S2");
        MarketClient.Reply revoked = s2.orders(token("S2"), FROM, T0, "");
        MarketClient.Reply revokedRefresh = s2.refresh(market.cafe24Credentials("S2").refreshToken());

        assertThat(foreign.status()).isEqualTo(401);
        assertThat(foreign.body().at("/error/message").asText()).isEqualTo("Invalid access_token");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().at("/error/message").asText()).isEqualTo("access_token time expired. (invalid_token)");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revokedRefresh.body().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void forced_expiry_ends_access_tokens_now_and_keeps_refresh_tokens() {
        Cafe24Admin cafe24 = start();
        market.expireAccessTokens();

        assertThat(cafe24.orders(token("S1"), FROM, T0, "").status()).isEqualTo(401);
        assertThat(cafe24.refresh(market.cafe24Credentials("S1").refreshToken()).status()).isEqualTo(200);
        market.expireRefreshTokens("S2");
        assertThat(mall("S2").refresh(market.cafe24Credentials("S2").refreshToken()).body().get("error_description").asText())
                .contains("expired");
    }

    @Test
    void another_apps_calls_fill_the_malls_bucket_and_show_in_our_answers_without_being_our_arrivals() {
        // GIVEN a mall whose bucket is empty
        Cafe24Admin cafe24 = start();

        // WHEN another app installed on the mall makes 38 calls, then 5 more
        int made = market.otherAppCalls("S1", 38);
        int more = market.otherAppCalls("S1", 5);

        // THEN the bucket took 40 of them; our next call is refused at 40/40, another mall's is not affected
        assertThat(made).isEqualTo(38);
        assertThat(more).isEqualTo(2);
        MarketClient.Reply ours = cafe24.get(token("S1"), "/admin/orders/20261121-0000999");
        assertThat(ours.status()).isEqualTo(429);
        assertThat(ours.header("X-Api-Call-Limit")).isEqualTo("40/40");
        assertThat(mall("S2").get(token("S2"), "/admin/orders/20261121-0000999").header("X-Api-Call-Limit")).isEqualTo("1/40");
        // AND only our calls are arrivals
        assertThat(market.arrivals()).hasSize(2);
        assertThatThrownBy(() -> market.otherAppCalls("S9", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_bucket_holds_40_calls_per_mall_drains_2_per_second_and_every_answer_says_its_level() {
        // GIVEN a mall whose bucket is empty
        Cafe24Admin cafe24 = start();
        List<String> levels = new ArrayList<>();

        // WHEN 41 calls arrive at one instant
        for (int i = 0; i < 40; i++) {
            MarketClient.Reply r = cafe24.get(token("S1"), "/admin/orders/20261121-0000999");
            levels.add(r.header("X-Api-Call-Limit"));
        }
        MarketClient.Reply over = cafe24.get(token("S1"), "/admin/orders/20261121-0000999");
        MarketClient.Reply otherMall = mall("S2").get(token("S2"), "/admin/orders/20261121-0000999");
        clock.advance(Duration.ofMillis(500));
        MarketClient.Reply drained = cafe24.get(token("S1"), "/admin/orders/20261121-0000999");

        // THEN the first 40 fill it, the 41st is 429 at 40/40, another mall has its own, and half a second makes room
        assertThat(levels.get(0)).isEqualTo("1/40");
        assertThat(levels.get(39)).isEqualTo("40/40");
        assertThat(over.status()).isEqualTo(429);
        assertThat(over.header("X-Api-Call-Limit")).isEqualTo("40/40");
        assertThat(over.body().at("/error/code").asInt()).isEqualTo(429);
        assertThat(otherMall.header("X-Api-Call-Limit")).isEqualTo("1/40");
        assertThat(drained.status()).isEqualTo(404);
        assertThat(drained.header("X-Api-Call-Limit")).isEqualTo("40/40");
        assertThat(drained.header("X-Cafe24-Call-Usage")).isEqualTo("1.37");
        assertThat(market.callsOverBudget()).as("the 41st call").isEqualTo(1);
    }

    @Test
    void orders_page_by_limit_and_offset_by_payment_date_exactly_as_the_market_holds_them() {
        Cafe24Admin cafe24 = start(MarketPresets.cafe24Admin().sellers("S1").ordersPerHour(40));
        List<Order> expected = market.orders("S1", FROM, T0);
        List<String> seen = new ArrayList<>();
        int offset = 0;
        JsonNode page;
        do {
            MarketClient.Reply r = cafe24.orders(token("S1"), FROM, T0.minusSeconds(1),
                    "&date_type=pay_date&limit=100&offset=" + offset + "&embed=items,receivers");
            assertThat(r.status()).isEqualTo(200);
            page = r.body();
            page.get("orders").forEach(o -> seen.add(o.get("order_id").asText()));
            offset += 100;
        } while (page.has("links"));

        assertThat(seen).containsExactlyElementsOf(expected.stream().map(Order::orderId).toList());
        assertThat(expected).hasSizeGreaterThan(300);
        JsonNode one = page.get("orders").get(0);
        assertThat(one.get("order_id").asText()).matches("\\d{8}-00\\d{5}");
        assertThat(one.get("payment_date").asText()).endsWith("+09:00");
        assertThat(one.get("items").get(0).get("order_item_code").asText()).isEqualTo(one.get("order_id").asText() + "-01");
        assertThat(one.get("receivers")).hasSize(1);
    }

    @Test
    void paging_and_range_limits_are_refused_with_422_naming_the_parameter() {
        Cafe24Admin cafe24 = start();
        MarketClient.Reply bigLimit = cafe24.orders(token("S1"), FROM, T0, "&limit=1001");
        MarketClient.Reply farOffset = cafe24.orders(token("S1"), FROM, T0, "&offset=15001");
        MarketClient.Reply maxOffset = cafe24.orders(token("S1"), FROM, T0, "&offset=15000&limit=1000");
        MarketClient.Reply long_ = cafe24.get(token("S1"), "/admin/orders?start_date=2026-08-01&end_date=2026-11-02");
        MarketClient.Reply threeMonths = cafe24.get(token("S1"), "/admin/orders?start_date=2026-08-01&end_date=2026-11-01");
        MarketClient.Reply noEnd = cafe24.get(token("S1"), "/admin/orders?start_date=2026-08-01");

        assertThat(bigLimit.status()).isEqualTo(422);
        assertThat(bigLimit.body().at("/error/message").asText()).startsWith("limit must be");
        assertThat(farOffset.status()).isEqualTo(422);
        assertThat(farOffset.body().at("/error/message").asText()).startsWith("offset must be");
        assertThat(maxOffset.status()).isEqualTo(200);
        assertThat(long_.status()).isEqualTo(422);
        assertThat(long_.body().at("/error/message").asText()).contains("3 months");
        assertThat(threeMonths.status()).isEqualTo(200);
        assertThat(noEnd.status()).isEqualTo(422);
    }

    @Test
    void one_order_is_read_by_id_and_a_shipment_is_made_once() {
        // GIVEN an order of the mall that can ship
        Cafe24Admin cafe24 = start();
        Order order = market.orders("S1", FROM, T0).stream().filter(market::shippable).findFirst().orElseThrow();
        String ship = "{\"shop_no\":1,\"request\":{\"tracking_no\":\"T-1\",\"shipping_company_code\":\"0001\",\"status\":\"shipping\"}}";

        // WHEN it is read, shipped, shipped again, and shipped with another tracking number
        MarketClient.Reply read = cafe24.get(token("S1"), "/admin/orders/" + order.orderId() + "?embed=items");
        MarketClient.Reply shipped = cafe24.ship(token("S1"), order.orderId(), ship);
        MarketClient.Reply again = cafe24.ship(token("S1"), order.orderId(), ship);
        MarketClient.Reply other = cafe24.ship(token("S1"), order.orderId(), ship.replace("T-1", "T-2"));
        MarketClient.Reply after = cafe24.get(token("S1"), "/admin/orders/" + order.orderId() + "?embed=items");

        // THEN
        assertThat(read.body().at("/order/order_id").asText()).isEqualTo(order.orderId());
        assertThat(read.body().at("/order/items/0/order_status").asText()).isEqualTo(order.status());
        assertThat(shipped.status()).isEqualTo(201);
        assertThat(shipped.body().at("/shipment/status").asText()).isEqualTo("shipping");
        assertThat(shipped.body().at("/shipment/order_item_code")).hasSize(order.itemCount());
        assertThat(again.status()).isEqualTo(409);
        assertThat(other.status()).isEqualTo(422);
        assertThat(after.body().at("/order/items/0/order_status").asText()).isEqualTo("N30");
        assertThat(after.body().at("/order/items/0/tracking_no").asText()).isEqualTo("T-1");
        assertThat(market.shipments()).hasSize(1);
        assertThat(cafe24.get(token("S1"), "/admin/orders/20200101-0000999").status()).isEqualTo(404);
    }

    @Test
    void an_order_that_cannot_ship_and_a_token_without_the_write_scope_are_refused() {
        Cafe24Admin cafe24 = start();
        Order delivered = market.orders("S1", FROM, T0).stream().filter(o -> !market.shippable(o)).findFirst().orElseThrow();
        String ship = "{\"shop_no\":1,\"request\":{\"tracking_no\":\"T-9\",\"shipping_company_code\":\"0001\",\"status\":\"shipping\"}}";
        String code = code(cafe24.authorize("response_type=code&client_id=" + market.cafe24Credentials("S1").clientId()
                + "&state=s&redirect_uri=" + Cafe24Admin.encode(REDIRECT) + "&scope=mall.read_order"));
        String readOnly = cafe24.token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
                .body().get("access_token").asText();
        Order shippable = market.orders("S1", FROM, T0).stream().filter(market::shippable).findFirst().orElseThrow();

        assertThat(cafe24.ship(token("S1"), delivered.orderId(), ship).status()).isEqualTo(422);
        assertThat(cafe24.ship(readOnly, shippable.orderId(), ship).status()).isEqualTo(403);
        assertThat(cafe24.ship(token("S1"), shippable.orderId(), "{\"request\":{\"tracking_no\":\"T\"}}").status()).isEqualTo(422);
        // a carrier code the mall has not set up (its list: GET /admin/carriers)
        MarketClient.Reply unknownCarrier = cafe24.ship(token("S1"), shippable.orderId(),
                "{\"shop_no\":1,\"request\":{\"tracking_no\":\"T-8\",\"shipping_company_code\":\"0099\",\"status\":\"shipping\"}}");
        assertThat(unknownCarrier.status()).isEqualTo(422);
        assertThat(unknownCarrier.body().toString()).contains("0099", "not a carrier of the mall");
    }

    private static String code(HttpResponse<String> consent) {
        String location = consent.headers().firstValue("Location").orElseThrow();
        return location.substring(location.indexOf("code=") + 5, location.indexOf("&state"));
    }
}
