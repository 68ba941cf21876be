package io.marketgate.limiter.valkey;

import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.LimiterStoreContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The limiter's contract on a real three-master cluster, started by the test run. */
class ValkeyClusterContractTest extends LimiterStoreContract {

    private static final AtomicInteger STORES = new AtomicInteger();
    private static ValkeyCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ValkeyCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected LimiterStore createStore() {
        return ValkeyLimiterStore.cluster(cluster.seedUris(),
                ValkeyStoreOptions.builder().keyPrefix("contract" + STORES.incrementAndGet()).build());
    }

    @Override
    protected void advance(Duration d) throws InterruptedException {
        // the nodes share this machine's clock
        ServerClock.advance(cluster.nodes().get(0), d);
    }

    @Override
    protected boolean exactClock() {
        return false;
    }
}
