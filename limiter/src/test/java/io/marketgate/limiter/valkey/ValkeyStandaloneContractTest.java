package io.marketgate.limiter.valkey;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The limiter's contract on one real server, started by the test run. */
class ValkeyStandaloneContractTest extends LimiterStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static ValkeyServer server;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected LimiterStore createStore() {
        // a key prefix of its own: the new store shares nothing with the stores of earlier tests
        return ValkeyLimiterStore.standalone(server.uri(),
                ValkeyStoreOptions.builder().keyPrefix("contract" + STORES.incrementAndGet()).build());
    }

    @Override
    protected void advance(Duration d) throws InterruptedException {
        ServerClock.advance(server, d);
    }

    @Override
    protected boolean exactClock() {
        return false;
    }
}
