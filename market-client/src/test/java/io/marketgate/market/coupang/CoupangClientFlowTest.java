package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.Order;
import io.marketgate.market.auth.CredentialSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Coupang adapter under a real {@link MarketClient} and in-memory limiter, the transport scripted instead of a
 * network: what reaches the market, in which order, signed how, drawn from which budget at which priority.
 */
class CoupangClientFlowTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(200);
    private static final MarketAction.ShipOrder SHIP = new MarketAction.ShipOrder(Coupang.SELLER, "448531493", "CJGLS", "340010913442");
    private static final String VENDOR_BUDGET = "coupang/vendor:A00012345";

    @TempDir
    Path dir;

    private EnvironmentConfig environment;
    private PriorityLimiter limiter;
    private final ScriptedHttpClient market = new ScriptedHttpClient();

    @BeforeEach
    void start() throws IOException {
        environment = Coupang.environment(dir, "http://127.0.0.1:9/coupang");
        limiter = PriorityLimiter.builder()
                .budgets(environment.market("coupang").limiterBudgets())
                .store(new InMemoryLimiterStore(Clock.systemUTC()))
                .build();
    }

    @AfterEach
    void stop() {
        limiter.close();
    }

    @Test
    void shipping_reads_the_sheet_then_uploads_its_invoice_both_signed_and_drawn_at_high() throws Exception {
        // GIVEN the box is INSTRUCT and Coupang accepts the invoice
        market.answer(200, Sheets.one(Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 3242596358L)))
                .answer(200, Sheets.invoiceResult(0, 448531493L, true, "OK", null, false));

        // WHEN
        CallOutcome outcome = client(Coupang.source()).execute(SHIP, MAX_WAIT);

        // THEN
        assertThat(outcome).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(market.sent()).extracting(s -> s.request().method() + " " + s.request().uri().getRawPath()).containsExactly(
                "GET /coupang/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets/448531493",
                "POST /coupang/v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices");
        assertThat(market.sent().get(1).authorization()).isEqualTo("CEA algorithm=HmacSHA256, access-key=" + Coupang.ACCESS_KEY
                + ", signed-date=260101T000000Z, signature=9fdea92d7866b578bba60a8cc439698332513725217a402e13eb0cf88f624909");
        assertThat(market.sent().get(1).body()).contains("\"orderId\":22000009546234,\"vendorItemId\":3242596358");
        assertThat(limiter.control().status(VENDOR_BUDGET).usage().get(Priority.HIGH)).isEqualTo(2);
    }

    @Test
    void shipping_a_box_that_left_with_this_invoice_is_already_applied_without_an_upload() throws Exception {
        // GIVEN an earlier attempt shipped it; its answer was lost
        String shipped = Sheets.one(Sheets.shipped(Sheets.sheet(448531493L, 22000009546234L, "INSTRUCT", "2026-01-01T10:20:16", 1L),
                "DEPARTURE", "340010913442"));
        market.answer(200, shipped).answer(200, shipped);

        // WHEN
        CallOutcome outcome = client(Coupang.source()).execute(SHIP, MAX_WAIT);

        // THEN
        assertThat(outcome).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(market.sent()).extracting(s -> s.request().method()).containsExactly("GET", "GET");
    }

    @Test
    void a_lookup_that_fails_stands_for_the_action_which_is_not_sent() throws Exception {
        market.answer(400, "{\"code\":400,\"message\":\"[code: VALIDATION , error : shipmentBoxId not found]\"}");

        CallOutcome outcome = client(Coupang.source()).execute(SHIP, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("shipmentBoxId not found"));
        assertThat(market.sent()).hasSize(1);
    }

    @Test
    void a_collection_walks_every_status_follows_next_tokens_and_hands_every_sheet_over_once() throws Exception {
        // GIVEN one hour; ACCEPT has two pages, DEPARTURE one sheet, the rest nothing
        market.answer(200, Sheets.list("448531493", Sheets.sheet(448531493L, 1L, "ACCEPT", "2026-01-01T09:10:00", 11L)))
                .answer(200, Sheets.list("", Sheets.sheet(448531494L, 2L, "ACCEPT", "2026-01-01T09:20:00", 12L)))
                .answer(200, Sheets.list(""))
                .answer(200, Sheets.list("", Sheets.sheet(448531495L, 3L, "DEPARTURE", "2026-01-01T09:30:00", 13L)))
                .answer(200, Sheets.list(""))
                .answer(200, Sheets.list(""));
        List<Order> collected = new ArrayList<>();

        // WHEN
        CollectionResult result = client(Coupang.source()).collect(
                new CollectionRequest("coupang", Coupang.SELLER, DataKind.ORDERS, T0, T0.plus(Duration.ofHours(1))),
                Priority.MEDIUM, MAX_WAIT, (call, page) -> collected.addAll(page.orders()));

        // THEN
        assertThat(result).isEqualTo(new CollectionResult.Completed(6, 3));
        assertThat(collected).extracting(Order::orderId).containsExactly("448531493", "448531494", "448531495");
        assertThat(market.sent()).extracting(s -> s.request().uri().getRawQuery().replaceAll(".*maxPerPage=50&", ""))
                .containsExactly("searchType=timeFrame&status=ACCEPT", "nextToken=448531493&searchType=timeFrame&status=ACCEPT",
                        "searchType=timeFrame&status=INSTRUCT", "searchType=timeFrame&status=DEPARTURE",
                        "searchType=timeFrame&status=DELIVERING", "searchType=timeFrame&status=FINAL_DELIVERY");
        assertThat(market.sent()).allSatisfy(s -> assertThat(s.authorization()).startsWith("CEA algorithm=HmacSHA256, access-key="));
        assertThat(limiter.control().status(VENDOR_BUDGET).usage().get(Priority.MEDIUM)).isEqualTo(6);
    }

    @Test
    void a_429_cools_the_vendor_down_so_the_next_call_is_deferred_without_reaching_the_market() throws Exception {
        // GIVEN
        market.answer(429, "{\"code\":429,\"message\":\"Too Many Requests\"}");
        MarketClient client = client(Coupang.source());

        // WHEN
        CallOutcome first = client.execute(SHIP, MAX_WAIT);
        CallOutcome second = client.execute(SHIP, MAX_WAIT);

        // THEN
        assertThat(first).isInstanceOf(CallOutcome.Throttled.class);
        assertThat(second).isInstanceOfSatisfying(CallOutcome.Deferred.class,
                d -> assertThat(d.reason()).isEqualTo(Decision.Reason.COOLING_DOWN));
        assertThat(market.sent()).hasSize(1);
        assertThat(limiter.control().status(VENDOR_BUDGET).coolingDownUntil()).isPresent();
    }

    @Test
    void a_seller_without_credentials_fails_for_good_and_nothing_reaches_the_market() throws Exception {
        CallOutcome outcome = client(CredentialSource.NONE).execute(SHIP, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.reason()).startsWith("no credentials are registered for seller seller-1 of market coupang"));
        assertThat(market.sent()).isEmpty();
    }

    private MarketClient client(CredentialSource source) {
        return MarketClient.builder(limiter, Coupang.adapter(environment, source, Coupang.VECTOR_CLOCK)).httpClient(market).build();
    }
}
