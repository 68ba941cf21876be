package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.ValkeyCluster;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.LimiterStoreUnavailableException;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A primary of the limiter's cluster dies (SIGKILL) and its replica takes over: a store opened meanwhile (a cold
 * instance) opens and decides the other shards' budgets, and the store follows the new topology to the promoted replica.
 */
class ValkeyClusterFailoverTest {

    private static final Budget COUPANG = Budget.named("coupang/vendor").limit(100).window(Duration.ofSeconds(1)).build();
    private static final Budget NAVER = Budget.named("naver/app").limit(100).window(Duration.ofSeconds(1)).build();

    @Test
    void a_store_opened_while_a_primary_is_down_decides_the_other_shards_and_follows_the_promoted_replica()
            throws InterruptedException {
        // GIVEN a cluster of three primaries with a replica each, whose node timeout is long enough that the others do
        // not fail the dead primary by themselves during the test; Coupang's and Naver's budgets on two different primaries
        try (ValkeyCluster cluster = ValkeyCluster.builder().replicasPerMaster(1).nodeTimeout(Duration.ofSeconds(30)).start()) {
            ValkeyServer coupangPrimary = cluster.masterOf("{coupang}");
            assertThat(cluster.masterOf("{naver}")).isNotSameAs(coupangPrimary);
            ValkeyServer replica = cluster.replicasOf(coupangPrimary).get(0);
            ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix("failover")
                    .denialMemory(Duration.ZERO).build();

            // WHEN Coupang's primary is killed and a store is opened right after
            coupangPrimary.kill();
            ValkeyLimiterStore store = ValkeyLimiterStore.cluster(cluster.seedUris(), options);
            try {
                // THEN it opened, decides Naver's budget on its primary, and cannot reach Coupang's
                assertThat(store.decide(List.of(NAVER), Priority.HIGH, 1).granted()).isTrue();
                assertThatThrownBy(() -> store.decide(List.of(COUPANG), Priority.HIGH, 1))
                        .isInstanceOf(LimiterStoreUnavailableException.class);

                // WHEN the replica takes the dead primary's slots over (FORCE: without its primary's agreement)
                replica.command("CLUSTER", "FAILOVER", "FORCE");
                cluster.awaitPromoted(replica, Duration.ofSeconds(20));
                long promoted = System.nanoTime();

                // THEN the same store decides Coupang's budget again, on the promoted replica, within a few seconds
                // (its topology refresh: on persistent reconnects to the dead node, at most one per second)
                Decision d = null;
                while (d == null && System.nanoTime() - promoted < Duration.ofSeconds(15).toNanos()) {
                    try {
                        d = store.decide(List.of(COUPANG), Priority.HIGH, 1);
                    } catch (LimiterStoreUnavailableException e) {
                        Thread.sleep(50);
                    }
                }
                Duration followed = Duration.ofNanos(System.nanoTime() - promoted);
                assertThat(d).as("a decision on Coupang's budget after the promotion").isNotNull();
                assertThat(d.granted()).isTrue();
                assertThat(followed).isLessThan(Duration.ofSeconds(5));
                assertThat(replica.command("ZCARD", "failover:{coupang}:vendor:log")).isEqualTo(1L);
            } finally {
                store.close();
            }
        }
    }
}
