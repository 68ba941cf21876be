package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class WindowLogTest {

    private static final long T0 = 1_800_000_000_000_000L;

    @Test
    void a_log_reads_back_as_written_whatever_the_order_of_its_entries() {
        // GIVEN entries of three writers, costs and priorities, added out of time order
        WindowLog log = WindowLog.empty(1_000_000);
        log.add(new WindowLog.Entry(T0 + 500, 1, 0, 7L));
        log.add(new WindowLog.Entry(T0, 3, 2, -42L));
        log.add(new WindowLog.Entry(T0 + 500, 1_000_000, 1, Long.MAX_VALUE));
        log.add(new WindowLog.Entry(T0 + 86_400_000_000L, 2, 2, 7L));

        // WHEN encoded and decoded
        WindowLog read = WindowLog.decode(log.encode(), "the test's log");

        // THEN the same entries, oldest first, and the same window
        assertThat(read.windowMicros()).isEqualTo(1_000_000);
        assertThat(read.entries()).containsExactly(
                new WindowLog.Entry(T0, 3, 2, -42L),
                new WindowLog.Entry(T0 + 500, 1, 0, 7L),
                new WindowLog.Entry(T0 + 500, 1_000_000, 1, Long.MAX_VALUE),
                new WindowLog.Entry(T0 + 86_400_000_000L, 2, 2, 7L));
    }

    @Test
    void a_full_window_of_calls_of_cost_one_takes_about_four_bytes_a_call() {
        // GIVEN 1,000 calls of cost 1, a millisecond apart, from 8 instances
        WindowLog log = WindowLog.empty(1_000_000);
        for (int i = 0; i < 1_000; i++) {
            log.add(new WindowLog.Entry(T0 + i * 1_000L, 1, i % 3, 1_000L + i % 8));
        }

        // WHEN encoded
        int bytes = log.encode().length;

        // THEN the window fits in 4 KB: 2 bytes of time, one of cost and priority, one of writer per call, plus the writers
        assertThat(bytes).isLessThanOrEqualTo(4 * 1_000 + 8 * 8 + 16);
    }

    @Test
    void an_entry_leaves_the_window_for_its_writer_at_once_and_for_others_after_the_tolerated_skew() {
        WindowLog log = WindowLog.empty(1_000_000);
        WindowLog.Entry mine = new WindowLog.Entry(T0, 1, 0, 1L);
        WindowLog.Entry theirs = new WindowLog.Entry(T0, 1, 0, 2L);
        log.add(mine);
        log.add(theirs);

        assertThat(log.inWindow(T0 + 999_999, 1_000_000, 1L, 20_000)).containsExactly(mine, theirs);
        assertThat(log.inWindow(T0 + 1_000_000, 1_000_000, 1L, 20_000)).containsExactly(theirs);
        assertThat(log.inWindow(T0 + 1_020_000, 1_000_000, 1L, 20_000)).isEmpty();

        log.compact(T0 + 1_000_000, 1_000_000, 1L, 20_000);
        assertThat(log.entries()).containsExactly(theirs);
    }

    @Test
    void bytes_that_are_not_a_log_are_refused_naming_the_attribute() {
        assertThatThrownBy(() -> WindowLog.decode(new byte[] {9, 1, 2}, "the log of m/orders in item mg:m"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the log of m/orders in item mg:m has format 9");
        byte[] cut = new byte[] {1, (byte) 0x80};
        assertThatThrownBy(() -> WindowLog.decode(cut, "the log of m/orders in item mg:m"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the log of m/orders in item mg:m is not a window log of this store");
    }

    @Test
    void an_item_too_large_for_dynamodb_is_refused_naming_the_item_and_its_budgets() {
        // GIVEN an item whose budget's window holds 150,000 calls of different writers
        List<WindowLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 150_000; i++) {
            entries.add(new WindowLog.Entry(T0 + i * 7L, 1 + i % 5, i % 3, i % 200));
        }
        Partition p = Partition.of("mg:m", Map.of(LimiterTable.PK, AttributeValue.fromS("mg:m"), LimiterTable.LOG + "m/huge",
                AttributeValue.fromB(SdkBytes.fromByteArray(new WindowLog(86_400_000_000L, entries).encode())),
                LimiterTable.VERSION, AttributeValue.fromN("3")));
        p.log("m/huge", 86_400_000_000L).add(new WindowLog.Entry(T0 + 1_050_000, 1, 0, 1L));
        p.touch("m/huge");

        // WHEN its next version is made THEN it is refused
        assertThatThrownBy(() -> p.item(T0 + 1_100_000, Map.of("m/huge", 86_400_000_000L), 1L, 20_000))
                .isInstanceOf(DynamoDbItemTooLargeException.class)
                .hasMessageContaining("item mg:m would be")
                .hasMessageContaining("[m/huge]")
                .hasMessageContaining("DynamoDB allows 400 KB per item");
    }
}
