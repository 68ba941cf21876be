package io.marketgate.limiter.valkey;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The limiter's contract on one real standalone server; a subclass starts the server and says which. */
abstract class StandaloneServerContract extends LimiterStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();

    /** The subclass's server, started before its first test. */
    protected abstract ValkeyServer server();

    @Override
    protected LimiterStore createStore() {
        // a key prefix of its own: the new store shares nothing with the stores of earlier tests
        return ValkeyLimiterStore.standalone(server().uri(),
                ValkeyStoreOptions.builder().keyPrefix("contract" + STORES.incrementAndGet()).build());
    }

    @Override
    protected void advance(Duration d) throws InterruptedException {
        ServerClock.advance(server(), d);
    }

    @Override
    protected boolean exactClock() {
        return false;
    }
}
