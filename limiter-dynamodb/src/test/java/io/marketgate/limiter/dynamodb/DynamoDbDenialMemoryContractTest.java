package io.marketgate.limiter.dynamodb;

import io.marketgate.limiter.LimiterStore;
import java.time.Duration;

/**
 * The limiter's contract on the DynamoDB store as {@link DynamoDbLimiterStore#open} and the handlers make it: with its
 * denial memory (100 ms), timed by the same manual clock as the store, so that remembering a denial changes no answer
 * the contract states.
 */
class DynamoDbDenialMemoryContractTest extends DynamoDbContractTest {

    @Override
    protected LimiterStore createStore() {
        return DynamoDbLimiterStore.create(server().client(), options()
                .denialMemory(DynamoDbStoreOptions.DEFAULT_DENIAL_MEMORY)
                .ticker(() -> clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano())
                .build());
    }
}
