package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several store instances (as several Lambda execution environments), each with several threads, deciding at once on
 * the same items on the system clock: their writes race, and the budgets still admit exactly their limits. The windows
 * are a minute long, so no unit leaves them during a test.
 */
class DynamoDbConcurrencyTest {

    private static final String TABLE = "limiter";
    private static final int INSTANCES = 4;
    private static final int THREADS_PER_INSTANCE = 4;
    private static EmbeddedDynamoDb dynamoDb;

    private final List<DynamoDbLimiterStore> stores = new ArrayList<>();

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

    @AfterEach
    void closeStores() {
        stores.forEach(DynamoDbLimiterStore::close);
    }

    private void instances(String prefix) {
        for (int i = 0; i < INSTANCES; i++) {
            stores.add(DynamoDbLimiterStore.create(dynamoDb.client(), DynamoDbStoreOptions.table(TABLE).keyPrefix(prefix)
                    .denialMemory(Duration.ZERO).contentionTimeout(Duration.ofSeconds(30)).build()));
        }
    }

    /** Runs {@code asks} decisions on every thread of every instance at once; returns the grants. */
    private int decideAtOnce(int asks, java.util.function.IntFunction<List<Budget>> callOfThread) throws InterruptedException {
        AtomicInteger granted = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        int n = 0;
        for (DynamoDbLimiterStore store : stores) {
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                List<Budget> call = callOfThread.apply(n++);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < asks; i++) {
                            if (store.decide(call, Priority.HIGH, 1).granted()) {
                                granted.incrementAndGet();
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failure.get()).as("a decision's failure").isNull();
        return granted.get();
    }

    private long lostRaces() {
        return stores.stream().mapToLong(s -> s.statistics().lostRaces()).sum();
    }

    @Test
    void many_instances_deciding_at_once_grant_exactly_the_limit() throws InterruptedException {
        // GIVEN a budget of 40 per minute and 4 instances of 4 threads each
        instances("one");
        Budget orders = Budget.named("m/orders").limit(40).window(Duration.ofMinutes(1)).build();

        // WHEN each thread asks 10 times at once (160 asks)
        int granted = decideAtOnce(10, n -> List.of(orders));

        // THEN exactly 40 were granted, the window holds 40, and the instances' writes raced
        assertThat(granted).isEqualTo(40);
        assertThat(stores.get(0).status(orders).totalUsage()).isEqualTo(40);
        assertThat(lostRaces()).isPositive();
    }

    @Test
    void calls_on_a_shared_budget_and_sellers_stay_all_or_nothing_under_contention() throws InterruptedException {
        // GIVEN a shared budget of 30 per minute and a per-seller budget of 5 per minute, four sellers
        instances("span");
        Budget dispatch = Budget.named("nv/dispatch").limit(30).window(Duration.ofMinutes(1)).build();
        Budget seller = Budget.named("nv/seller").limit(5).window(Duration.ofMinutes(1)).build();

        // WHEN every thread asks 8 times for one seller's call, which draws from the shared budget and the seller's
        int granted = decideAtOnce(8, n -> List.of(dispatch, seller.forKey("s-" + n % 4)));

        // THEN each seller got its 5 and the shared budget holds exactly those 20: no grant is counted in one item only
        assertThat(granted).isEqualTo(20);
        DynamoDbLimiterStore any = stores.get(0);
        assertThat(any.status(dispatch).totalUsage()).isEqualTo(20);
        for (int s = 0; s < 4; s++) {
            assertThat(any.status(seller.forKey("s-" + s)).totalUsage()).as("seller s-%d", s).isEqualTo(5);
        }
        assertThat(lostRaces()).isPositive();
    }
}
