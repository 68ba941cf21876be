package io.marketgate.limiter.memory;

import io.marketgate.limiter.DenialMemoryStore;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import io.marketgate.limiter.ManualClock;
import java.time.Duration;

/**
 * The limiter's contract on the in-memory store behind a {@link DenialMemoryStore}: remembering ceiling denials
 * changes no answer the contract states. The memory's clock is the store's (a manual clock), as it must be: the memory
 * times the same windows.
 */
class InMemoryDenialMemoryContractTest extends LimiterStoreContract {

    private final ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);

    @Override
    protected LimiterStore createStore() {
        return DenialMemoryStore.wrap(new InMemoryLimiterStore(clock), Duration.ofMillis(100),
                () -> clock.instant().getEpochSecond() * 1_000_000_000L + clock.instant().getNano());
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
