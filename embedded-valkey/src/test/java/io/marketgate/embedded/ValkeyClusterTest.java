package io.marketgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;

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
}
