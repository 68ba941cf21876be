package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BudgetStatus;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wire format of {@code limiter.lua}, without a server: what each call sends, and what each reply means. */
class DecideScriptTest {

    /** 2023-11-14T22:13:20.123456Z in µs. */
    private static final long NOW = 1_700_000_000_123_456L;

    private final DecideScript wire = new DecideScript("mg", "tok");
    private final Budget vendor = Budget.named("coupang/vendor").limit(10).build();
    private final Budget orders = Budget.named("coupang/orders").limit(20).window(Duration.ofSeconds(2)).build();

    @Test
    void a_lone_call_of_cost_1_is_the_one_operation_with_its_log_member_and_the_budget_s_values() {
        // GIVEN a MEDIUM call of cost 1 on one budget
        DecideScript.Call call = wire.call(List.of(vendor), Priority.MEDIUM, 1);

        // WHEN it is encoded
        DecideScript.Script script = wire.decide(List.of(call));

        // THEN: its log and ctl; 'one', the member priority:token, limit, window µs, ceilings ppm, recovery, no jitter
        // guard, no expiry cell
        assertThat(texts(script.keys())).containsExactly("mg:{coupang}:vendor:log", "mg:{coupang}:vendor:ctl");
        List<String> args = texts(script.args());
        assertThat(args).hasSize(11);
        assertThat(args.get(0)).isEqualTo("one");
        assertThat(args.get(1)).isEqualTo("1:" + text(call.token())).startsWith("1:tok.");
        assertThat(args.subList(2, 11)).containsExactly("10", "1000000", "1000000", "800000", "700000", "10000000", "1", "0", "0");
    }

    @Test
    void a_guarded_budget_sends_its_counted_window_and_its_guard() {
        // GIVEN a budget of 10 per second with a 150 ms guard
        Budget guarded = Budget.named("coupang/vendor").limit(10).jitterGuard(Duration.ofMillis(150)).build();

        // WHEN a lone call and a control operation on it are encoded
        List<String> one = texts(wire.decide(List.of(wire.call(List.of(guarded), Priority.MEDIUM, 1))).args());
        List<String> status = texts(wire.status(guarded).args());

        // THEN the window sent is the counted one (the log keeps grants that long), the guard follows the recovery
        assertThat(one.subList(2, 11)).containsExactly("10", "1150000", "1000000", "800000", "700000", "10000000", "1", "150000", "0");
        assertThat(status.subList(4, 13)).containsExactly("10", "1150000", "1000000", "800000", "700000", "10000000", "1",
                "500000", "150000");
    }

    @Test
    void a_plain_grant_on_a_guarded_budget_replies_both_counts_and_the_room_is_the_least_both_terms_leave() {
        // GIVEN a budget of 10 with a guard; a plain grant with 3 units in the window and 9 in the counted window
        Budget guarded = Budget.named("coupang/vendor").limit(10).jitterGuard(Duration.ofMillis(150)).build();
        DecideScript.Call call = wire.call(List.of(guarded), Priority.MEDIUM, 1);

        Decision d = DecideScript.decision(call, List.of(ascii(NOW + " 3 9")), 0);

        // THEN every priority's room is at most the 1 unit the limit leaves in the counted window
        assertThat(d.granted()).isTrue();
        assertThat(d.remaining()).isEqualTo(Map.of(Priority.HIGH, 1L, Priority.MEDIUM, 1L, Priority.LOW, 1L));
        Decision roomy = DecideScript.decision(call, List.of(ascii(NOW + " 3 4")), 0);
        assertThat(roomy.remaining()).isEqualTo(Map.of(Priority.HIGH, 6L, Priority.MEDIUM, 5L, Priority.LOW, 4L));
    }

    @Test
    void an_instance_also_names_its_configured_budget_s_ctl() {
        DecideScript.Script script = wire.decide(List.of(wire.call(List.of(vendor.forKey("V1")), Priority.HIGH, 1)));

        assertThat(texts(script.keys())).containsExactly("mg:{coupang}:vendor:V1:log", "mg:{coupang}:vendor:V1:ctl",
                "mg:{coupang}:vendor:ctl");
    }

    @Test
    void a_batch_on_different_budgets_names_each_call_s_budgets_by_number() {
        // GIVEN a call on vendor, then one of cost 2 on orders and vendor
        DecideScript.Call first = wire.call(List.of(vendor), Priority.HIGH, 1);
        DecideScript.Call second = wire.call(List.of(orders, vendor), Priority.LOW, 2);

        DecideScript.Script script = wire.decide(List.of(first, second));

        // THEN the batch's budgets in order of appearance, 10 values each, then per call: priority, cost, token, k, numbers
        assertThat(texts(script.keys())).containsExactly("mg:{coupang}:vendor:log", "mg:{coupang}:vendor:ctl",
                "mg:{coupang}:orders:log", "mg:{coupang}:orders:ctl");
        List<String> args = texts(script.args());
        assertThat(args.subList(0, 2)).containsExactly("decide", "2");
        assertThat(args.subList(2, 12)).containsExactly("10", "1000000", "1000000", "800000", "700000", "10000000", "1", "0", "0", "0");
        assertThat(args.subList(12, 22)).containsExactly("20", "2000000", "1000000", "800000", "700000", "10000000", "2", "0", "0", "0");
        assertThat(args.subList(22, args.size())).containsExactly("0", "1", text(first.token()), "1", "1",
                "2", "2", text(second.token()), "2", "2", "1");
    }

    @Test
    void calls_on_the_same_budgets_name_none_and_one_of_cost_above_1_is_a_batch_of_one() {
        DecideScript.Call call = wire.call(List.of(vendor), Priority.LOW, 3);

        List<String> args = texts(wire.decide(List.of(call)).args());

        assertThat(args).containsExactly("decide", "1", "10", "1000000", "1000000", "800000", "700000", "10000000", "1", "0",
                "0", "0", "2", "3", text(call.token()), "0");
    }

