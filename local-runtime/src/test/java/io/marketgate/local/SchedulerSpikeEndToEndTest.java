package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.Priority;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spike's shape end to end on the Valkey store (a real {@code redis-server} started by the test) with the real
 * handlers: the markets never see a call over any budget, every HIGH action reaches its market exactly once,
 * every collection request ends SUCCEEDED or FAILED with a reason, and no order is written twice.
 */
@Tag("e2e")
class SchedulerSpikeEndToEndTest {

    @TempDir
    Path reportDir;

    @Test
    void a_schedule_spike_with_high_actions_stays_in_budget_and_loses_nothing() {
        // GIVEN the dev environment and the shipped spike: 500 sellers of three markets, HIGH actions during it
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        Set<String> markets = env.markets().values().stream()
                .filter(m -> m.adapter().isPresent())
                .map(m -> m.name()).collect(Collectors.toSet());
        Scenario scenario = ScenarioLoader.load(Path.of("..", "scenarios", "scheduler-spike.yaml"), markets);

        // WHEN it runs on Valkey to completion
        SimulationReport report = new SimulationRun(env, scenario, LocalPlatform.StoreKind.VALKEY, new PrintStream(System.err),
                (done, total) -> {}).run();
        report.write(reportDir);
        System.err.println(report.json());

        // THEN no simulated market saw a call over any of its budgets, from its own arrival records
        assertThat(report.callsOverBudget()).isZero();
        // and every HIGH action reached its market, once
        Map<String, Object> high = report.priority(Priority.HIGH);
        assertThat(high.get("requests")).isEqualTo((long) scenario.expectedActions());
        assertThat(high.get("succeeded")).isEqualTo((long) scenario.expectedActions());
        assertThat(high.get("duplicates")).isEqualTo(0L);
        // and each of them put one "Action Done" event on the environment's actions bus
        @SuppressWarnings("unchecked") Map<String, Object> events = (Map<String, Object>) report.tree().get("actionEvents");
        assertThat(events.get("done")).isEqualTo((long) scenario.expectedActions());
        assertThat(events.get("failed")).isEqualTo(0L);
        // and every collection request ended SUCCEEDED or FAILED with a reason, none twice written
        Map<String, Object> medium = report.priority(Priority.MEDIUM);
        assertThat(medium.get("requests")).isEqualTo((long) scenario.expectedCollectionRequests());
        assertThat(medium.get("lost")).isEqualTo(0L);
        assertThat(medium.get("duplicates")).isEqualTo(0L);
        assertThat(report.tree().get("deadLetters")).isEqualTo(0L);
        assertThat(reportDir.resolve("report.html")).exists();
    }
}
