package io.marketgate.sellers;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A consent's state on dynalite: random, spent once, refused after it expires. */
class ConnectStatesTest {

    private static final String TABLE = "state-sellers";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;

    @BeforeAll
    static void start() {
        server = EmbeddedDynamoDb.start();
        dynamoDb = server.client();
        TestSchemas.createSellersTable(dynamoDb, TABLE);
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        server.close();
    }

    @Test
    void a_state_names_its_consent_once() {
        ConnectStates states = new ConnectStates(dynamoDb, TABLE, Clock.fixed(T0, ZoneOffset.UTC));
        String state = states.issue("cafe24", "s-1");

        ConnectStates.Taken first = states.take(state);
        ConnectStates.Taken again = states.take(state);

        assertThat(state).matches(ConnectStates.STATE).isNotEqualTo(states.issue("cafe24", "s-1"));
        assertThat(first).isEqualTo(new ConnectStates.Taken.Found("cafe24", "s-1"));
        assertThat(again).isEqualTo(new ConnectStates.Taken.Refused("state is unknown or was used already"));
    }

    @Test
    void an_expired_unknown_or_malformed_state_is_refused_saying_which() {
        MovingClock clock = new MovingClock(T0);
        ConnectStates states = new ConnectStates(dynamoDb, TABLE, clock);
        String state = states.issue("cafe24", "s-2");
        clock.now = T0.plus(Duration.ofMinutes(10));

        // dynalite has no TTL: the expired item is still there, as it is in DynamoDB until its TTL deletion (lazy, within
        // days) comes; take must refuse it by itself
        ConnectStates.Taken expired = states.take(state);
        ConnectStates.Taken unknown = states.take("A".repeat(43));
        ConnectStates.Taken malformed = states.take("../x");

        assertThat(expired).isInstanceOfSatisfying(ConnectStates.Taken.Refused.class,
                r -> assertThat(r.reason()).startsWith("state expired at 2026-11-01T00:10:00Z"));
        assertThat(states.take(state)).as("deleted once expired").isEqualTo(new ConnectStates.Taken.Refused("state is unknown or was used already"));
        assertThat(unknown).isEqualTo(new ConnectStates.Taken.Refused("state is unknown or was used already"));
        assertThat(malformed).isInstanceOfSatisfying(ConnectStates.Taken.Refused.class,
                r -> assertThat(r.reason()).contains("not one this API issued"));
    }

    private static final class MovingClock extends Clock {
        volatile Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
