package io.marketgate.limiter.memory;

import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import io.marketgate.limiter.ManualClock;
import java.time.Duration;

class InMemoryContractTest extends LimiterStoreContract {

    private final ManualClock clock = ManualClock.atEpochSecond(1_800_000_000L);

    @Override
    protected LimiterStore createStore() {
        return new InMemoryLimiterStore(clock);
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
