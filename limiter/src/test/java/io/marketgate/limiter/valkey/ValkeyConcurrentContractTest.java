package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.BusyNeighbours;
import io.marketgate.limiter.LimiterStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The limiter's contract once more on a real server, each decision made while {@value #NEIGHBOURS} other threads
 * decide on other budgets of the same market through the same store ({@link BusyNeighbours}): the decisions go
 * through the market lanes in batches with the neighbours', and must be exactly what the contract states. Each test
 * that decides checks that batches really were sent.
 */
class ValkeyConcurrentContractTest extends StandaloneServerContract {

    /** More than the lanes' slots in flight, so that decisions wait for a batch. */
    private static final int NEIGHBOURS = MarketLanes.MAX_IN_FLIGHT + 4;
    private static final AtomicInteger STORES = new AtomicInteger();
    private static ValkeyServer server;

    private final List<ValkeyLimiterStore> stores = new ArrayList<>();
    private final List<BusyNeighbours> busy = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ValkeyServer server() {
        return server;
    }

    @Override
    protected LimiterStore createStore() {
        // a busy build machine can delay a reply past the default 200 ms, and the limiter's failure mode would then
        // decide instead of the store: this test is about what the store decides (ValkeyFailureTest covers timeouts)
        ValkeyLimiterStore store = ValkeyLimiterStore.standalone(server.uri(), ValkeyStoreOptions.builder()
                .keyPrefix("concurrent" + STORES.incrementAndGet()).commandTimeout(Duration.ofSeconds(5)).build());
        stores.add(store);
        BusyNeighbours neighbours = BusyNeighbours.around(store, NEIGHBOURS);
        busy.add(neighbours);
        return neighbours;
    }

    @AfterEach
    void batchesWereSent() {
        long decisions = busy.stream().mapToLong(BusyNeighbours::decisions).sum();
        if (decisions > 0) {
            long batched = stores.stream().mapToLong(ValkeyLimiterStore::batchedScriptCalls).sum();
            assertThat(batched).as("decide script calls holding more than one decision, around %d decisions of the"
                    + " contract and %d of the neighbours", decisions,
                    busy.stream().mapToLong(BusyNeighbours::neighbourDecisions).sum()).isPositive();
        }
    }
}
