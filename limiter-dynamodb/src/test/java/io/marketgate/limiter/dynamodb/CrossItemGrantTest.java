package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.ManualClock;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A call on a market's shared budget and one seller's instance lies in two items, written one after the other. When
 * another instance writes the second item between this call's read and its write, the grant already written to the
 * first item is taken back and the call is decided again from what is there now: all or nothing, without transactions.
 */
class CrossItemGrantTest {

    private static final String TABLE = "limiter";
    private static EmbeddedDynamoDb dynamoDb;

    private final ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);
    private final Budget dispatch = Budget.named("nv/dispatch").limit(10).window(Duration.ofMinutes(1)).build();
    private final Budget seller = Budget.named("nv/seller").limit(3).window(Duration.ofMinutes(1)).build().forKey("s-1");
    private DynamoDbLimiterStore ours;
    private DynamoDbLimiterStore theirs;

    @BeforeAll
    static void startServer() {
        dynamoDb = EmbeddedDynamoDb.start();
        try (var client = dynamoDb.client()) {
            LimiterTable.create(client, TABLE);
        }
    }

    @AfterAll
    static void stopServer() {
        dynamoDb.close();
    }

    @AfterEach
    void closeStores() {
        ours.close();
        theirs.close();
    }

    /** Two instances on the same items, as two Lambda execution environments. */
    private void stores(String prefix) {
        DynamoDbStoreOptions options = DynamoDbStoreOptions.table(TABLE).keyPrefix(prefix).clock(clock)
                .denialMemory(Duration.ZERO).build();
        ours = DynamoDbLimiterStore.create(dynamoDb.client(), options);
        theirs = DynamoDbLimiterStore.create(dynamoDb.client(), options);
    }

    @Test
    void a_call_whose_second_item_lost_its_race_is_decided_again_and_counted_once() {
        // GIVEN another instance that grants a call on seller s-1 just before our write of s-1's item, once
        stores("race1");
        AtomicBoolean once = new AtomicBoolean();
        ours.items().beforeGrantWrite(pk -> {
            if (pk.endsWith("#s-1") && once.compareAndSet(false, true)) {
                assertThat(theirs.decide(List.of(seller), Priority.HIGH, 1).granted()).isTrue();
            }
        });

        // WHEN we decide a call on the shared budget and s-1
        Decision d = ours.decide(List.of(dispatch, seller), Priority.HIGH, 1);

        // THEN it is granted once: the first attempt's grant on the shared budget was taken back
        assertThat(d.granted()).isTrue();
        assertThat(ours.statistics().lostRaces()).isEqualTo(1);
        assertThat(ours.status(dispatch).totalUsage()).isEqualTo(1);
        assertThat(ours.status(seller).totalUsage()).isEqualTo(2);
        assertThat(d.remaining(Priority.HIGH)).isEqualTo(1);
    }

    @Test
    void a_call_that_no_longer_fits_after_losing_its_race_takes_its_grant_back_and_is_denied() {
        // GIVEN another instance that fills seller s-1 just before our write of s-1's item
        stores("race2");
        AtomicBoolean once = new AtomicBoolean();
        ours.items().beforeGrantWrite(pk -> {
            if (pk.endsWith("#s-1") && once.compareAndSet(false, true)) {
                for (int i = 0; i < 3; i++) {
                    assertThat(theirs.decide(List.of(seller), Priority.HIGH, 1).granted()).isTrue();
                }
            }
        });

        // WHEN we decide a call on the shared budget and s-1
        Decision d = ours.decide(List.of(dispatch, seller), Priority.HIGH, 1);

        // THEN it is denied by s-1, and the shared budget holds nothing of it
        assertThat(d.granted()).isFalse();
        assertThat(d.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(d.blockingBudget()).isEqualTo("nv/seller:s-1");
        assertThat(ours.status(dispatch).totalUsage()).isZero();
        assertThat(ours.status(seller).totalUsage()).isEqualTo(3);
    }

    @Test
    void a_lost_race_on_the_only_item_of_a_call_starts_over_without_taking_anything_back() {
        // GIVEN another instance that grants on s-1 just before each of our first two writes of s-1's item
        stores("race3");
        int[] raced = {0};
        ours.items().beforeGrantWrite(pk -> {
            if (raced[0] < 2) {
                raced[0]++;
                theirs.decide(List.of(seller), Priority.HIGH, 1);
            }
        });

        // WHEN we decide a call on s-1 alone
        Decision d = ours.decide(List.of(seller), Priority.HIGH, 1);

        // THEN the third attempt is granted into the last unit
        assertThat(d.granted()).isTrue();
        assertThat(ours.statistics().lostRaces()).isEqualTo(2);
        assertThat(d.remaining(Priority.HIGH)).isZero();
        assertThat(ours.status(seller).totalUsage()).isEqualTo(3);
    }

    @Test
    void a_call_whose_second_write_fails_takes_its_grant_back_from_the_first_item() {
        // GIVEN our write of s-1's item fails (the store is unreachable at that moment)
        stores("fail");
        ours.items().beforeGrantWrite(pk -> {
            if (pk.endsWith("#s-1")) {
                throw new LimiterStoreUnavailableException("the test's write of " + pk + " failed", null);
            }
        });

        // WHEN we decide a call on the shared budget and s-1 THEN it fails
        assertThatThrownBy(() -> ours.decide(List.of(dispatch, seller), Priority.HIGH, 1))
                .isInstanceOf(LimiterStoreUnavailableException.class);

        // AND the shared budget's item, written first, holds nothing of it
        assertThat(theirs.status(dispatch).totalUsage()).isZero();
        assertThat(theirs.status(seller).totalUsage()).isZero();
    }
}
