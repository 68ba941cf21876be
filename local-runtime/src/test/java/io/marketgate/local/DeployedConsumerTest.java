package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.config.InfrastructureConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployedConsumerTest {
    private static final EnvironmentConfig DEV = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
    private static final Scenario SPIKE = ScenarioLoader.load(Path.of("..", "scenarios", "scheduler-spike.yaml"),
            DEV.markets().keySet());

    @Test
    void without_overrides_the_queues_and_consumers_are_those_the_environment_deploys() {
        // GIVEN dev's infrastructure for 11st and the spike scenario, which does not override the queues
        InfrastructureConfig.MarketInfrastructure infra = DEV.infrastructure().orElseThrow().market("11st");
        // WHEN the local platform plans 11st's consumers
        DeployedConsumer collector = DeployedConsumer.of(DEV, SPIKE, "11st", DeployedConsumer.Kind.COLLECTOR);
        DeployedConsumer actor = DeployedConsumer.of(DEV, SPIKE, "11st", DeployedConsumer.Kind.ACTIONS);
        // THEN each has its function's timeout, memory, batch and concurrency, and a visibility of multiplier x timeout
        assertThat(collector).isEqualTo(new DeployedConsumer("dev-11st-collector", infra.collector().size().timeout(),
                infra.collector().size().memoryMb(), infra.collector().batchSize(), infra.collector().maxConcurrency(),
                infra.collector().size().timeout().multipliedBy(infra.queues().visibilityMultiplier()),
                infra.queues().maxReceiveCount()));
        assertThat(actor).isEqualTo(new DeployedConsumer("dev-11st-actions", infra.actions().size().timeout(),
                infra.actions().size().memoryMb(), infra.actions().batchSize(), infra.actions().maxConcurrency(),
                infra.actions().size().timeout().multipliedBy(infra.queues().visibilityMultiplier()),
                infra.queues().maxReceiveCount()));
        assertThat(actor.visibility()).isGreaterThan(actor.timeout());
        assertThat(actor.memoryMb()).isNotEqualTo(LocalContext.DEFAULT_MEMORY_MB);
    }

    @Test
    void a_scenario_overrides_visibility_and_receives() {
        // GIVEN a scenario raising the receives and setting the visibility
        Scenario s = withQueues(new Scenario.QueueSetup(Optional.of(Duration.ofMinutes(10)), Optional.of(100)));
        // WHEN planned
        DeployedConsumer collector = DeployedConsumer.of(DEV, s, "coupang", DeployedConsumer.Kind.COLLECTOR);
        // THEN the overrides apply and the function keeps its deployed timeout
        assertThat(collector.visibility()).isEqualTo(Duration.ofMinutes(10));
        assertThat(collector.maxReceiveCount()).isEqualTo(100);
        assertThat(collector.timeout()).isEqualTo(DEV.infrastructure().orElseThrow().market("coupang").collector().size().timeout());
    }

    @Test
    void a_visibility_shorter_than_the_functions_timeout_is_refused_naming_the_file_and_both_values() {
        // GIVEN a scenario whose visibility (30 s) is shorter than dev's collector timeout (60 s)
        Scenario s = withQueues(new Scenario.QueueSetup(Optional.of(Duration.ofSeconds(30)), Optional.empty()));
        // WHEN planned THEN refused, as Lambda refuses such an event source
        assertThatThrownBy(() -> DeployedConsumer.of(DEV, s, "coupang", DeployedConsumer.Kind.COLLECTOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduler-spike.yaml")
                .hasMessageContaining("queues.visibilityTimeout 30s")
                .hasMessageContaining("dev-coupang-collector (1m)");
    }

    @Test
    void an_environment_without_infrastructure_gets_the_documented_defaults() {
        // GIVEN dev without its infrastructure section
        EnvironmentConfig bare = new EnvironmentConfig(DEV.name(), DEV.aws(), DEV.limiter(), DEV.markets());
        // WHEN planned
        DeployedConsumer actor = DeployedConsumer.of(bare, SPIKE, "cafe24", DeployedConsumer.Kind.ACTIONS);
        // THEN the defaults, with the market's fleet size as concurrency
        assertThat(actor).isEqualTo(new DeployedConsumer("dev-cafe24-actions", DeployedConsumer.DEFAULT_ACTIONS_TIMEOUT,
                LocalContext.DEFAULT_MEMORY_MB, DeployedConsumer.DEFAULT_BATCH_SIZE, DEV.market("cafe24").fleetSize(),
                DeployedConsumer.DEFAULT_ACTIONS_TIMEOUT.multipliedBy(DeployedConsumer.DEFAULT_VISIBILITY_MULTIPLIER),
                DeployedConsumer.DEFAULT_MAX_RECEIVE_COUNT));
    }

    private static Scenario withQueues(Scenario.QueueSetup queues) {
        return new Scenario(SPIKE.file(), SPIKE.name(), SPIKE.environment(), SPIKE.timeScale(), SPIKE.seed(),
                SPIKE.maxDuration(), queues, SPIKE.markets(), SPIKE.schedules(), SPIKE.actions());
    }
}
