package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.config.InfrastructureConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CollectorOverridesTest {
    private static final EnvironmentConfig DEV = EnvironmentLoader.load(Path.of("..", "environments"), "dev");

    @Test
    void a_scenarios_collectors_replace_the_deployed_ones_and_raise_the_fleet_size_to_match() {
        // GIVEN dev (Coupang: 2 collectors of one message at a time, fleetSize 4) and a scenario with 20 of 5 at once
        Scenario s = scenario(Map.of("coupang", new Scenario.CollectorSetup(Optional.of(20), Optional.of(5))));
        // WHEN applied
        EnvironmentConfig run = CollectorOverrides.apply(DEV, s);
        // THEN the run's Coupang collector is 20 × 5, its fleet size covers them and the 2 action consumers, and the
        // rest (its memory, batch, the other markets) is as deployed
        InfrastructureConfig.Consumer collector = run.infrastructure().orElseThrow().market("coupang").collector();
        InfrastructureConfig.Consumer deployed = DEV.infrastructure().orElseThrow().market("coupang").collector();
        assertThat(collector.maxConcurrency()).isEqualTo(20);
        assertThat(collector.inFlight()).isEqualTo(5);
        assertThat(collector.size()).isEqualTo(deployed.size());
        assertThat(run.market("coupang").fleetSize()).isEqualTo(22);
        assertThat(run.infrastructure().orElseThrow().market("naver")).isEqualTo(DEV.infrastructure().orElseThrow().market("naver"));
        assertThat(run.infrastructure().orElseThrow().pricing()).isEqualTo(DEV.infrastructure().orElseThrow().pricing());
        // AND the platform's event source takes the instances from it
        assertThat(DeployedConsumer.of(run, s, "coupang", DeployedConsumer.Kind.COLLECTOR).concurrency()).isEqualTo(20);
    }

    @Test
    void more_messages_at_once_than_a_batch_holds_is_refused_naming_the_file_the_key_and_the_batch_size() {
        // GIVEN dev's Coupang batches of 5 and a scenario asking 6 at once
        Scenario s = scenario(Map.of("coupang", new Scenario.CollectorSetup(Optional.empty(), Optional.of(6))));
        // WHEN applied THEN refused
        assertThatThrownBy(() -> CollectorOverrides.apply(DEV, s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sized.yaml: collectors.coupang.inFlight 6").hasMessageContaining("batchSize 5");
    }

    @Test
    void without_collectors_the_environment_is_run_as_deployed() {
        assertThat(CollectorOverrides.apply(DEV, scenario(Map.of()))).isSameAs(DEV);
    }

    private static Scenario scenario(Map<String, Scenario.CollectorSetup> collectors) {
        Scenario.MarketSetup coupang = new Scenario.MarketSetup("coupang", 10, 1, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of());
        return new Scenario(Path.of("sized.yaml"), "sized", "dev", 1, 1, Duration.ofMinutes(1), Scenario.QueueSetup.AS_DEPLOYED,
                Map.of("coupang", coupang), List.of(new Scenario.ScheduleSpike(Duration.ZERO, List.of("coupang"), "ORDERS",
                        Duration.ofDays(7), Duration.ZERO, io.marketgate.limiter.Priority.MEDIUM)), List.of(), collectors);
    }
}
