package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.ConfigException;
import io.marketgate.config.ConfigProblem;
import io.marketgate.marketsim.MarketFault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code faults} of a scenario: every type read into its record, every mistake named by file, faults[i].key and rule. */
class ScenarioFaultsLoaderTest {
    private static final Set<String> MARKETS = Set.of("coupang", "naver", "cafe24", "11st");
    private static final String HEAD = """
            name: f
            markets:
              coupang: {sellers: 2}
              11st: {sellers: 1, baseUrl: "http://127.0.0.1:9/11st", apiKey: k}
            schedules: [{at: 0s}]
            faults:
            """;

    @TempDir
    Path dir;

    @Test
    void every_fault_type_is_read_with_its_window_and_its_settings() throws IOException {
        // GIVEN one fault of every type the local platform can run
        Path file = write(HEAD + """
                  - {type: serverErrors, market: coupang, from: 1s, to: 2s, rate: 0.5, status: 502}
                  - {type: timeouts, market: coupang, from: 1s, to: 2s, delay: 10s}
                  - {type: hang, market: coupang, from: 1s, to: 2s}
                  - {type: latency, market: coupang, from: 1s, to: 2s, p50: 100ms, p99: 900ms}
                  - {type: storm429, market: coupang, from: 1s, to: 2s, retryAfter: 3s}
                  - {type: penaltyBlock, market: coupang, from: 1s, to: 2s}
                  - {type: ipRejected, egressGroup: fixed-ip, from: 1s, to: 2s, pause: 20s}
                  - {type: malformed, market: coupang, from: 1s, to: 2s, rate: 0.1}
                  - {type: credentialRevoked, market: coupang, from: 1s, to: 2s}
                  - {type: valkeyPaused, from: 1s, to: 2s}
                  - {type: valkeyRestarted, from: 1s, to: 2s}
                  - {type: collectorKilled, market: coupang, from: 1s, to: 2s, afterMessages: 3, times: 2}
                  - {type: duplicateDeliveries, from: 1s, to: 2s, share: 0.25}
                  - {type: clockSkew, market: coupang, from: 1s, to: 2s, skewSeconds: -30}
                """);

        // WHEN it is loaded
        Scenario s = ScenarioLoader.load(file, MARKETS);

        // THEN each is its record, in order, with what the file says and the defaults for the rest
        List<Scenario.Fault> f = s.faults();
        assertThat(f).extracting(Scenario.Fault::type).containsExactly("serverErrors", "timeouts", "hang", "latency",
                "storm429", "penaltyBlock", "ipRejected", "malformed", "credentialRevoked", "valkeyPaused", "valkeyRestarted",
                "collectorKilled", "duplicateDeliveries", "clockSkew");
        assertThat(f).extracting(Scenario.Fault::from).containsOnly(Duration.ofSeconds(1));
        assertThat(((Scenario.MarketSide) f.get(0)).fault()).isEqualTo(new MarketFault.ServerErrors(0.5, 502));
        assertThat(((Scenario.MarketSide) f.get(1)).fault()).isEqualTo(new MarketFault.Timeouts(1.0, Duration.ofSeconds(10)));
        assertThat(((Scenario.LatencyFault) f.get(3)).latency().p99()).isEqualTo(Duration.ofMillis(900));
        assertThat(((Scenario.MarketSide) f.get(4)).fault()).isEqualTo(new MarketFault.Storm429(1.0, Duration.ofSeconds(3)));
        assertThat(f.get(6)).isEqualTo(new Scenario.EgressRejected(6, Duration.ofSeconds(1), Duration.ofSeconds(2), "fixed-ip",
                Optional.of(Duration.ofSeconds(20))));
        assertThat(s.ipPause()).contains(Duration.ofSeconds(20));
        assertThat(f.get(11)).isEqualTo(new Scenario.CollectorKilled(11, Duration.ofSeconds(1), Duration.ofSeconds(2), "coupang", 3, 2));
        assertThat(f.get(12)).isEqualTo(new Scenario.DuplicateDeliveries(12, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Optional.empty(), 0.25));
        assertThat(((Scenario.ClockSkew) f.get(13)).skew()).isEqualTo(Duration.ofSeconds(-30));
    }

