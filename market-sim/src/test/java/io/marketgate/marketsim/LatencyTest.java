package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The delay distribution on its own: many draws from a seeded random, no network. */
class LatencyTest {

    private static final int DRAWS = 200_000;

    private static long[] draws(Latency latency, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] d = new long[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            d[i] = latency.sampleNanos(random);
        }
        Arrays.sort(d);
        return d;
    }

    private static double quantileMillis(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1e6;
    }

    @Test
    void draws_match_the_fitted_p50_and_p99() {
        // GIVEN a latency of p50 80 ms and p99 300 ms
        Latency latency = Latency.of(Duration.ofMillis(80), Duration.ofMillis(300));

        // WHEN 200,000 delays are drawn from a seeded random
        long[] d = draws(latency, 42);

        // THEN the empirical median and 99th percentile are within 3 % of the fitted ones, and no draw passes the clamp
        assertThat(quantileMillis(d, 0.50)).isCloseTo(80.0, within(80 * 0.03));
        assertThat(quantileMillis(d, 0.99)).isCloseTo(300.0, within(300 * 0.03));
        assertThat(d[0]).isPositive();
        assertThat(d[d.length - 1]).isLessThanOrEqualTo(Latency.MAX_OVER_P99 * Duration.ofMillis(300).toNanos());
    }

    @Test
    void slow_answers_add_their_delay_to_the_given_share() {
        // GIVEN 1 % slow answers of +2 s on a 20..40 ms network
        Latency latency = Latency.of(Duration.ofMillis(20), Duration.ofMillis(40)).withSlow(0.01, Duration.ofSeconds(2));

        // WHEN many delays are drawn
        long[] d = draws(latency, 7);

        // THEN about 1 % are over 2 s (binomial sd ≈ 0.022 %), and the median is the network's
        long slow = Arrays.stream(d).filter(n -> n >= Duration.ofSeconds(2).toNanos()).count();
        assertThat(slow / (double) DRAWS).isCloseTo(0.01, within(0.001));
        assertThat(quantileMillis(d, 0.50)).isCloseTo(20.0, within(20 * 0.03));
    }

    @Test
    void a_seed_gives_the_same_delays_and_a_fixed_delay_draws_nothing() {
        // GIVEN a jittery latency and a fixed one
        Latency jittery = Latency.of(Duration.ofMillis(10), Duration.ofMillis(90));
        Latency fixed = Latency.fixed(Duration.ofMillis(25));

        // WHEN each is drawn from two randoms with the same seed
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);

        // THEN the jittery draws repeat, and the fixed one is exact and leaves the sequence where it was
        for (int i = 0; i < 100; i++) {
            assertThat(jittery.sampleNanos(a)).isEqualTo(jittery.sampleNanos(b));
        }
        assertThat(fixed.sample(a)).isEqualTo(Duration.ofMillis(25));
        assertThat(a.nextLong()).isEqualTo(b.nextLong());
        assertThat(Latency.NONE.sampleNanos(a)).isZero();
        assertThat(Latency.NONE.none()).isTrue();
    }

    @Test
    void the_delay_splits_into_ingress_and_egress_halves() {
        assertThat(Latency.ingressNanos(301)).isEqualTo(150);
        assertThat(Latency.egressNanos(301)).isEqualTo(151);
        assertThat(Latency.ingressNanos(0) + Latency.egressNanos(0)).isZero();
    }

    @Test
    void bad_settings_are_refused_naming_the_field_and_the_rule() {
        assertThatThrownBy(() -> new Latency(Duration.ofMillis(-1), Duration.ZERO, 0, Duration.ZERO))
                .hasMessageContaining("latency.p50").hasMessageContaining("≥ 0");
        assertThatThrownBy(() -> Latency.of(Duration.ofMillis(80), Duration.ofMillis(50)))
                .hasMessageContaining("latency.p99").hasMessageContaining("≥ p50");
        assertThatThrownBy(() -> Latency.of(Duration.ZERO, Duration.ofMillis(50)))
                .hasMessageContaining("latency.p50").hasMessageContaining("> 0 when p99");
        assertThatThrownBy(() -> Latency.fixed(Duration.ofMillis(5)).withSlow(1.5, Duration.ofSeconds(1)))
                .hasMessageContaining("latency.slowRate").hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Latency.fixed(Duration.ofMillis(5)).withSlow(0.1, Duration.ofSeconds(-1)))
                .hasMessageContaining("latency.slow ").hasMessageContaining("≥ 0");
    }

    @Test
    void a_market_has_no_latency_unless_configured_and_a_copy_keeps_it() {
        MarketConfig plain = MarketConfig.named("m").apiKeys("k").sellers("S").build();
        Latency wan = Latency.of(Duration.ofMillis(80), Duration.ofMillis(300)).withSlow(0.01, Duration.ofSeconds(2));

        assertThat(plain.latency()).isEqualTo(Latency.NONE);
        assertThat(plain.toBuilder().latency(wan).build().toBuilder().build().latency()).isEqualTo(wan);
        assertThat(wan.toString()).isEqualTo("p50 80ms, p99 300ms, 1.0% slow +2000ms");
    }
}
