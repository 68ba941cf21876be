package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.market.BucketLevel;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.PlannedRequests;
import io.marketgate.market.Seller;
import io.marketgate.market.TimeWindow;
import io.marketgate.market.auth.CachedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the Cafe24 adapter makes of each kind of answer: data, the bucket's level, throttles, refusals, token answers, bodies that are not Cafe24's. */
class Cafe24ClassificationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Seller SELLER = Seller.of("s-1", Map.of("mallId", "shop42"));
    private static final String ITEM = "{\"order_item_code\":\"20261101-0000013-01\",\"order_status\":\"N20\"}";
    private static final String ORDER = "{\"order_id\":\"20261101-0000013\",\"payment_date\":\"2026-11-01T09:10:00+09:00\",\"items\":[" + ITEM + "]}";

    @TempDir
    Path dir;

    private Cafe24Adapter adapter;
    private CollectionRequest request;

    @BeforeEach
    void setUp() throws Exception {
        adapter = Cafe24Fixture.of(dir, "https://{mallId}.cafe24api.com/api/v2", Clock.fixed(T0, ZoneOffset.UTC), 2)
                .seller("s-1", "shop42", "client-1", "secret-value-1").adapter();
        request = new CollectionRequest("cafe24", SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1)));
    }

    private PlannedCall list(Optional<String> cursor) {
        return adapter.planPage(request, request.range(), cursor);
    }

    @Test
    void a_full_page_of_orders_goes_on_at_the_next_offset_each_order_dated_by_its_payment() {
        CallOutcome outcome = adapter.classify(list(Optional.of("4")), answer(list(Optional.empty()), 200,
                "{\"orders\":[" + ORDER + "," + ORDER.replace("0000013", "0000014").replace("N20", "N30") + "]}"));

        OrderPage page = (OrderPage) ((CallOutcome.Ok) outcome).data();
        assertThat(page.nextCursor()).contains("6");
        assertThat(page.orders()).extracting(o -> o.orderId(), o -> o.status(), o -> o.updatedAt())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("20261101-0000013", "N20", T0.plus(Duration.ofMinutes(10))),
                        org.assertj.core.groups.Tuple.tuple("20261101-0000014", "N30", T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void a_full_page_at_the_markets_largest_offset_of_a_window_too_short_to_split_is_final() {
        CollectionRequest oneSecond = new CollectionRequest("cafe24", SELLER, DataKind.ORDERS, T0, T0.plusSeconds(1));
        PlannedCall call = adapter.planPage(oneSecond, oneSecond.range(), Optional.of("15000"));

        CallOutcome outcome = adapter.classify(call, answer(call, 200, "{\"orders\":[" + ORDER + "," + ORDER + "]}"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("a window too short to split"));
        assertThat(Cafe24Adapter.firstHalf(new TimeWindow(T0, T0.plusSeconds(3)))).contains(new TimeWindow(T0, T0.plusSeconds(1)));
    }

    @Test
    void given_a_200_whose_body_is_cut_off_empty_or_a_proxys_page_when_classified_then_it_is_retryable_naming_cafe24_and_the_malformed_body() {
        // GIVEN a collection page
        PlannedCall call = list(Optional.empty());

        // WHEN its 200 broke on its way: JSON cut off, a proxy's page, an empty body
        CallOutcome truncated = adapter.classify(call, answer(call, 200, "{\"orders\":[{\"order_id\":"));
        CallOutcome html = adapter.classify(call, answer(call, 200, "<html>maintenance</html>"));
        CallOutcome empty = adapter.classify(call, answer(call, 200, ""));

        // THEN each is a transient fault of the transport, with an excerpt of what came
        assertThat(truncated).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason())
                .startsWith("HTTP 200 from Cafe24 with a malformed body (not JSON: cut off, empty or a proxy's page) to GET ")
                .endsWith(": {\"orders\":[{\"order_id\":"));
        assertThat(html).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("Cafe24 with a malformed body").endsWith(": <html>maintenance</html>"));
        assertThat(empty).isInstanceOfSatisfying(CallOutcome.Retryable.class,
                r -> assertThat(r.reason()).contains("Cafe24 with a malformed body"));
    }

    @Test
    void given_a_well_formed_200_that_is_not_cafe24s_protocol_when_classified_then_it_is_final_with_an_excerpt_of_it() {
        // GIVEN a collection page
        PlannedCall call = list(Optional.empty());

        // WHEN well-formed JSON says an unknown state, or is not an object
        CallOutcome unknownState = adapter.classify(call, answer(call, 200, "{\"orders\":[" + ORDER.replace("N20", "Z99") + "]}"));
        CallOutcome list = adapter.classify(call, answer(call, 200, "[{\"orders\":[]}]"));

        // THEN final, naming the field, with an excerpt
        assertThat(unknownState).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("orders[0].items[0].order_status \"Z99\" is not one of Cafe24's order states"));
        assertThat(list).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("not its protocol's (the body is not a JSON object)").contains("[{\"orders\":[]}]"));
    }

    @Test
    void the_level_is_reported_for_the_budget_that_follows_it_not_for_one_that_only_spreads_the_calls() throws Exception {
        // GIVEN a mall budget that follows the bucket's level and a per-second one that does not, both on the call
        Cafe24Adapter twoBudgets = Cafe24Fixture.of(dir, "https://{mallId}.cafe24api.com/api/v2", Clock.fixed(T0, ZoneOffset.UTC),
                2, 2, new io.marketgate.market.auth.InMemoryConnectionStore(), yaml -> yaml
                        .replace("      token: {scope: endpoint", "      burst: {scope: mall, limit: 10, window: 1s}\n      token: {scope: endpoint")
                        .replace("list-orders: {budgets: [cafe24/mall]}", "list-orders: {budgets: [cafe24/mall, cafe24/burst]}"))
                .seller("s-1", "shop42", "client-1", "secret-value-1").adapter();
        PlannedCall call = twoBudgets.planPage(request, request.range(), Optional.empty());
        assertThat(call.budgets()).containsExactly("cafe24/mall:shop42", "cafe24/burst:shop42");

        // WHEN an answer says the bucket's level
        Optional<BucketLevel> level = twoBudgets.bucketLevel(call, answer(call, 200, "{}", "X-Api-Call-Limit", "30/40"));

        // THEN it is the mall budget's level only
        assertThat(level.orElseThrow().budgets()).containsExactly("cafe24/mall:shop42");
    }

    @Test
    void every_answer_with_the_call_limit_reports_the_malls_bucket_level_and_usage() {
        PlannedCall call = list(Optional.empty());

        Optional<BucketLevel> level = adapter.bucketLevel(call, answer(call, 200, "{}", "X-Api-Call-Limit", "12/40",
                "X-Cafe24-Call-Usage", "3.50", "X-Cafe24-Time-Usage", "0.10"));
        Optional<BucketLevel> none = adapter.bucketLevel(call, answer(call, 200, "{}"));
        Optional<BucketLevel> garbage = adapter.bucketLevel(call, answer(call, 200, "{}", "X-Api-Call-Limit", "lots"));

        assertThat(level).contains(new BucketLevel(List.of("cafe24/mall:shop42"), 12, 40,
                Map.of("X-Cafe24-Call-Usage", "3.50", "X-Cafe24-Time-Usage", "0.10")));
        assertThat(level.orElseThrow().room()).isEqualTo(28);
        assertThat(none).isEmpty();
        assertThat(garbage).isEmpty();
    }

    @Test
    void a_429_cools_the_malls_budget_down_for_the_buckets_drain_or_the_markets_remaining_seconds() {
        PlannedCall call = list(Optional.empty());

        CallOutcome bucket = adapter.classify(call, answer(call, 429, "{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}",
                "X-Api-Call-Limit", "40/40"));
        CallOutcome quota = adapter.classify(call, answer(call, 429, "{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}",
                "X-Api-Call-Limit", "3/40", "X-Cafe24-Call-Usage", "100.20", "X-Cafe24-Call-Remain", "32"));

        assertThat(bucket).isEqualTo(new CallOutcome.Throttled(Optional.of(Duration.ofMillis(500)), List.of("cafe24/mall:shop42"),
                "HTTP 429 429: Too Many Requests (X-Api-Call-Limit=40/40)"));
        assertThat(quota).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(32));
            assertThat(t.reason()).contains("X-Cafe24-Call-Remain=32");
        });
    }

    @Test
    void refusals_and_failures_of_the_admin_api_are_classified_with_cafe24s_words() {
        PlannedCall call = list(Optional.empty());

        assertThat(adapter.classify(call, answer(call, 401, "{\"error\":{\"code\":401,\"message\":\"access_token time expired. (invalid_token)\"}}")))
                .isEqualTo(new CallOutcome.Fatal("Cafe24 refused the access token (expired or revoked): HTTP 401 401: access_token "
                        + "time expired. (invalid_token)", CallOutcome.Cause.TOKEN_REJECTED));
        assertThat(adapter.classify(call, answer(call, 403, "{\"error\":{\"code\":403,\"message\":\"app deleted\"}}")))
                .isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED));
        assertThat(adapter.classify(call, answer(call, 422, "{\"error\":{\"code\":422,\"message\":\"limit must be 1-1000\"}}")))
                .isEqualTo(new CallOutcome.Fatal("Cafe24 refused the request: HTTP 422 422: limit must be 1-1000"));
        assertThat(adapter.classify(call, answer(call, 503, "{\"error\":{\"code\":503,\"message\":\"Service Unavailable\"}}")))
                .isInstanceOf(CallOutcome.Retryable.class);
        assertThat(adapter.freshTokenRefused()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED);
    }

    @Test
    void a_refresh_answer_is_a_pair_renewed_before_its_expiries_and_its_refusals_say_what_the_seller_must_do() {
        PlannedCall refresh = adapter.planRefresh(SELLER, new Cafe24App("shop42", "client-1", "secret-value-1"),
                new CachedToken("old-refresh", T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(2))));

        CallOutcome ok = adapter.classify(refresh, answer(refresh, 200, "{\"access_token\":\"A1\",\"expires_at\":\"2026-11-01T11:00:00.000\","
                + "\"refresh_token\":\"R1\",\"refresh_token_expires_at\":\"2026-11-15T09:00:00.000\",\"mall_id\":\"shop42\"}"));
        CallOutcome used = adapter.classify(refresh, answer(refresh, 400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"The refresh_token has been used\"}"));
        CallOutcome client = adapter.classify(refresh, answer(refresh, 401,
                "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client_id or client_secret\"}"));
        CallOutcome otherMall = adapter.classify(refresh, answer(refresh, 200, "{\"access_token\":\"A1\",\"expires_at\":\"2026-11-01T11:00:00.000\","
                + "\"refresh_token\":\"R1\",\"refresh_token_expires_at\":\"2026-11-15T09:00:00.000\",\"mall_id\":\"other\"}"));

        MarketData.TokenPair pair = (MarketData.TokenPair) ((CallOutcome.Ok) ok).data();
        assertThat(pair.access()).isEqualTo(new CachedToken("A1", T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofMinutes(110))));
        assertThat(pair.refresh()).isEqualTo(new CachedToken("R1", T0.plus(Duration.ofDays(14)), T0.plus(Duration.ofDays(13))));
        assertThat(pair.toString()).doesNotContain("A1").doesNotContain("R1");
        assertThat(used).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED);
            assertThat(f.reason()).contains("invalid_grant: The refresh_token has been used");
        });
        assertThat(client).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.CREDENTIALS_REJECTED));
        assertThat(otherMall).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).contains("mall_id 'other' is not the mall asked for (shop42)").doesNotContain("A1"));
    }

    @Test
    void a_code_refused_by_the_token_endpoint_is_final_but_not_a_lost_connection() {
        PlannedCall exchange = adapter.planExchange(SELLER, "code-1");

        CallOutcome refused = adapter.classify(exchange, answer(exchange, 400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"The authorization code has expired\"}"));

        assertThat(refused).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).contains("consent's code");
        });
    }

    @Test
    void tokens_the_market_echoes_are_masked_in_every_reason() {
        PlannedCall exchange = adapter.planExchange(SELLER, "code-1");

        CallOutcome echoed = adapter.classify(exchange, answer(exchange, 400,
                "{\"access_token\":\"LEAKED-ACCESS\",\"refresh_token\":\"LEAKED-REFRESH\",\"note\":\"Basic Y2xpZW50LTE6c2VjcmV0LXZhbHVlLTE=\"}"));

        assertThat(((CallOutcome.Fatal) echoed).reason()).doesNotContain("LEAKED").doesNotContain("Y2xpZW50LTE6c2VjcmV0LXZhbHVlLTE=")
                .doesNotContain("secret-value-1");
    }

    // ---- answers

    private static HttpResponse<String> answer(PlannedCall call, int status, String body, String... headers) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], List.of(headers[i + 1]));
        }
        HttpRequest request = PlannedRequests.of(call);
        return new HttpResponse<>() {
            @Override
            public int statusCode() {
                return status;
            }

            @Override
            public HttpRequest request() {
                return request;
            }

            @Override
            public Optional<HttpResponse<String>> previousResponse() {
                return Optional.empty();
            }

            @Override
            public HttpHeaders headers() {
                return HttpHeaders.of(h, (a, b) -> true);
            }

            @Override
            public String body() {
                return body;
            }

            @Override
            public Optional<SSLSession> sslSession() {
                return Optional.empty();
            }

            @Override
            public URI uri() {
                return request.uri();
            }

            @Override
            public HttpClient.Version version() {
                return HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
