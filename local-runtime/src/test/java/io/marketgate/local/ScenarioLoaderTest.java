package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.ConfigException;
import io.marketgate.config.ConfigProblem;
import io.marketgate.limiter.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {
    private static final Set<String> MARKETS = Set.of("coupang", "cafe24", "11st");

    @TempDir
    Path dir;

    @Test
    void the_spike_scenario_at_the_repository_root_is_valid_and_has_the_promised_shape() {
        // GIVEN the repository's spike scenario
        Path file = Path.of("..", "scenarios", "scheduler-spike.yaml");
        // WHEN it is loaded
        Scenario s = ScenarioLoader.load(file, Set.of("coupang", "naver", "cafe24", "11st"));
        // THEN it has four markets (Coupang and Naver on their own protocols), at least 500 sellers, a compressed
        // 10 min spread, HIGH actions during it, and Naver revoking its tokens once
        assertThat(s.markets()).containsOnlyKeys("coupang", "naver", "cafe24", "11st");
        assertThat(s.markets().get("naver").revokeTokensAt()).containsExactly(Duration.ofMinutes(5));
        assertThat(s.totalSellers()).isGreaterThanOrEqualTo(500);
        assertThat(s.real(s.schedules().get(0).spreadOver())).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.schedules().get(0).priority()).isEqualTo(Priority.MEDIUM);
        assertThat(s.expectedActions()).isPositive();
        assertThat(s.actions()).allSatisfy(a -> assertThat(a.to()).isLessThanOrEqualTo(s.schedules().get(0).spreadOver()));
    }

    @Test
    void token_revocations_are_a_list_of_scenario_times_for_a_simulated_market() throws IOException {
        // GIVEN a revocation time that is not a list, one that is no duration, and one on a market at a base URL
        Path file = write("""
                name: revocations
                markets:
                  coupang: {sellers: 1, revokeTokensAt: 5m}
                  cafe24: {sellers: 1, revokeTokensAt: [soon]}
                  11st: {sellers: 1, baseUrl: "http://127.0.0.1:9/11st", apiKey: k, revokeTokensAt: [1m]}
                schedules: [{at: 0s}]
                """);
        // THEN each is named with its path
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("markets.coupang.revokeTokensAt", "markets.cafe24.revokeTokensAt[0]", "markets.11st.revokeTokensAt"));
    }

    @Test
    void cafe24_connection_events_are_read_and_each_mistake_is_named_by_its_key() throws IOException {
        // GIVEN the shipped connections scenario
        Scenario shipped = ScenarioLoader.load(Path.of("..", "scenarios", "seller-connections.yaml"), MARKETS);
        Scenario.ConnectionEvents events = shipped.markets().get("cafe24").connections();
        assertThat(events.expireAccessTokensAt()).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(15));
        assertThat(events.revokeRefreshTokensAt()).containsExactly(new Scenario.MallRevocation(Duration.ofMinutes(8), 2),
                new Scenario.MallRevocation(Duration.ofMinutes(12), 2));
        assertThat(events.tokenEndpointOutages()).containsExactly(
                new Scenario.TokenOutage(Duration.ofMinutes(15), Duration.ofMinutes(17), 503));
        assertThat(events.revokedMalls()).isEqualTo(4);

        // GIVEN every kind of mistake in the new keys
        Path file = write("""
                markets:
                  cafe24:
                    sellers: 3
                    expireAccessTokensAt: [later]
                    revokeRefreshTokensAt: [{at: 1m, malls: 2, who: x}, {at: 2m, malls: 2}, 5m]
                    tokenEndpointOutages: [{from: 3m, to: 2m, status: 404}, {from: 1m}]
                  coupang: {sellers: 1, baseUrl: "http://127.0.0.1:9/c", expireAccessTokensAt: [1m]}
                schedules: [{at: 0s}]
                """);
        // THEN each is named with its path
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("markets.cafe24.expireAccessTokensAt[0]", "markets.cafe24.revokeRefreshTokensAt[0].who",
                                "markets.cafe24.revokeRefreshTokensAt[2]", "markets.cafe24.revokeRefreshTokensAt",
                                "markets.cafe24.tokenEndpointOutages[0].to", "markets.cafe24.tokenEndpointOutages[0].status",
                                "markets.cafe24.tokenEndpointOutages[1]", "markets.coupang"))
                .hasMessageContaining("revokes 4 malls in all, more than the market's 3 sellers");
    }

    @Test
    void the_unfinished_orders_scenario_moves_its_orders_and_repeats_its_tracking_runs_at_low() {
        // GIVEN the shipped scenario
        Scenario s = ScenarioLoader.load(Path.of("..", "scenarios", "unfinished-orders.yaml"), Set.of("coupang", "naver", "cafe24", "11st"));
        // THEN its markets' orders move, one collection of a range and tracking runs every 10 s from 30 s to 60 s
        assertThat(s.markets().values()).allSatisfy(m -> assertThat(m.orderLifecycle().moves()).isTrue());
        assertThat(s.schedules()).filteredOn(sp -> !sp.tracksUnfinished()).hasSize(1);
        assertThat(s.schedules()).filteredOn(Scenario.ScheduleSpike::tracksUnfinished)
                .extracting(Scenario.ScheduleSpike::at).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(40),
                        Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertThat(s.schedules()).filteredOn(Scenario.ScheduleSpike::tracksUnfinished)
                .allSatisfy(sp -> assertThat(sp.priority()).isEqualTo(Priority.LOW));
        // AND only the collection's requests are known before the run
        assertThat(s.expectedCollectionRequests()).isEqualTo(s.totalSellers());
    }

    @Test
    void tracking_schedules_and_order_lifecycles_name_each_mistake_by_its_key() throws IOException {
        // GIVEN a tracking run without maxAge and with a lookback, another track, maxAge without track, a repetition
        // without a period, and lifecycles without a minimum stage or with a maximum below it
        Path file = write("""
                name: tracking
                markets:
                  coupang: {sellers: 1, orderLifecycle: {maxStage: 2s}}
                  cafe24: {sellers: 1, orderLifecycle: {minStage: 3s, maxStage: 2s, cancelledPercent: 101}}
                  11st: {sellers: 1, baseUrl: "http://127.0.0.1:9/11st", apiKey: k, orderLifecycle: {minStage: 1s}}
                schedules:
                  - {at: 0s, track: unfinished, lookback: 5m}
                  - {at: 0s, track: all, maxAge: 1h}
                  - {at: 0s, maxAge: 1h}
                  - {at: 0s, every: 0s, until: 1m}
                  - {at: 0s, until: 1m}
                """);
        // THEN each is named with its path
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("markets.coupang.orderLifecycle.minStage", "markets.cafe24.orderLifecycle.maxStage",
                                "markets.cafe24.orderLifecycle.cancelledPercent", "markets.11st.orderLifecycle",
                                "schedules[0].maxAge", "schedules[0].lookback", "schedules[1].track", "schedules[2].maxAge",
                                "schedules[3].every", "schedules[4].until"));
    }

    @Test
    void a_markets_latency_is_read_with_p99_defaulting_to_p50() throws IOException {
        // GIVEN a jittery market with slow answers, a fixed-delay one and one without latency
        Path file = write("""
                name: latency
                markets:
                  coupang: {sellers: 1, latency: {p50: 80ms, p99: 300ms, slowPercent: 1, slow: 2s}}
                  cafe24: {sellers: 1, latency: {p50: 40ms}}
                  11st: {sellers: 1}
                schedules:
                  - {at: 0s}
                """);

        // WHEN it is loaded
        Scenario s = ScenarioLoader.load(file, MARKETS);

        // THEN each market has the latency it names
        assertThat(s.markets().get("coupang").latency()).isEqualTo(new io.marketgate.marketsim.Latency(
                Duration.ofMillis(80), Duration.ofMillis(300), 0.01, Duration.ofSeconds(2)));
        assertThat(s.markets().get("cafe24").latency()).isEqualTo(io.marketgate.marketsim.Latency.fixed(Duration.ofMillis(40)));
        assertThat(s.markets().get("11st").latency()).isEqualTo(io.marketgate.marketsim.Latency.NONE);
    }

    @Test
    void latency_mistakes_are_named_by_their_key() throws IOException {
        // GIVEN a p99 under p50, a missing p50, a percent over 100 without its slow, an unknown key, a non-mapping
        // and a latency on a market that is not simulated
        Path file = write("""
                name: latency
                markets:
                  coupang: {sellers: 1, latency: {p50: 80ms, p99: 50ms, jitter: 5ms}}
                  cafe24: {sellers: 1, latency: {p99: 50ms, slowPercent: 120}}
                  11st: {sellers: 1, baseUrl: "http://127.0.0.1:9/11st", apiKey: k, latency: fast}
                schedules:
                  - {at: 0s}
                """);

        // THEN each is named with its path
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("markets.coupang.latency.p99", "markets.coupang.latency.jitter",
                                "markets.cafe24.latency.p50", "markets.cafe24.latency.slowPercent", "markets.cafe24.latency.slow",
                                "markets.11st.latency"))
                .hasMessageContaining("must be ≥ p50 (80ms), was 50ms");
    }

    @Test
    void a_schedule_collects_any_kind_and_an_unknown_kind_or_a_tracked_kind_other_than_orders_is_named_by_its_key() throws IOException {
        // GIVEN a schedule of claims: taken
        Path claims = write("""
                name: kinds
                markets:
                  coupang: {sellers: 1}
                schedules: [{at: 0s, kind: CLAIMS}]
                """);
        assertThat(ScenarioLoader.load(claims, MARKETS).schedules().get(0).kind()).isEqualTo("CLAIMS");
        // WHEN a schedule names an unknown kind, and a tracking one a kind other than orders
        Path file = write("""
                name: kinds
                markets:
                  coupang: {sellers: 1}
                schedules:
                  - {at: 0s, kind: INVOICES}
                  - {at: 0s, kind: REVIEWS, track: unfinished, maxAge: 1h}
                """);
        // THEN each is named with its path
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("schedules[0].kind", "schedules[1].kind"));
    }

    @Test
    void every_problem_is_reported_with_file_path_and_rule() throws IOException {
        // GIVEN a scenario with several mistakes
        Path file = write("""
                name: broken
                timeScale: 0
                colour: blue
                markets:
                  coupang: {sellers: -1, baseUrl: "ftp://x"}
                  naver: {sellers: 3}
                schedules:
                  - {markets: [coupang, amazon], spreadOver: 20m, priority: URGENT}
                actions:
                  - {market: cafe24, count: 2, from: 5m, to: 1m}
                """);
        // WHEN it is loaded
        // THEN one exception lists every problem as file: path: rule
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .contains("timeScale", "colour", "markets.coupang.sellers", "markets.coupang.baseUrl", "markets.naver",
                                "schedules[0].markets[1]", "schedules[0].spreadOver", "schedules[0].priority",
                                "actions[0].market", "actions[0].to"))
                .hasMessageContaining(file + ": schedules[0].spreadOver: must be at most 15m");
    }

    @Test
    void a_market_may_point_at_any_base_url_instead_of_a_simulated_one() throws IOException {
        // GIVEN a market at a base URL of its own
        Path file = write("""
                markets:
                  11st: {sellers: 2, baseUrl: "http://127.0.0.1:9999/11st", apiKey: other-key}
                schedules:
                  - {at: 0s}
                """);
        // WHEN it is loaded
        Scenario s = ScenarioLoader.load(file, MARKETS);
        // THEN it is not simulated, and the schedule defaults to every market, ORDERS, MEDIUM, 10 min
        assertThat(s.markets().get("11st").simulated()).isFalse();
        assertThat(s.schedules().get(0).markets()).containsExactly("11st");
        assertThat(s.schedules().get(0).spreadOver()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.timeScale()).isEqualTo(1.0);
        assertThat(s.queues()).isEqualTo(Scenario.QueueSetup.AS_DEPLOYED);
    }

    @Test
    void the_queues_redrive_setting_can_be_raised_for_markets_that_defer_often() throws IOException {
        // GIVEN a scenario that allows 100 receives before the DLQ
        Path file = write("""
                queues: {maxReceiveCount: 100, visibilityTimeout: 45s}
                markets: {coupang: {sellers: 1}}
                schedules: [{at: 0s}]
                """);
        // WHEN it is loaded
        Scenario s = ScenarioLoader.load(file, MARKETS);
        // THEN the queues are created with it
        assertThat(s.queues()).isEqualTo(new Scenario.QueueSetup(Optional.of(Duration.ofSeconds(45)), Optional.of(100)));
    }

    @Test
    void a_queues_override_outside_sqs_range_is_reported_with_its_path() throws IOException {
        // GIVEN a zero visibility and a receive count above SQS's maximum
        Path file = write("""
                queues: {visibilityTimeout: 0s, maxReceiveCount: 1001}
                markets: {coupang: {sellers: 1}}
                schedules: [{at: 0s}]
                """);
        // WHEN it is loaded THEN both are named
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .containsExactlyInAnyOrder("queues.visibilityTimeout", "queues.maxReceiveCount"));
    }

    @Test
    void a_scenario_sizes_a_markets_collectors_and_its_baseline_keeps_one_message_at_a_time() throws IOException {
        // GIVEN a scenario with 20 Coupang collectors of 5 messages at once, and 11st's left as deployed
        Path file = write("""
                name: sized
                markets: {coupang: {sellers: 100}, 11st: {sellers: 10}}
                collectors: {coupang: {maxConcurrency: 20, inFlight: 5}}
                schedules: [{at: 0s, lookback: 7d}]
                """);
        // WHEN it is loaded, and made its baseline
        Scenario s = ScenarioLoader.load(file, MARKETS);
        Scenario baseline = s.baseline();
        // THEN the sizes are read; the baseline keeps the instances, with one message at a time on every market
        assertThat(s.collectors()).containsExactly(java.util.Map.entry("coupang",
                new Scenario.CollectorSetup(Optional.of(20), Optional.of(5))));
        assertThat(baseline.name()).isEqualTo("sized-baseline");
        assertThat(baseline.collectors()).containsOnly(
                java.util.Map.entry("coupang", new Scenario.CollectorSetup(Optional.of(20), Optional.of(1))),
                java.util.Map.entry("11st", new Scenario.CollectorSetup(Optional.empty(), Optional.of(1))));
        assertThat(baseline.markets()).isEqualTo(s.markets());
    }

    @Test
    void collector_sizes_outside_what_sqs_and_a_batch_allow_and_unknown_markets_are_named_by_their_key() throws IOException {
        // GIVEN one instance (an SQS event source has at least 2), 11 messages at once (a batch has at most 10), an
        // unknown key and a market that is not under markets
        Path file = write("""
                markets: {coupang: {sellers: 1}, 11st: {sellers: 1}}
                collectors:
                  coupang: {maxConcurrency: 1, inFlight: 11}
                  11st: {inflight: 2}
                  cafe24: {inFlight: 2}
                schedules: [{at: 0s}]
                """);
        // WHEN it is loaded THEN each is named
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).extracting(ConfigProblem::path)
                        .containsExactlyInAnyOrder("collectors.coupang.maxConcurrency", "collectors.coupang.inFlight",
                                "collectors.11st.inflight", "collectors.cafe24"));
    }

    @Test
    void the_fleet_scenarios_load_with_ten_thousand_sellers_and_the_largest_fleet_that_fits_one_machine() {
        // GIVEN / WHEN the shipped fleet scenarios are loaded
        Set<String> all = Set.of("coupang", "naver", "cafe24", "11st");
        Scenario fleet = ScenarioLoader.load(Path.of("..", "scenarios", "fleet-7-days.yaml"), all);
        Scenario fits = ScenarioLoader.load(Path.of("..", "scenarios", "fleet-7-days-fits.yaml"), all);
        // THEN the fleet has 10,000 sellers across the four markets, each with a latency, seven days of lookback at
        // once, and every 11st seller's collection able to start at once (each takes the 48 s of its key's pace); the one
        // that fits keeps its
        // binding market (Naver, per application) as it is
        assertThat(fleet.totalSellers()).isGreaterThanOrEqualTo(10_000);
        assertThat(fleet.markets().values()).allSatisfy(m -> assertThat(m.latency()).isNotEqualTo(
                io.marketgate.marketsim.Latency.NONE));
        assertThat(fleet.schedules()).singleElement().satisfies(sp -> {
            assertThat(sp.lookback()).isEqualTo(Duration.ofDays(7));
            assertThat(sp.spreadOver()).isZero();
            assertThat(sp.priority()).isEqualTo(Priority.MEDIUM);
        });
        Scenario.CollectorSetup elevenSt = fleet.collectors().get("11st");
        assertThat(elevenSt.maxConcurrency().orElseThrow() * elevenSt.inFlight().orElseThrow())
                .isGreaterThanOrEqualTo(fleet.markets().get("11st").sellers());
        assertThat(fits.markets().get("naver")).isEqualTo(fleet.markets().get("naver"));
        assertThat(fits.totalSellers()).isLessThan(fleet.totalSellers());
    }

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
