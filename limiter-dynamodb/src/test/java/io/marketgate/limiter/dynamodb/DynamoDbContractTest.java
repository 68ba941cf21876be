package io.marketgate.limiter.dynamodb;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import io.marketgate.limiter.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The limiter's contract on the DynamoDB store against the DynamoDB-compatible server the test starts (dynalite), each
 * store under a key prefix of its own, timed by a manual clock: DynamoDB has no clock, the store's clock is the
 * caller's, so the contract's exact-moment checks run. Without the denial memory here (every decision reads the
 * table); {@link DynamoDbDenialMemoryContractTest} runs it with.
 */
class DynamoDbContractTest extends LimiterStoreContract {

    static final String TABLE = "limiter";
    private static final AtomicInteger STORES = new AtomicInteger();
    private static EmbeddedDynamoDb dynamoDb;

    final ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);

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

    static EmbeddedDynamoDb server() {
        return dynamoDb;
    }

    /** Options of a store that shares nothing with earlier ones: a key prefix of its own, the test's clock. */
    DynamoDbStoreOptions.Builder options() {
        return DynamoDbStoreOptions.table(TABLE).keyPrefix("contract" + STORES.incrementAndGet()).clock(clock)
                .denialMemory(Duration.ZERO);
    }

    @Override
    protected LimiterStore createStore() {
        return DynamoDbLimiterStore.create(dynamoDb.client(), options().build());
    }

    @Override
    protected void advance(Duration d) {
        clock.advance(d);
    }

    @Override
    protected boolean exactClock() {
        return true;
    }
}
