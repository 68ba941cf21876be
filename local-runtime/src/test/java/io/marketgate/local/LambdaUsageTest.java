package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.marketgate.config.InfrastructureConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LambdaUsageTest {

    @Test
    void each_invocation_is_rounded_up_to_the_next_millisecond_and_multiplied_by_its_functions_memory() {
        // GIVEN a 1 GB function invoked for 1.5 ms and 2 ms, and a 512 MB one invoked for 1 ns
        LambdaUsage usage = new LambdaUsage();
        usage.invoked("dev-coupang-collector", 1024, 1_500_000);
        usage.invoked("dev-coupang-collector", 1024, 2_000_000);
        usage.invoked("dev-scheduler", 512, 1);
        // WHEN / THEN 2 + 2 ms of 1 GB, and 1 ms (the least Lambda bills) of 0.5 GB
        assertThat(usage.byFunction().get("dev-coupang-collector").billedMillis()).isEqualTo(4);
        assertThat(usage.byFunction().get("dev-coupang-collector").gbSeconds()).isCloseTo(0.004, within(1e-12));
        assertThat(usage.byFunction().get("dev-scheduler").gbSeconds()).isCloseTo(0.0005, within(1e-12));
        assertThat(usage.total().requests()).isEqualTo(3);
        assertThat(usage.total().gbSeconds()).isCloseTo(0.0045, within(1e-12));
    }

    @Test
    void an_instances_initialisation_is_billed_duration_without_a_request() {
        // GIVEN a 2 GB function whose instance took 250 ms to initialise and then served one 10 ms invocation
        LambdaUsage usage = new LambdaUsage();
        usage.initialised("dev-naver-collector", 2048, 250_000_000);
        usage.invoked("dev-naver-collector", 2048, 10_000_000);
        // WHEN / THEN one request, (250 + 10) ms of 2 GB
        LambdaUsage.Usage u = usage.total();
        assertThat(u.requests()).isEqualTo(1);
        assertThat(u.inits()).isEqualTo(1);
        assertThat(u.gbSeconds()).isCloseTo(0.52, within(1e-12));
    }

    @Test
    void the_report_prices_the_run_with_the_environments_prices_and_leaves_the_cost_null_without_them() {
        // GIVEN 1,000 invocations of 1 s of a 1 GB function
        LambdaUsage usage = new LambdaUsage();
        for (int i = 0; i < 1_000; i++) {
            usage.invoked("dev-11st-collector", 1024, 1_000_000_000);
        }
        // WHEN priced at Seoul's x86 prices, and without prices
        Map<String, Object> priced = usage.report(Optional.of(new InfrastructureConfig.Pricing(0.0000166667, 0.20)));
        Map<String, Object> unpriced = usage.report(Optional.empty());
        // THEN 1,000 GB-s × 0.0000166667 + 1,000 requests × 0.20 / 10^6 = 0.0166667 + 0.0002 USD
        assertThat(priced.get("gbSeconds")).isEqualTo(1000.0);
        assertThat(priced.get("requests")).isEqualTo(1000L);
        assertThat((Double) priced.get("costUsd")).isCloseTo(0.016867, within(1e-6));
        assertThat(((Map<?, ?>) ((Map<?, ?>) priced.get("functions")).get("dev-11st-collector")).get("memoryMb")).isEqualTo(1024);
        assertThat(unpriced.get("costUsd")).isNull();
        assertThat(unpriced.get("pricing")).isNull();
    }

    @Test
    void a_function_metered_at_two_memory_sizes_is_refused_naming_it() {
        LambdaUsage usage = new LambdaUsage();
        usage.invoked("dev-cafe24-collector", 1024, 1);
        assertThatThrownBy(() -> usage.invoked("dev-cafe24-collector", 512, 1))
                .hasMessageContaining("dev-cafe24-collector").hasMessageContaining("1024 MB");
    }
}
