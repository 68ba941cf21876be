package io.marketgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValkeyClusterTest {

    @Test
    void three_masters_form_a_cluster_that_covers_every_slot() {
        // GIVEN a started cluster
        try (ValkeyCluster cluster = ValkeyCluster.start()) {
            // THEN every node reports an ok cluster of three masters with every slot assigned
            assertThat(cluster.seedUris()).hasSize(3).allMatch(u -> u.startsWith("redis://127.0.0.1:"));
            for (ValkeyServer node : cluster.nodes()) {
                String info = (String) node.command("CLUSTER", "INFO");
                assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3",
                        "cluster_size:3");
            }
            // AND a key is served by exactly the node that owns its slot
            long served = cluster.nodes().stream().filter(n -> {
                try {
                    n.command("SET", "{coupang}:probe", "1");
                    return true;
                } catch (EmbeddedValkeyException e) {
                    assertThat(e).hasMessageContaining("MOVED");
                    return false;
                }
            }).count();
            assertThat(served).isEqualTo(1);
        }
    }

    @Test
    void a_killed_master_is_replaced_by_its_replica_and_rejoins_as_its_replica_then_takes_its_slots_back_gracefully() {
        // GIVEN a cluster of three masters with a replica each, a 1 s node timeout, and a key written on its master
        try (ValkeyCluster cluster = ValkeyCluster.builder().replicasPerMaster(1).nodeTimeout(Duration.ofSeconds(1)).start()) {
            ValkeyServer master = cluster.masterOf("{coupang}:probe");
            master.command("SET", "{coupang}:probe", "kept");
            master.command("WAIT", "1", "1000");
            ValkeyServer replica = cluster.replicasOf(master).get(0);
            assertThat(cluster.nodeTimeout()).isEqualTo(Duration.ofSeconds(1));

            // WHEN the master is killed
            master.kill();

            // THEN its replica is promoted, serves the slot and has the key that had reached it
            cluster.awaitPromoted(replica, Duration.ofSeconds(20));
            assertThat(cluster.masterOf("{coupang}:probe")).isSameAs(replica);
            assertThat(replica.command("GET", "{coupang}:probe")).isEqualTo("kept");
            assertThat(cluster.masters()).hasSize(3).doesNotContain(master);

            // WHEN the killed node is started again with its membership
            cluster.rejoin(master);

            // THEN it is the new master's replica (its link up: it holds the master's data again)
            assertThat(cluster.replicasOf(replica)).containsExactly(master);
            // AND a manual failover gives it its slots back, with the key
            cluster.manualFailover(master);
            assertThat(cluster.masterOf("{coupang}:probe")).isSameAs(master);
            assertThat(master.command("GET", "{coupang}:probe")).isEqualTo("kept");
            assertThat(cluster.replicasOf(master)).containsExactly(replica);
        }
    }
}
