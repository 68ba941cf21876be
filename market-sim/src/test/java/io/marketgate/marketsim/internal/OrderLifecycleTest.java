package io.marketgate.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.marketsim.Order;
import io.marketgate.marketsim.OrderLifecycle;
import io.marketgate.marketsim.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Orders that move through their protocol's stages over the market's clock, the same for every reader. */
class OrderLifecycleTest {

    private static final Instant HOUR = Instant.parse("2026-11-22T03:00:00Z");
    private static final OrderLifecycle LIFECYCLE = OrderLifecycle.stages(Duration.ofSeconds(2), Duration.ofSeconds(5), 20);

    @Test
    void each_order_passes_the_stages_in_order_and_ends_final_after_its_stages() {
        for (Protocol protocol : Protocol.values()) {
            // GIVEN a market whose orders move, read at a clock the test moves
            AtomicLong now = new AtomicLong(HOUR.plus(Duration.ofMinutes(10)).toEpochMilli());
            OrderBook book = new OrderBook("m", 7, 200, protocol, LIFECYCLE, now::get);
            List<String> stages = OrderLifecycle.stagesOf(protocol);
            String cancelled = OrderLifecycle.cancelledOf(protocol);
            List<Order> orders = book.between("S1", HOUR, HOUR.plus(Duration.ofMinutes(10)));
            assertThat(orders).as(protocol.name()).isNotEmpty();
            // WHEN each order is read every 500 ms from its payment until 5 stages × 5 s after it
            for (Order o : orders) {
                List<String> seen = new ArrayList<>();
                for (long t = o.updatedAt().toEpochMilli(); t <= o.updatedAt().toEpochMilli() + 25_000; t += 500) {
                    now.set(t);
                    String status = book.find("S1", o.orderId()).orElseThrow().status();
                    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                        seen.add(status);
                    }
                }
                // THEN it starts paid, never goes back, and ends in the last stage or cancelled after its first
                assertThat(seen.get(0)).as(protocol + " " + o.orderId()).isEqualTo(stages.get(0));
                if (cancelled != null && seen.contains(cancelled)) {
                    assertThat(seen).as(protocol + " " + o.orderId()).containsExactly(stages.get(0), cancelled);
                } else {
                    assertThat(seen).as(protocol + " " + o.orderId()).containsExactlyElementsOf(stages);
                }
            }
        }
    }

    @Test
    void a_moving_market_lists_and_finds_an_order_only_from_its_payment_on() {
        // GIVEN a moving market's orders of an hour, read at its half
        AtomicLong now = new AtomicLong(HOUR.plus(Duration.ofMinutes(30)).toEpochMilli());
        OrderBook book = new OrderBook("m", 7, 200, Protocol.COUPANG, LIFECYCLE, now::get);
        OrderBook fixed = new OrderBook("m", 7, 200, Protocol.COUPANG);
        List<Order> all = fixed.between("S1", HOUR, HOUR.plus(Duration.ofHours(1)));
        Order later = all.stream().filter(o -> o.updatedAt().toEpochMilli() > now.get()).findFirst().orElseThrow();

        // THEN the orders paid later are neither listed nor found yet, and are once paid
        assertThat(book.between("S1", HOUR, HOUR.plus(Duration.ofHours(1))))
                .allSatisfy(o -> assertThat(o.updatedAt().toEpochMilli()).isLessThanOrEqualTo(now.get()));
        assertThat(book.find("S1", later.orderId())).isEmpty();
        now.set(later.updatedAt().toEpochMilli());
        assertThat(book.find("S1", later.orderId())).isPresent();
    }

    @Test
    void cancellations_take_their_share_except_on_coupang_whose_sheets_have_no_cancelled_status() {
        AtomicLong now = new AtomicLong(HOUR.plus(Duration.ofDays(1)).toEpochMilli());
        OrderBook naver = new OrderBook("m", 7, 400, Protocol.NAVER, LIFECYCLE, now::get);
        OrderBook coupang = new OrderBook("m", 7, 400, Protocol.COUPANG, LIFECYCLE, now::get);
        List<Order> naverOrders = naver.between("S1", HOUR, HOUR.plus(Duration.ofHours(3)));
        long naverCancelled = naverOrders.stream().filter(o -> o.status().equals("CANCELED")).count();
        // about 20 % of some hundreds
        assertThat(naverCancelled).isBetween(naverOrders.size() / 10L, naverOrders.size() * 3L / 10);
        assertThat(coupang.between("S1", HOUR, HOUR.plus(Duration.ofHours(3))))
                .allSatisfy(o -> assertThat(o.status()).isEqualTo("FINAL_DELIVERY"));
    }

    @Test
    void without_a_lifecycle_an_order_keeps_its_drawn_status_whatever_the_time() {
        AtomicLong now = new AtomicLong(HOUR.toEpochMilli());
        OrderBook moving = new OrderBook("m", 7, 50, Protocol.COUPANG, OrderLifecycle.NONE, now::get);
        OrderBook still = new OrderBook("m", 7, 50, Protocol.COUPANG);
        List<Order> before = moving.between("S1", HOUR, HOUR.plus(Duration.ofHours(1)));
        now.set(HOUR.plus(Duration.ofDays(3)).toEpochMilli());
        assertThat(moving.between("S1", HOUR, HOUR.plus(Duration.ofHours(1))))
                .isEqualTo(before).isEqualTo(still.between("S1", HOUR, HOUR.plus(Duration.ofHours(1))));
    }

    @Test
    void a_lifecycle_names_the_setting_it_refuses() {
        assertThatThrownBy(() -> OrderLifecycle.stages(Duration.ZERO, Duration.ofSeconds(1), 0)).hasMessageContaining("minStage");
        assertThatThrownBy(() -> OrderLifecycle.stages(Duration.ofSeconds(2), Duration.ofSeconds(1), 0)).hasMessageContaining("maxStage");
        assertThatThrownBy(() -> OrderLifecycle.stages(Duration.ofSeconds(1), Duration.ofSeconds(1), 101))
                .hasMessageContaining("cancelledPercent");
    }
}
