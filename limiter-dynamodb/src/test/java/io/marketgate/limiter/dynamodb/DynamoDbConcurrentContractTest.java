package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.BusyNeighbours;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.ForwardingLimiterStore;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * The limiter's contract once more, each decision made while {@value #NEIGHBOURS} other threads decide on other budgets
 * of the same market ({@link BusyNeighbours}) through a <em>second</em> store on the same table: two instances, as two
 * Lambda execution environments are, whose writes to the market's item race each other. The contract's decisions lose
 * races and start over, and must still be exactly what the contract states. The class checks that races were lost.
 */
class DynamoDbConcurrentContractTest extends DynamoDbContractTest {

    private static final int NEIGHBOURS = 6;
    private static final AtomicLong LOST_RACES = new AtomicLong();

    private final List<DynamoDbLimiterStore> stores = new java.util.ArrayList<>();

    @Override
    protected LimiterStore createStore() {
        DynamoDbStoreOptions options = options()
                // a loaded build machine must not turn contention into a failure: this test is about what is decided
                .contentionTimeout(Duration.ofSeconds(30)).build();
        DynamoDbLimiterStore contract = DynamoDbLimiterStore.create(server().client(), options);
        DynamoDbLimiterStore neighbours = DynamoDbLimiterStore.create(server().client(), options);
        stores.add(contract);
        stores.add(neighbours);
        return BusyNeighbours.around(new ByBudget(contract, neighbours), NEIGHBOURS);
    }

    @AfterEach
    void countLostRaces() {
        stores.forEach(s -> LOST_RACES.addAndGet(s.statistics().lostRaces()));
    }

    @AfterAll
    static void racesWereLost() {
        assertThat(LOST_RACES.get()).as("writes that lost their race with the other store's and were decided again")
                .isPositive();
    }

    /** The neighbours' decisions to one store, everything else to the other. */
    private static final class ByBudget extends ForwardingLimiterStore {
        private final LimiterStore contract;
        private final LimiterStore neighbours;

        ByBudget(LimiterStore contract, LimiterStore neighbours) {
            super(contract);
            this.contract = contract;
            this.neighbours = neighbours;
        }

        @Override
        public Decision decide(List<Budget> budgets, Priority priority, int cost) {
            boolean neighbour = budgets.get(0).shortName().startsWith("neighbour-");
            return (neighbour ? neighbours : contract).decide(budgets, priority, cost);
        }

        @Override
        public String describe() {
            return contract.describe() + " racing " + neighbours.describe();
        }

        @Override
        public void close() {
            try {
                contract.close();
            } finally {
                neighbours.close();
            }
        }
    }
}
