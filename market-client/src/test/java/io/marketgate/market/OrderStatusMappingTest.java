package io.marketgate.market;

import static io.marketgate.market.OrderStatus.CANCELLED;
import static io.marketgate.market.OrderStatus.CANCELLING;
import static io.marketgate.market.OrderStatus.CONFIRMED;
import static io.marketgate.market.OrderStatus.DELIVERED;
import static io.marketgate.market.OrderStatus.EXCHANGED;
import static io.marketgate.market.OrderStatus.EXCHANGING;
import static io.marketgate.market.OrderStatus.PAID;
import static io.marketgate.market.OrderStatus.PAYMENT_PENDING;
import static io.marketgate.market.OrderStatus.PREPARING;
import static io.marketgate.market.OrderStatus.RETURNED;
import static io.marketgate.market.OrderStatus.RETURNING;
import static io.marketgate.market.OrderStatus.SHIPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.cafe24.Cafe24Adapter;
import io.marketgate.market.coupang.CoupangAdapter;
import io.marketgate.market.elevenst.ElevenStAdapter;
import io.marketgate.market.naver.NaverAdapter;
import io.marketgate.market.reference.ReferenceRestAdapter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each market's documented status codes (market-protocols.md, sections 1 to 4) on the common model. */
class OrderStatusMappingTest {

    @Test
    void coupang_maps_every_documented_sheet_status_and_refuses_others_by_name() {
        // GIVEN the order sheet statuses Coupang documents
        Map<String, OrderStatus> expected = Map.of("ACCEPT", PAID, "INSTRUCT", PREPARING, "DEPARTURE", SHIPPING,
                "DELIVERING", SHIPPING, "FINAL_DELIVERY", DELIVERED, "NONE_TRACKING", SHIPPING);
        // THEN each maps, every documented one is covered, and only delivery is final
        assertThat(CoupangAdapter.STATUSES).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((code, status) -> assertThat(CoupangAdapter.commonStatus(code)).as(code).isEqualTo(status));
        assertThatThrownBy(() -> CoupangAdapter.commonStatus("CANCEL")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'CANCEL'");
    }

    @Test
    void naver_maps_every_product_order_status() {
        Map<String, OrderStatus> expected = Map.of("PAYMENT_WAITING", PAYMENT_PENDING, "PAYED", PAID, "DELIVERING", SHIPPING,
                "DELIVERED", DELIVERED, "PURCHASE_DECIDED", CONFIRMED, "EXCHANGED", EXCHANGED, "CANCELED", CANCELLED,
                "RETURNED", RETURNED, "CANCELED_BY_NOPAYMENT", CANCELLED);
        assertThat(NaverAdapter.PRODUCT_ORDER_STATUSES).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((code, status) -> assertThat(NaverAdapter.commonStatus(code)).as(code).isEqualTo(status));
        assertThatThrownBy(() -> NaverAdapter.commonStatus("PAID")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'PAID'");
    }

    @Test
    void elevenst_maps_every_order_line_state() {
        Map<String, OrderStatus> expected = Map.of("202", PAID, "301", PREPARING, "401", SHIPPING, "501", DELIVERED,
                "901", CONFIRMED, "A01", RETURNED, "B01", CANCELLED);
        assertThat(ElevenStAdapter.STATES.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((code, status) -> assertThat(ElevenStAdapter.commonStatus(code)).as(code).isEqualTo(status));
        assertThatThrownBy(() -> ElevenStAdapter.commonStatus("601")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'601'");
    }

    @Test
    void cafe24_maps_every_item_state_by_its_group() {
        Map<String, OrderStatus> expected = new LinkedHashMap<>();
        expected.put("N00", PAYMENT_PENDING);
        expected.put("N10", PREPARING);
        expected.put("N20", PREPARING);
        expected.put("N21", PREPARING);
        expected.put("N22", PREPARING);
        expected.put("N30", SHIPPING);
        expected.put("N40", DELIVERED);
        expected.put("N50", CONFIRMED);
        expected.put("C00", CANCELLING);
        expected.put("C34", CANCELLING);
        expected.put("C40", CANCELLED);
        expected.put("C48", CANCELLED);
        expected.put("R10", RETURNING);
        expected.put("R40", RETURNED);
        expected.put("R43", RETURNED);
        expected.put("E20", EXCHANGING);
        expected.put("E40", EXCHANGED);
        expected.forEach((code, status) -> assertThat(Cafe24Adapter.commonStatus(code)).as(code).isEqualTo(status));
        // every documented code maps to something
        Cafe24Adapter.ORDER_STATUSES.forEach(code -> assertThat(Cafe24Adapter.commonStatus(code)).as(code).isNotNull());
        assertThatThrownBy(() -> Cafe24Adapter.commonStatus("N60")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'N60'");
    }

    @Test
    void an_order_of_several_lines_is_followed_while_one_line_is_not_final() {
        // GIVEN items shipping and delivered: the order is not done
        assertThat(OrderStatus.ofLines(List.of(DELIVERED, SHIPPING))).isEqualTo(SHIPPING);
        // GIVEN one item delivered and one cancelled: the order counts as delivered (final)
        assertThat(OrderStatus.ofLines(List.of(CANCELLED, DELIVERED))).isEqualTo(DELIVERED);
        assertThat(OrderStatus.ofLines(List.of(CANCELLED, CANCELLED))).isEqualTo(CANCELLED);
    }

    @Test
    void reference_protocol_takes_the_common_names_and_the_simulated_sheet_names() {
        assertThat(ReferenceRestAdapter.commonStatus("PAID")).contains(PAID);
        assertThat(ReferenceRestAdapter.commonStatus("INSTRUCT")).contains(PREPARING);
        assertThat(ReferenceRestAdapter.commonStatus("FINAL_DELIVERY")).contains(DELIVERED);
        assertThat(ReferenceRestAdapter.commonStatus("CANCELLED")).contains(CANCELLED);
        assertThat(ReferenceRestAdapter.commonStatus("SHIPPED")).isEmpty();
    }

    @Test
    void final_statuses_are_delivered_confirmed_cancelled_returned_and_exchanged() {
        assertThat(java.util.Arrays.stream(OrderStatus.values()).filter(OrderStatus::isFinal))
                .containsExactlyInAnyOrder(DELIVERED, CONFIRMED, CANCELLED, RETURNED, EXCHANGED);
    }
}