    @Test
    void every_bad_fault_is_named_by_file_index_key_and_rule() throws IOException {
        // GIVEN faults with each kind of mistake
        Path file = write(HEAD + """
                  - {type: meteor, from: 1s, to: 2s}
                  - {type: hang, market: coupang, from: 5s, to: 2s}
                  - {type: serverErrors, market: coupang, to: 2s, rate: 1.5, status: 404}
                  - {type: storm429, market: lotteon, from: 1s, to: 2s}
                  - {type: hang, market: 11st, from: 1s, to: 2s}
                  - {type: latency, market: coupang, from: 1s, to: 2s, p50: 500ms, p99: 100ms}
                  - {type: ipRejected, market: coupang, egressGroup: fixed-ip, from: 1s, to: 2s}
                  - {type: duplicateDeliveries, from: 1s, to: 2s}
                  - {type: clockSkew, market: coupang, from: 1s, to: 2s, skewSeconds: 0}
                  - {type: collectorKilled, market: coupang, from: 1s, to: 2s, afterMessages: 10}
                  - {type: clusterFailover, from: 1s, to: 2s, mode: graceful, nodeTimeout: 100ms}
                  - {type: valkeyPaused, market: coupang, from: 1s, to: 2s}
                  - just text
                """);

        // WHEN it is loaded, THEN every problem is reported at once, each naming the file, its path and the rule
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).allSatisfy(p -> assertThat(p.file()).isEqualTo(file));
            assertThat(rules(e)).contains(
                    "faults[0].type: must be one of serverErrors, timeouts, hang, latency, storm429, penaltyBlock, ipRejected, "
                            + "malformed, credentialRevoked, valkeyPaused, valkeyRestarted, clusterFailover, collectorKilled, "
                            + "duplicateDeliveries, clockSkew, was 'meteor'",
                    "faults[1].to: must be after from (5s), was 2s",
                    "faults[2].from: is required (scenario time at which the fault starts)",
                    "faults[2].rate: must be in 0..1, was 1.5",
                    "faults[2].status: must be in 500..599, was 404",
                    "faults[3].market: 'lotteon' is not under markets: [coupang, 11st]",
                    "faults[4].market: '11st' is at a base URL of its own; hang applies only to a simulated market",
                    "faults[5].p99: must be ≥ p50 (500ms), was 100ms",
                    "faults[6]: needs exactly one of market (one market refuses our IP) and egressGroup (every market of the "
                            + "scenario in that egress group refuses it)",
                    "faults[7].share: is required (the share of messages delivered twice, in (0, 1])",
                    "faults[8].skewSeconds: must not be 0 (a skew of nothing is no fault)",
                    "faults[9].afterMessages: must be in 0..9, was 10",
                    "faults[10].mode: must be kill (SIGKILL of the master; its replica takes over after nodeTimeout) or "
                            + "manual (CLUSTER FAILOVER on its replica), was 'graceful'",
                    "faults[10].nodeTimeout: must be 500ms to 60s (the cluster's cluster-node-timeout), was 100ms",
                    "faults[12]: must be a mapping {type: T, from: DURATION, to: DURATION, ...}");
            assertThat(rules(e)).noneSatisfy(r -> assertThat(r).contains("cannot run here"));
            assertThat(rules(e)).anySatisfy(r -> assertThat(r).startsWith("faults[11].market: is not a known field"));
        });
    }

    @Test
    void a_cluster_failover_is_read_with_its_defaults_and_makes_the_platform_run_a_cluster() throws IOException {
        // GIVEN a failover that names nothing but its window, and one that names its market, mode and node timeout
        Path defaults = write(HEAD + """
                  - {type: clusterFailover, from: 10s, to: 30s}
                """);
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, HEAD + """
                  - {type: clusterFailover, market: 11st, mode: manual, nodeTimeout: 3s, from: 10s, to: 30s}
                """);

        // WHEN they are loaded
        Scenario d = ScenarioLoader.load(defaults, MARKETS);
        Scenario n = ScenarioLoader.load(named, MARKETS);

        // THEN the first kills the master serving most markets, with a 2 s node timeout; the second is as written (a
        // market at a base URL of its own has budgets in the store like any other)
        assertThat(d.faults()).containsExactly(new Scenario.ClusterFailover(0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Optional.empty(), Scenario.FailoverMode.KILL, Duration.ofSeconds(2)));
        assertThat(n.faults()).containsExactly(new Scenario.ClusterFailover(0, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Optional.of("11st"), Scenario.FailoverMode.MANUAL, Duration.ofSeconds(3)));
        // AND a scenario with one runs the limiter's store on a cluster; one without does not
        assertThat(d.clusterFailover()).contains((Scenario.ClusterFailover) d.faults().get(0));
        assertThat(ScenarioLoader.load(write(HEAD + "  - {type: valkeyPaused, from: 1s, to: 2s}\n"), MARKETS)
                .clusterFailover()).isEmpty();
    }

    @Test
    void a_second_failover_a_standalone_valkey_fault_beside_one_or_an_unknown_market_is_refused_naming_the_rule()
            throws IOException {
        // GIVEN two failovers, a valkeyRestarted beside them, and a failover of a market not in the scenario
        Path file = write(HEAD + """
                  - {type: clusterFailover, from: 1s, to: 2s}
                  - {type: clusterFailover, from: 3s, to: 4s}
                  - {type: valkeyRestarted, from: 5s, to: 6s}
                  - {type: clusterFailover, market: lotteon, from: 7s, to: 8s}
                """);

        // WHEN it is loaded, THEN each mistake is named with its rule
        assertThatThrownBy(() -> ScenarioLoader.load(file, MARKETS)).isInstanceOfSatisfying(ConfigException.class, e ->
                assertThat(rules(e)).containsExactlyInAnyOrder(
                        "faults[1].type: only one clusterFailover per scenario (the cluster has one node timeout, and one "
                                + "failed master at a time); faults[0] is one already",
                        "faults[3].type: only one clusterFailover per scenario (the cluster has one node timeout, and one "
                                + "failed master at a time); faults[0] is one already",
                        "faults[2].type: valkeyRestarted acts on the standalone Valkey, but faults[0] (clusterFailover) runs "
                                + "the limiter's store on a cluster; put them in two scenarios",
                        "faults[3].market: 'lotteon' is not under markets: [coupang, 11st]"));
    }

    @Test
    void every_chaos_scenario_of_the_repository_loads_and_stays_within_three_minutes() throws IOException {
        // GIVEN the chaos suite's scenarios
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("..", "scenarios", "chaos"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }

        // WHEN each is loaded, THEN it is valid, has faults, and its maxDuration keeps it within 3 min of real time
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path file : files) {
            Scenario s = ScenarioLoader.load(file, MARKETS);
            assertThat(s.faults()).as(file.toString()).isNotEmpty();
            assertThat(s.maxDuration()).as(file.toString()).isLessThanOrEqualTo(Duration.ofMinutes(3));
        }
    }

    private static List<String> rules(ConfigException e) {
        return e.problems().stream().map(p -> p.path() + ": " + p.rule()).toList();
    }

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }
}
