package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.Priority;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A master of the limiter's Valkey cluster is killed while collections and HIGH actions run (real {@code valkey-server}
 * processes, the real handlers and simulated markets): its replica takes over, the stores follow, the killed node
 * rejoins, and the markets still see no call over a budget, nothing is lost and every HIGH action is done once.
 */
@Tag("e2e")
class ClusterFailoverScenarioTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void a_killed_master_of_the_limiters_cluster_fails_over_and_the_budgets_still_hold_at_the_markets() throws IOException {
        // GIVEN a short scenario on the dev environment: collections and HIGH actions of Coupang and Naver, and the
        // master that serves Coupang's budgets killed at 5s, started again at 14s
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        Set<String> markets = env.markets().values().stream().filter(m -> m.adapter().isPresent())
                .map(m -> m.name()).collect(Collectors.toSet());
        Path file = dir.resolve("failover.yaml");
        Files.writeString(file, """
                name: cluster-failover-test
                environment: dev
                timeScale: 1
                seed: 5
                maxDuration: 50s
                queues: {visibilityTimeout: 1m}
                markets:
                  coupang: {sellers: 4, ordersPerHour: 4}
                  naver: {sellers: 2, ordersPerHour: 4}
                schedules:
                  - {at: 0s, markets: [coupang, naver], kind: ORDERS, lookback: 30m, spreadOver: 10s, priority: MEDIUM}
                actions:
                  - {market: coupang, count: 3, from: 1s, to: 10s}
                  - {market: naver, count: 2, from: 1s, to: 10s}
                faults:
                  - {type: clusterFailover, market: coupang, from: 5s, to: 14s, nodeTimeout: 1s}
                """);
        Scenario scenario = ScenarioLoader.load(file, markets);

        // WHEN it runs on the platform, which starts a cluster for it
        SimulationReport report = new SimulationRun(env, scenario, LocalPlatform.StoreKind.VALKEY, new PrintStream(System.err),
                (done, total) -> { }).run();
        report.write(dir.resolve("report"));
        System.err.println(report.json());

        // THEN the limiter ran on the cluster, Coupang's master was killed, its replica promoted and the node rejoined
        assertThat((String) report.tree().get("limiterStore")).startsWith("valkey-cluster");
        Map<String, Object> fault = ((List<Map<String, Object>>) report.tree().get("faults")).get(0);
        Map<String, Object> failover = (Map<String, Object>) fault.get("failover");
        assertThat(failover).doesNotContainKey("error");
        assertThat((List<String>) failover.get("marketsOnFailedMaster")).contains("coupang");
        assertThat(failover).containsKeys("promotedAfterMs", "rejoinedAfterMs");
        // AND no simulated market saw a call over any of its budgets, from its own arrival records
        assertThat(report.callsOverBudget()).isZero();
        // AND every request ended: nothing lost, nothing in a dead-letter queue, no order written twice
        for (Priority p : List.of(Priority.HIGH, Priority.MEDIUM)) {
            assertThat(report.priority(p).get("lost")).as(p + " lost").isEqualTo(0L);
            assertThat(report.priority(p).get("duplicates")).as(p + " duplicates").isEqualTo(0L);
        }
        assertThat(report.tree().get("deadLetters")).isEqualTo(0L);
        // AND every HIGH action was done
        assertThat(report.priority(Priority.HIGH).get("succeeded")).isEqualTo((long) scenario.expectedActions());
    }

    @Test
    void a_failover_scenario_on_the_in_memory_store_is_refused_naming_the_fault() throws IOException {
        // GIVEN a scenario with a cluster failover
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        Path file = dir.resolve("memory.yaml");
        Files.writeString(file, """
                name: failover-in-memory
                markets:
                  coupang: {sellers: 1}
                schedules: [{at: 0s}]
                faults:
                  - {type: clusterFailover, from: 1s, to: 2s}
                """);
        Scenario scenario = ScenarioLoader.load(file, Set.of("coupang"));

        // WHEN the platform is asked to run it on the in-memory store, THEN it refuses before starting anything
        assertThatThrownBy(() -> LocalPlatform.start(env, scenario, LocalPlatform.StoreKind.MEMORY, new PrintStream(System.err)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + ": faults[0].type: clusterFailover runs the limiter's store on a Valkey cluster; run with "
                        + "--store valkey or auto");
    }
}
