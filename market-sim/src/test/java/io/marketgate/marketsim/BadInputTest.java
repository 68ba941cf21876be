package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BadInputTest extends SimFixture {

    private static final String FROM = "2026-11-20T00:00:00Z";
    private static final String TO = "2026-11-20T06:00:00Z";

    private MarketClient client;

    @BeforeEach
    void startMarket() {
        start(MarketConfig.named("m").apiKeys("k").sellers("A001").maxPageSize(50).maxRange(Duration.ofHours(24))
                .pagination(Pagination.CURSOR).build());
        client = client("m", "k");
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("from is missing", "to=" + TO, "from"),
                Arguments.of("from is not a date", "from=yesterday&to=" + TO, "from"),
                Arguments.of("from has no offset", "from=2026-11-20T00:00:00&to=" + TO, "from"),
                Arguments.of("to is missing", "from=" + FROM, "to"),
                Arguments.of("to is before from", "from=" + TO + "&to=" + FROM, "to"),
                Arguments.of("to equals from", "from=" + FROM + "&to=" + FROM, "to"),
                Arguments.of("range over the maximum", "from=2026-11-20T00:00:00Z&to=2026-11-21T00:00:01Z", "to"),
                Arguments.of("size is zero", "from=" + FROM + "&to=" + TO + "&size=0", "size"),
                Arguments.of("size over the maximum", "from=" + FROM + "&to=" + TO + "&size=51", "size"),
                Arguments.of("size is not a number", "from=" + FROM + "&to=" + TO + "&size=ten", "size"),
                Arguments.of("cursor is forged", "from=" + FROM + "&to=" + TO + "&cursor=bm90LWEtY3Vyc29y", "cursor"),
                Arguments.of("page on a cursor market", "from=" + FROM + "&to=" + TO + "&page=2", "page"));
    }

    @ParameterizedTest(name = "{0} → 400 naming {2}")
    @MethodSource("badQueries")
    void bad_order_list_parameters_get_400_naming_the_field(String scenario, String query, String field) {
        // WHEN the orders are asked with a bad query
        MarketClient.Reply r = client.get("/v1/sellers/A001/orders?" + query);

        // THEN 400 with a JSON body naming the field, recorded as a bad request
        assertThat(r.status()).as(scenario).isEqualTo(400);
        assertThat(r.body().get("code").asText()).isEqualTo("INVALID_PARAMETER");
        assertThat(r.body().get("field").asText()).isEqualTo(field);
        assertThat(r.body().get("message").asText()).isNotBlank();
        assertThat(sim.market("m").arrivals()).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(Outcome.BAD_REQUEST));
    }

    @Test
    void missing_api_key_gets_401_naming_the_header() {
        // WHEN a request has no key
        MarketClient.Reply r = client.withKey(null).get("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO);

        // THEN 401 naming X-Api-Key, recorded as an unauthenticated arrival
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().get("field").asText()).isEqualTo("X-Api-Key");
        assertThat(sim.market("m").arrivals()).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
            assertThat(a.authenticated()).isFalse();
        });
    }

    @Test
    void unknown_api_key_gets_401() {
        // WHEN a request has a key the market does not know
        MarketClient.Reply r = client.withKey("stolen").get("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO);

        // THEN 401 naming X-Api-Key
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().get("field").asText()).isEqualTo("X-Api-Key");
    }

    @Test
    void unknown_seller_gets_404_naming_sellerId() {
        // WHEN orders of a seller the market does not know are asked
        MarketClient.Reply r = client.get("/v1/sellers/NOBODY/orders?from=" + FROM + "&to=" + TO);

        // THEN 404 naming sellerId
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().get("code").asText()).isEqualTo("SELLER_NOT_FOUND");
        assertThat(r.body().get("field").asText()).isEqualTo("sellerId");
    }

    @Test
    void unknown_path_wrong_method_and_unknown_market_get_404_405_404() {
        // WHEN a path, a method and a market that do not exist are used
        MarketClient.Reply path = client.get("/v1/sellers/A001/returns");
        MarketClient.Reply method = client.get("/v1/sellers/A001/orders/x/shipments");
        MarketClient.Reply market = new MarketClient(sim.baseUrl("m").replace("/m", "/nowhere"), "k").get("/v1/x");

        // THEN each gets its JSON error
        assertThat(path.status()).isEqualTo(404);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Allow")).isEqualTo("POST");
        assertThat(market.status()).isEqualTo(404);
        assertThat(market.body().get("field").asText()).isEqualTo("market");
    }

    @Test
    void offsets_other_than_utc_are_accepted_when_plus_is_encoded() {
        // WHEN the range is given in KST
        MarketClient.Reply r = client.get("/v1/sellers/A001/orders?from=2026-11-20T09:00:00%2B09:00&to=2026-11-20T15:00:00%2B09:00");

        // THEN it is the same range as in UTC
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(client.get("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO).body());
    }
}
