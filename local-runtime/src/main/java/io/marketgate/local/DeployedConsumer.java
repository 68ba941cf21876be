package io.marketgate.local;

import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.InfrastructureConfig;
import java.time.Duration;
import java.util.Optional;

/**
 * One of a market's queues and the function that consumes it, set up locally as the environment deploys them
 * ({@code infrastructure.markets.<m>}): the function's timeout, memory, batch size and maximum concurrency, the queue's
 * visibility timeout (the function's timeout × the visibility multiplier) and its {@code maxReceiveCount}. A
 * scenario's {@code queues:} overrides the last two. An environment without an {@code infrastructure} section gets
 * {@link #DEFAULT_COLLECTOR_TIMEOUT}, {@link #DEFAULT_ACTIONS_TIMEOUT}, {@value LocalContext#DEFAULT_MEMORY_MB} MB, a batch of {@value #DEFAULT_BATCH_SIZE}, the
 * market's fleet size as concurrency, a multiplier of {@value #DEFAULT_VISIBILITY_MULTIPLIER} and
 * {@value #DEFAULT_MAX_RECEIVE_COUNT} receives.
 *
 * <p>A visibility timeout shorter than the function's timeout is refused, as Lambda refuses such an event source: a
 * batch still being worked on would be delivered again, and every extra delivery is a receive towards the DLQ.
 *
 * @param function      the function's name as the platform names it, e.g. {@code dev-11st-actions}
 * @param timeout       the function's timeout: what each invocation's context reports as its time
 * @param memoryMb      the function's memory: what each invocation's context reports
 * @param visibility    the queue's visibility timeout
 */
record DeployedConsumer(String function, Duration timeout, int memoryMb, int batchSize, int concurrency, Duration visibility,
        int maxReceiveCount) {

    static final Duration DEFAULT_COLLECTOR_TIMEOUT = Duration.ofSeconds(60);
    static final Duration DEFAULT_ACTIONS_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_BATCH_SIZE = 10;
    static final int DEFAULT_VISIBILITY_MULTIPLIER = 6;
    static final int DEFAULT_MAX_RECEIVE_COUNT = 10;

    /** Which of a market's two queues. */
    enum Kind {
        COLLECTOR("collector"), ACTIONS("actions");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    /**
     * The consumer of {@code market}'s queue of {@code kind} in {@code environment}, with {@code scenario}'s overrides.
     *
     * @throws IllegalArgumentException naming the scenario's file when its visibility timeout is shorter than the timeout
     */
    static DeployedConsumer of(EnvironmentConfig environment, Scenario scenario, String market, Kind kind) {
        String function = environment.name() + "-" + market + "-" + kind.suffix;
        Optional<InfrastructureConfig.MarketInfrastructure> infra = environment.infrastructure().map(i -> i.market(market));
        Optional<InfrastructureConfig.Consumer> consumer = infra.map(m -> kind == Kind.COLLECTOR ? m.collector() : m.actions());
        Duration timeout = consumer.map(c -> c.size().timeout())
                .orElse(kind == Kind.COLLECTOR ? DEFAULT_COLLECTOR_TIMEOUT : DEFAULT_ACTIONS_TIMEOUT);
        int memoryMb = consumer.map(c -> c.size().memoryMb()).orElse(LocalContext.DEFAULT_MEMORY_MB);
        int batchSize = consumer.map(InfrastructureConfig.Consumer::batchSize).orElse(DEFAULT_BATCH_SIZE);
        int concurrency = consumer.map(InfrastructureConfig.Consumer::maxConcurrency)
                .orElseGet(() -> environment.market(market).fleetSize());
        int multiplier = infra.map(m -> m.queues().visibilityMultiplier()).orElse(DEFAULT_VISIBILITY_MULTIPLIER);
        Duration visibility = scenario.queues().visibilityTimeout().orElse(timeout.multipliedBy(multiplier));
        int receives = scenario.queues().maxReceiveCount()
                .orElseGet(() -> infra.map(m -> m.queues().maxReceiveCount()).orElse(DEFAULT_MAX_RECEIVE_COUNT));
        if (visibility.compareTo(timeout) < 0) {
            throw new IllegalArgumentException(scenario.file() + ": queues.visibilityTimeout " + Durations.format(visibility)
                    + " is shorter than the timeout of " + function + " (" + Durations.format(timeout) + "): a batch still"
                    + " being worked on would be delivered again (Lambda refuses such an event source); make it at least "
                    + Durations.format(timeout) + ", or leave it out to get the deployed " + multiplier + " × the timeout");
        }
        return new DeployedConsumer(function, timeout, memoryMb, batchSize, concurrency, visibility, receives);
    }
}