    @Test
    void a_plain_grant_replies_the_time_and_the_units_in_the_window_and_the_room_follows_from_the_capacities() {
        DecideScript.Call call = wire.call(List.of(vendor), Priority.MEDIUM, 1);

        Decision d = DecideScript.decision(call, List.of(ascii(NOW + " 3")), 0);

        assertThat(d.granted()).isTrue();
        assertThat(d.storeTimeMicros()).isEqualTo(NOW);
        assertThat(d.remaining()).isEqualTo(Map.of(Priority.HIGH, 7L, Priority.MEDIUM, 5L, Priority.LOW, 4L));
        assertThat(d.decidedBy()).isEqualTo(Decision.DecidedBy.STORE);
    }

    @Test
    void a_grant_writes_the_cell_of_its_time_into_the_next_calls_on_the_budget() {
        // GIVEN a plain grant at NOW, whose cell of 256 ms starts at 1700000000000 ms (1700000000123 - 123)
        DecideScript.Script first = wire.decide(List.of(wire.call(List.of(vendor), Priority.MEDIUM, 1)));
        DecideScript.noteGrants(first, List.of(ascii(NOW + " 1")));

        // WHEN the next call on the budget is encoded, THEN it carries that cell
        List<String> args = texts(wire.decide(List.of(wire.call(List.of(vendor), Priority.MEDIUM, 1))).args());
        assertThat(args.get(10)).isEqualTo(Long.toString(1_700_000_000_123L - 1_700_000_000_123L % 256));
    }

    @Test
    void a_batch_reply_gives_each_call_its_reason_wait_blocking_budget_and_room() {
        // GIVEN the reply to a batch: call 1 granted, call 2 denied on its second budget for 250 ms
        DecideScript.Call first = wire.call(List.of(vendor), Priority.HIGH, 1);
        DecideScript.Call second = wire.call(List.of(orders, vendor), Priority.LOW, 2);
        List<Object> reply = List.of(NOW, 0L, 0L, 0L, 5L, 3L, 2L, 1L, 250_000L, 2L, 4L, 2L, 1L);

        // THEN
        Decision granted = DecideScript.decision(first, reply, 0);
        assertThat(granted.granted()).isTrue();
        assertThat(granted.remaining()).isEqualTo(Map.of(Priority.HIGH, 5L, Priority.MEDIUM, 3L, Priority.LOW, 2L));
        Decision denied = DecideScript.decision(second, reply, 1);
        assertThat(denied.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(250));
        assertThat(denied.blockingBudget()).isEqualTo("coupang/vendor");
        assertThat(denied.remaining()).isEqualTo(Map.of(Priority.HIGH, 4L, Priority.MEDIUM, 2L, Priority.LOW, 1L));
        assertThat(denied.storeTimeMicros()).isEqualTo(NOW);
    }

    @Test
    void a_malformed_reply_is_named_for_what_was_expected() {
        DecideScript.Call call = wire.call(List.of(vendor), Priority.MEDIUM, 1);

        assertThatThrownBy(() -> DecideScript.decision(call, List.of(ascii("12x 3")), 0))
                .hasMessage("limiter.lua replied '12x 3', expected '<now> <units>' or '<now> <units> <counted units>'");
        assertThatThrownBy(() -> DecideScript.decision(call, List.of(NOW, 0L, 0L), 0))
                .hasMessage("limiter.lua replied 3 values, expected at least 7 for call 1 of its batch");
    }

    @Test
    void control_operations_carry_their_operands_then_the_budget_s_values() {
        assertThat(texts(wire.pause(vendor, Priority.LOW, Duration.ofSeconds(30)).args()))
                .containsExactly("pause", "2", "30000000", "0", "10", "1000000", "1000000", "800000", "700000", "10000000", "1",
                        "500000", "0");
        assertThat(texts(wire.override(vendor, 20, Duration.ofMinutes(1)).args()).subList(0, 4))
                .containsExactly("override", "20", "60000000", "0");
        assertThat(texts(wire.status(vendor).args()).subList(0, 4)).containsExactly("status", "0", "0", "0");
        assertThat(texts(wire.observe(vendor, 30, 40, 1_700_000_000_123_456L).args()).subList(0, 4))
                .containsExactly("observe", "30", "40", "1700000000123456");
    }

    @Test
    void a_status_reply_reads_as_the_budget_s_status() {
        // GIVEN: now, effective 5, usage 1/2/3, override 5 until now + 1 s, LOW paused until now + 2 s, no cool-down,
        // 4 market units
        List<Object> reply = List.of(NOW, 5L, 1L, 2L, 3L, 5L, NOW + 1_000_000L, 0L, 0L, NOW + 2_000_000L, 0L, 4L);

        BudgetStatus s = DecideScript.status(vendor, reply);

        assertThat(s.effectiveLimit()).isEqualTo(5);
        assertThat(s.usage()).isEqualTo(Map.of(Priority.HIGH, 1L, Priority.MEDIUM, 2L, Priority.LOW, 3L));
        assertThat(s.overrideLimit()).contains(5L);
        assertThat(s.pausedUntil()).containsOnlyKeys(Priority.LOW);
        assertThat(s.pausedUntil().get(Priority.LOW)).isEqualTo(Instant.ofEpochSecond(1_700_000_002L, 123_456_000L));
        assertThat(s.coolingDownUntil()).isEmpty();
        assertThat(s.marketUnits()).isEqualTo(4);
    }

    private static List<String> texts(byte[][] values) {
        return Arrays.stream(values).map(DecideScriptTest::text).toList();
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
