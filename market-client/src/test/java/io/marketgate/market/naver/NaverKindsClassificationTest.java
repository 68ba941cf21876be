package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Seller;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the Naver adapter classifies what a scripted Naver answers to the calls of the other kinds and the actions: the
 * per-item codes in HTTP 200, the APIs' 4xx, the gateway's throttle on each API's own budget, answers not of the protocol.
 */
class NaverKindsClassificationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Duration MAX_WAIT = Duration.ofMillis(500);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private ScriptedNaver naver;
    private NaverFixture fx;
    private MarketClient client;

    @BeforeEach
    void start() throws Exception {
        naver = ScriptedNaver.start();
        fx = NaverFixture.of(dir, naver.baseUrl(), Clock.systemUTC()).self("s-1", "app-1", SIM_SECRET);
        PriorityLimiter limiter = fx.limiter();
        client = fx.client(limiter);
    }

    @AfterEach
    void stop() {
        naver.close();
        fx.close();
    }

    @Test
    void a_failure_code_other_than_a_refusal_is_a_final_failure_of_no_particular_kind() throws Exception {
        naver.answer("confirm", 200, "{\"data\":{\"successProductOrderInfos\":[],\"failProductOrderInfos\":[{\"productOrderId\":"
                + "\"2026110100000007\",\"code\":\"101011\",\"message\":\"직계약 상품은 물류사만 발주확인 가능\"}]}}");

        CallOutcome outcome = act(new MarketAction.AcknowledgeOrder(SELLER, "2026110100000007"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).isEqualTo("Naver refused acknowledge-order of product order 2026110100000007: code 101011: "
                    + "직계약 상품은 물류사만 발주확인 가능");
        });
    }

    @Test
    void a_claim_decision_answered_for_another_product_order_only_is_not_the_protocol() throws Exception {
        naver.answer("approve", 200, "{\"data\":{\"successProductOrderIds\":[\"2026110100000008\"],\"failProductOrderInfos\":[]}}");

        CallOutcome outcome = act(new MarketAction.ConfirmClaim(SELLER, "RETURN.2026110100000007"));

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason())
                .contains("neither data.successProductOrderIds nor data.failProductOrderInfos names product order 2026110100000007"));
    }

    @Test
    void a_400_naming_invalid_inputs_is_the_requests_fault_and_one_without_them_refuses_the_record() throws Exception {
        naver.answer("multi-update", 400, "{\"code\":\"BAD_REQUEST\",\"message\":\"잘못된 요청\",\"invalidInputs\":[{\"name\":"
                + "\"multiProductUpdateRequestVos[0].stockQuantity\",\"type\":\"Max\",\"message\":\"99999999 이하\"}]}");
        naver.answer("multi-update", 400, "{\"code\":\"BAD_REQUEST\",\"message\":\"판매 종료된 상품입니다.\"}");

        CallOutcome wrongRequest = act(new MarketAction.ChangeStock(SELLER, "8123456789", 5));
        CallOutcome ended = act(new MarketAction.ChangeStock(SELLER, "8123456789", 5));

        assertThat(wrongRequest).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.OTHER);
            assertThat(f.reason()).contains("multiProductUpdateRequestVos[0].stockQuantity (Max): 99999999 이하");
        });
        assertThat(ended).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.ACTION_REFUSED);
            assertThat(f.reason()).isEqualTo("Naver refused change-stock of products 8123456789: HTTP 400 BAD_REQUEST: 판매 종료된 상품입니다.");
        });
    }

    @Test
    void naver_s_rate_limit_on_the_qna_api_cools_down_that_apis_budget_only() throws Exception {
        naver.answer("qnas", 429, "{\"code\":\"GW.RATE_LIMIT\",\"message\":\"요청이 많아 서비스를 일시적으로 사용할 수 없습니다.\"}",
                "GNCP-GW-RateLimit-Replenish-Rate", "2", "GNCP-GW-RateLimit-Burst-Capacity", "4");

        CallOutcome outcome = client.execute(client.adapter().plan(new CollectionRequest("naver", SELLER, DataKind.INQUIRIES, T0,
                T0.plus(Duration.ofHours(1)))).get(0), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Throttled.class, t -> {
            assertThat(t.budgets()).containsExactly("naver/qnas");
            assertThat(t.retryAfter()).contains(Duration.ofSeconds(2));
        });
    }

    @Test
    void a_claim_item_without_a_claim_type_is_skipped_and_an_unknown_claim_status_is_not_the_protocol() throws Exception {
        naver.answer("last-changed-statuses", 200, "{\"data\":{\"lastChangeStatuses\":["
                + "{\"productOrderId\":\"2026110100000001\",\"orderId\":\"3026110100000001\",\"lastChangedType\":\"CLAIM_REQUESTED\","
                + "\"lastChangedDate\":\"2026-11-01T09:10:00.000+09:00\",\"productOrderStatus\":\"DELIVERED\",\"claimType\":\"RETURN\","
                + "\"claimStatus\":\"RETURN_REQUEST\"},"
                + "{\"productOrderId\":\"2026110100000002\",\"lastChangedType\":\"CLAIM_REQUESTED\","
                + "\"lastChangedDate\":\"2026-11-01T09:11:00.000+09:00\",\"productOrderStatus\":\"PAYED\"}],\"count\":2}}");
        naver.answer("last-changed-statuses", 200, "{\"data\":{\"lastChangeStatuses\":[{\"productOrderId\":\"2026110100000003\","
                + "\"lastChangedType\":\"COLLECT_DONE\",\"lastChangedDate\":\"2026-11-01T09:12:00.000+09:00\",\"claimType\":\"RETURN\","
                + "\"claimStatus\":\"RETURN_LOST\"}],\"count\":1}}");
        CollectionRequest request = new CollectionRequest("naver", SELLER, DataKind.CLAIMS, T0, T0.plus(Duration.ofHours(1)));
        java.util.List<MarketRecord> records = new java.util.ArrayList<>();

        MarketClient.CollectionResult result = client.collectPages(request, Priority.MEDIUM, MAX_WAIT,
                (call, page) -> records.addAll(((MarketData.RecordPage) page).records()));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("RETURN.2026110100000001");
            assertThat(r.commonStatus()).isEqualTo(ClaimStatus.REQUESTED);
            assertThat(r.fields()).containsEntry("claimType", "RETURN").containsEntry("orderId", "3026110100000001");
        });
        assertThat(result).isInstanceOfSatisfying(MarketClient.CollectionResult.Stopped.class, s -> {
            assertThat(s.outcome()).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                    f -> assertThat(f.reason()).contains("claimStatus 'RETURN_LOST' is not one of Naver's claim states"));
            assertThat(s.resumeAt().rawQuery()).contains("lastChangedType=COLLECT_DONE");
        });
    }

    private CallOutcome act(MarketAction action) throws InterruptedException {
        return client.execute(client.adapter().plan(action), Priority.HIGH, MAX_WAIT);
    }
}
