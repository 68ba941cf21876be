package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.ManualClock;
import io.marketgate.limiter.Priority;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB has no clock, so each instance times its decisions by its own. A clock ahead of another's sees the other's
 * grants leave the window early; the store counts another instance's grants for the window plus the tolerated skew,
 * so that no window holds more than the limit while clocks differ by less than that.
 */
class ClockSkewTest {

    private static final String TABLE = "limiter";
    private static final Duration WINDOW = Duration.ofSeconds(1);
    private static EmbeddedDynamoDb dynamoDb;

    /** True time, which only the test knows. */
    private final ManualClock trueTime = ManualClock.atEpochSecond(1_800_000_000L);
    private final Budget budget = Budget.named("m/orders").limit(2).window(WINDOW).build();
    private final List<DynamoDbLimiterStore> stores = new ArrayList<>();
    private int prefixes;

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
        stores.forEach(DynamoDbLimiterStore::close);
    }

    /** An instance whose clock is {@code offset} from true time, in a key space shared by the test's instances. */
    private DynamoDbLimiterStore instance(String prefix, Duration offset, Duration maxClockSkew) {
        DynamoDbLimiterStore s = DynamoDbLimiterStore.create(dynamoDb.client(), DynamoDbStoreOptions.table(TABLE)
                .keyPrefix(prefix).clock(Clock.offset(trueTime, offset)).maxClockSkew(maxClockSkew)
                .denialMemory(Duration.ZERO).build());
        stores.add(s);
        return s;
    }

    private static Decision high(DynamoDbLimiterStore s, Budget b) {
        return s.decide(List.of(b), Priority.HIGH, 1);
    }

    @Test
    void a_clock_ahead_within_the_tolerance_still_sees_another_instance_s_grants_until_they_truly_leave() {
        // GIVEN instance A on true time and B 15 ms ahead, tolerating 20 ms; A fills the budget at t0
        DynamoDbLimiterStore a = instance("ahead", Duration.ZERO, Duration.ofMillis(20));
        DynamoDbLimiterStore b = instance("ahead", Duration.ofMillis(15), Duration.ofMillis(20));
        Decision first = high(a, budget);
        assertThat(high(a, budget).granted()).isTrue();

        // WHEN B asks 990 ms later in true time (1,005 ms later by its own clock)
        trueTime.advance(Duration.ofMillis(990));
        Decision early = high(b, budget);

        // THEN it is denied until A's grants have left the window with the tolerance: 20 ms later by B's clock
        assertThat(early.granted()).isFalse();
        assertThat(early.reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(micros(early.retryAfter())).isEqualTo(first.storeTimeMicros() + micros(WINDOW) + 20_000 - early.storeTimeMicros());
        assertThat(early.retryAfter()).isEqualTo(Duration.ofMillis(15));
        // AND A itself, whose clock timed those grants, gets the room at the window's exact end
        trueTime.advance(Duration.ofMillis(10));
        assertThat(high(a, budget).granted()).isTrue();
    }

    @Test
    void without_the_tolerance_a_clock_ahead_would_admit_more_than_the_limit_in_one_window() {
        // GIVEN the same instances, tolerating no skew at all
        DynamoDbLimiterStore a = instance("noskew", Duration.ZERO, Duration.ZERO);
        DynamoDbLimiterStore b = instance("noskew", Duration.ofMillis(15), Duration.ZERO);
        assertThat(high(a, budget).granted()).isTrue();
        assertThat(high(a, budget).granted()).isTrue();

        // WHEN B asks 990 ms later in true time
        trueTime.advance(Duration.ofMillis(990));

        // THEN B is granted: three calls within 990 ms on a budget of 2 per second (what the tolerance prevents)
        assertThat(high(b, budget).granted()).isTrue();
    }

    @Test
    void a_clock_behind_makes_its_grants_count_longer_for_others_never_shorter() {
        // GIVEN instance B 15 ms behind true time fills the budget, and A on true time, both tolerating 20 ms
        DynamoDbLimiterStore a = instance("behind", Duration.ZERO, Duration.ofMillis(20));
        DynamoDbLimiterStore b = instance("behind", Duration.ofMillis(-15), Duration.ofMillis(20));
        assertThat(high(b, budget).granted()).isTrue();
        assertThat(high(b, budget).granted()).isTrue();

        // WHEN A asks a whole window later in true time
        trueTime.advance(WINDOW);
        Decision d = high(a, budget);

        // THEN A still waits 5 ms (B's stamps are 15 ms early, the tolerance adds 20): room is left unused, never overfilled
        assertThat(d.granted()).isFalse();
        assertThat(d.retryAfter()).isEqualTo(Duration.ofMillis(5));
        trueTime.advance(d.retryAfter());
        assertThat(high(a, budget).granted()).isTrue();
    }

    @Test
    void an_instance_ahead_does_not_compact_away_grants_still_inside_their_writer_s_window() {
        // GIVEN a budget of 3; A on true time takes 2 at t0
        Budget three = Budget.named("m/three").limit(3).window(WINDOW).build();
        DynamoDbLimiterStore a = instance("compact", Duration.ZERO, Duration.ofMillis(20));
        DynamoDbLimiterStore b = instance("compact", Duration.ofMillis(15), Duration.ofMillis(20));
        high(a, three);
        high(a, three);

        // WHEN B, 15 ms ahead, takes the third 999 ms later in true time (1,014 ms by its clock: past A's window's end
        // by its own reckoning) and so rewrites the budget's log, dropping what has left the window
        trueTime.advance(Duration.ofMillis(999));
        assertThat(high(b, three).granted()).isTrue();

        // THEN A's two grants, 1 ms before their window ends, are still there: A is denied and the usage is 3
        assertThat(high(a, three).reason()).isEqualTo(Decision.Reason.CEILING_REACHED);
        assertThat(a.status(three).totalUsage()).isEqualTo(3);
    }

    private static long micros(Duration d) {
        return d.toNanos() / 1_000L;
    }
}
