package io.marketgate.local;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.MarketConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scenario's {@code collectors:} applied to its environment for one run: each named market's collector gets the
 * scenario's {@code maxConcurrency} and {@code inFlight} in {@code infrastructure.markets.<m>.collector} (what the
 * platform's event sources and the collector itself read), and the market's {@code fleetSize} is raised to the
 * collector's and the actions consumer's concurrency together where it was below, as the environment file must keep it
 * (local fallback grants {@code limit / fleetSize} to each instance that can run).
 */
final class CollectorOverrides {
    private CollectorOverrides() {}

    /**
     * {@code environment} with {@code scenario}'s collector overrides, or {@code environment} itself without any.
     *
     * @throws IllegalArgumentException naming the scenario's file and key when the environment has no
     *     {@code infrastructure} to override, or an {@code inFlight} is above the market's batch size
     */
    static EnvironmentConfig apply(EnvironmentConfig environment, Scenario scenario) {
        if (scenario.collectors().isEmpty()) {
            return environment;
        }
        InfrastructureConfig infra = environment.infrastructure().orElseThrow(() -> new IllegalArgumentException(
                scenario.file() + ": collectors: environment '" + environment.name() + "' has no infrastructure section whose "
                        + "collectors the scenario could override"));
        Map<String, InfrastructureConfig.MarketInfrastructure> markets = new LinkedHashMap<>(infra.markets());
        Map<String, MarketConfig> configs = new LinkedHashMap<>(environment.markets());
        scenario.collectors().forEach((market, setup) -> {
            InfrastructureConfig.MarketInfrastructure m = infra.market(market);
            InfrastructureConfig.Consumer c = m.collector();
            int instances = setup.maxConcurrency().orElse(c.maxConcurrency());
            int inFlight = setup.inFlight().orElse(c.inFlight());
            if (inFlight > c.batchSize()) {
                throw new IllegalArgumentException(scenario.file() + ": collectors." + market + ".inFlight " + inFlight
                        + " is above the collector's batchSize " + c.batchSize() + " in environment '" + environment.name()
                        + "': an instance never holds more messages than one batch");
            }
            markets.put(market, new InfrastructureConfig.MarketInfrastructure(m.market(), m.egressGroup(), m.queues(),
                    new InfrastructureConfig.Consumer(c.size(), instances, c.batchSize(), inFlight), m.actions(), m.schedules()));
            MarketConfig mc = environment.market(market);
            int fleet = Math.max(mc.fleetSize(), instances + m.actions().maxConcurrency());
            configs.put(market, new MarketConfig(mc.name(), mc.displayName(), fleet, mc.failureModeKind(), mc.budgets(), mc.calls(),
                    mc.adapter()));
        });
        InfrastructureConfig overridden = new InfrastructureConfig(infra.vpc(), infra.egressGroups(), infra.valkey(), markets,
                infra.functions(), infra.logRetentionDays(), infra.apiStage(), infra.deployment(), infra.exportExpiry(),
                infra.pricing());
        return new EnvironmentConfig(environment.name(), environment.aws(), environment.limiter(), configs, environment.api(),
                java.util.Optional.of(overridden));
    }
}
