package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.FailureMode;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a caller sees when the table cannot be used: a store failure naming the table, and the limiter's failure mode. */
class DynamoDbStoreFailureTest {

    private final Budget orders = Budget.named("m/orders").limit(10).build();

    @Test
    void a_missing_table_is_a_store_failure_that_names_it() {
        try (EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start();
                DynamoDbLimiterStore store = DynamoDbLimiterStore.create(dynamoDb.client(),
                        DynamoDbStoreOptions.table("no-such-table").build())) {
            assertThatThrownBy(() -> store.decide(List.of(orders), Priority.HIGH, 1))
                    .isInstanceOf(LimiterStoreUnavailableException.class)
                    .hasMessageContaining("table no-such-table does not exist");
            assertThatThrownBy(() -> store.pause(orders, Priority.LOW, Duration.ofMinutes(1)))
                    .isInstanceOf(LimiterStoreUnavailableException.class)
                    .hasMessageContaining("no-such-table");
        }
    }

    @Test
    void a_server_that_is_gone_leaves_the_decision_to_the_failure_mode() {
        // GIVEN a limiter on a table whose server then stops
        EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start();
        try (var client = dynamoDb.client()) {
            LimiterTable.create(client, "limiter");
        }
        PriorityLimiter limiter = PriorityLimiter.builder().budget(orders)
                .store(DynamoDbLimiterStore.create(dynamoDb.client(), DynamoDbStoreOptions.table("limiter").build()))
                .failureMode(FailureMode.failClosed()).build();
        try {
            assertThat(limiter.tryAcquire(Call.of(Priority.HIGH, "m/orders")).granted()).isTrue();
            dynamoDb.close();

            // WHEN a call is decided
            Decision d = limiter.tryAcquire(Call.of(Priority.HIGH, "m/orders"));

            // THEN fail-closed denies it as the store being unavailable
            assertThat(d.granted()).isFalse();
            assertThat(d.reason()).isEqualTo(Decision.Reason.STORE_UNAVAILABLE);
            assertThat(d.decidedBy()).isEqualTo(Decision.DecidedBy.NONE);
        } finally {
            limiter.close();
        }
    }

    @Test
    void bad_options_are_refused_naming_the_setting_and_the_rule() {
        assertThatThrownBy(() -> DynamoDbStoreOptions.table("x")).hasMessageContaining("tableName 'x' must be 3 to 255");
        assertThatThrownBy(() -> DynamoDbStoreOptions.table("limiter").keyPrefix("a#b"))
                .hasMessageContaining("keyPrefix 'a#b' must be 1 to 64 letters");
        assertThatThrownBy(() -> DynamoDbStoreOptions.table("limiter").maxClockSkew(Duration.ofSeconds(2)))
                .hasMessageContaining("maxClockSkew is PT2S, must be between 0 and 1 s");
        assertThatThrownBy(() -> DynamoDbStoreOptions.table("limiter").denialMemory(Duration.ofSeconds(11)))
                .hasMessageContaining("denialMemory is PT11S, must be between 0 and 10 s");
        assertThatThrownBy(() -> DynamoDbStoreOptions.table("limiter").contentionTimeout(Duration.ZERO))
                .hasMessageContaining("contentionTimeout is PT0S, must be between 1 ms and 60 s");
    }
}
