package io.marketgate.devtools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static final long SECOND = 1_000_000_000L;

    /** A cell of {@code decisions} decisions in one second, all taking {@code micros} µs, all grants. */
    private static Cell cell(String name, int callers, long decisions, long micros) {
        Histogram latencies = new Histogram(3);
        latencies.recordValueWithCount(micros * 1_000L, decisions);
        Cell cell = new Cell(name, callers);
        cell.add(latencies, decisions, SECOND, Map.of("evalsha", decisions));
        return cell;
    }

    private static BenchReport report(List<Cell> cells) {
        return new BenchReport(Scenario.GRANTS, cells, "floor", "this limiter", true);
    }

    @Test
    void percentiles_come_from_the_latency_histogram_in_microseconds() {
        // GIVEN 98 decisions of 100 µs and 2 of 5 ms in one second
        Histogram latencies = new Histogram(3);
        latencies.recordValueWithCount(100_000L, 98);
        latencies.recordValueWithCount(5_000_000L, 2);
        Cell cell = new Cell("floor", 16);

        // WHEN the slice is added
        cell.add(latencies, 60, SECOND, Map.of("evalsha", 100L, "incr", 100L));

        // THEN
        assertThat(cell.decisions()).isEqualTo(100);
        assertThat(cell.opsPerSecond()).isCloseTo(100.0, within(1e-9));
        assertThat(cell.p50Micros()).isCloseTo(100.0, within(0.1));
        assertThat(cell.p99Micros()).isCloseTo(5_000.0, within(5.0));
        assertThat(cell.grantShare()).isCloseTo(0.6, within(1e-9));
        assertThat(cell.commandsPerDecision()).containsEntry("evalsha", 1.0).containsEntry("incr", 1.0);
        assertThat(cell.totalCommandsPerDecision()).isCloseTo(2.0, within(1e-9));
    }

    @Test
    void slices_of_several_rounds_add_up() {
        // GIVEN two half-second slices of 400 and 600 decisions
        Cell cell = cell("floor", 1, 400, 10);
        Histogram second = new Histogram(3);
        second.recordValueWithCount(20_000L, 600);

        // WHEN
        cell.add(second, 0, SECOND, Map.of("evalsha", 600L));

        // THEN ops/s is all decisions over all measured time
        assertThat(cell.decisions()).isEqualTo(1_000);
        assertThat(cell.opsPerSecond()).isCloseTo(500.0, within(1e-9));
        assertThat(cell.grantShare()).isCloseTo(0.4, within(1e-9));
        assertThat(cell.p50Micros()).isCloseTo(20.0, within(0.1));
    }

    @Test
    void ratios_divide_ops_per_second_at_the_same_caller_count() {
        // GIVEN
        BenchReport report = report(List.of(
                cell("floor", 16, 10_000, 100), cell("this limiter", 16, 9_000, 110),
                cell("bucket4j", 16, 3_000, 300), cell("redisson", 16, 4_500, 200)));

        // THEN
        assertThat(report.peers()).containsExactly("bucket4j", "redisson");
        assertThat(report.ratio("this limiter", "floor", 16)).isCloseTo(0.9, within(1e-9));
        assertThat(report.ratio("this limiter", "bucket4j", 16)).isCloseTo(3.0, within(1e-9));
        assertThat(report.ratio("this limiter", "redisson", 16)).isCloseTo(2.0, within(1e-9));
        assertThat(report.ratio("this limiter", "floor", 64)).isNaN();
    }

    @Test
    void targets_are_eighty_percent_of_the_floor_everywhere_and_ahead_of_every_peer_from_16_callers() {
        // GIVEN this limiter at 0.9× the floor at 1 caller (behind bucket4j there, which is allowed),
        // and at 0.7× the floor and behind redisson at 64 callers
        BenchReport report = report(List.of(
                cell("floor", 1, 10_000, 100), cell("this limiter", 1, 9_000, 110),
                cell("bucket4j", 1, 9_500, 105), cell("redisson", 1, 5_000, 200),
                cell("floor", 64, 20_000, 3_000), cell("this limiter", 64, 14_000, 4_000),
                cell("bucket4j", 64, 2_000, 30_000), cell("redisson", 64, 15_000, 4_000)));

        // WHEN
        List<BenchReport.TargetCheck> targets = report.targets();

        // THEN
        assertThat(targets).extracting(t -> t.callers() + " " + t.rule() + " " + t.met()).containsExactly(
                "1 ≥ 0.8× floor true",
                "64 ≥ 0.8× floor false",
                "64 ahead of bucket4j true",
                "64 ahead of redisson false");
        assertThat(report.format()).contains("2 of 4 targets missed");
    }

    @Test
    void the_table_has_one_row_per_cell_and_this_limiters_ratios_to_each_peer() {
        // GIVEN
        BenchReport report = report(List.of(
                cell("floor", 16, 10_000, 100), cell("this limiter", 16, 9_000, 110),
                cell("bucket4j", 16, 3_000, 300), cell("redisson", 16, 4_500, 200)));

        // WHEN
        String table = report.format();

        // THEN
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).contains("callers", "implementation", "ops/s", "p50 µs", "p99 µs", "× floor",
                "× bucket4j", "× redisson");
        assertThat(lines.get(1)).matches("\\s+16  floor\\s+10,000\\s+100\\.0\\s+100\\.0\\s+100\\.0%\\s+1\\.00\\s+evalsha 1\\.00");
        assertThat(lines.get(2)).matches(
                "\\s+16  this limiter\\s+9,000\\s+110\\.0\\s+110\\.0\\s+100\\.0%\\s+1\\.00\\s+0\\.90\\s+3\\.00\\s+2\\.00\\s+evalsha 1\\.00");
        assertThat(lines.get(3)).matches("\\s+16  bucket4j\\s+3,000\\s+300\\.0\\s+300\\.0\\s+100\\.0%\\s+1\\.00\\s+0\\.30\\s+evalsha 1\\.00");
        assertThat(table).contains("≥ 0.8× floor         at  16 callers:  0.90  met");
    }

    @Test
    void a_variant_of_this_limiter_gets_its_own_ratios_but_is_neither_a_peer_nor_judged() {
        // GIVEN this limiter and its variant without coalescing, which is behind bucket4j and the floor target
        BenchReport report = new BenchReport(Scenario.GRANTS, List.of(
                cell("floor", 16, 10_000, 100), cell("this limiter", 16, 9_000, 110),
                cell("this limiter (no coalescing)", 16, 5_000, 100),
                cell("bucket4j", 16, 6_000, 300), cell("redisson", 16, 4_500, 200)),
                "floor", "this limiter", true, Set.of("this limiter (no coalescing)"));

        // WHEN
        String table = report.format();

        // THEN the variant is no peer: no column of its own, no target against it, none judged on it
        assertThat(report.peers()).containsExactly("bucket4j", "redisson");
        assertThat(report.targets()).extracting(BenchReport.TargetCheck::against).containsExactly("floor", "bucket4j", "redisson");
        assertThat(table).contains("all targets met").doesNotContain("× this limiter");
        // AND its row shows its ratios to the floor and to each peer, the name column fitting its name
        List<String> lines = table.lines().toList();
        assertThat(lines.get(2)).matches(
                "\\s+16  this limiter\\s+9,000\\s+110\\.0\\s+110\\.0\\s+100\\.0%\\s+1\\.00\\s+0\\.90\\s+1\\.50\\s+2\\.00\\s+evalsha 1\\.00");
        assertThat(lines.get(3)).matches("\\s+16  this limiter \\(no coalescing\\)\\s+5,000\\s+100\\.0\\s+100\\.0\\s+100\\.0%"
                + "\\s+1\\.00\\s+0\\.50\\s+0\\.83\\s+1\\.11\\s+evalsha 1\\.00");
        assertThat(lines.get(1).indexOf("10,000") + 6).isEqualTo(lines.get(3).indexOf("5,000") + 5);
        assertThat(report.json()).contains("{\"implementation\":\"this limiter (no coalescing)\",\"callers\":16")
                .contains("\"ratioToPeers\":{\"bucket4j\":0.833");
    }

    /** A cell of the DynamoDB store: {@code decisions} grants in one second of {@code micros} µs each, with its counters. */
    private static Cell dynamoDbCell(String name, int callers, long decisions, long micros, long lostRaces) {
        Histogram latencies = new Histogram(3);
        latencies.recordValueWithCount(micros * 1_000L, decisions);
        Cell cell = new Cell(name, callers);
        long attempts = decisions + lostRaces;
        cell.add(latencies, decisions, SECOND, Map.of("dynamodb.reads", attempts, "dynamodb.writes", attempts,
                "dynamodb.lost races", lostRaces, "dynamodb.RCU", attempts, "dynamodb.WCU", 2 * attempts, "info", 1L));
        return cell;
    }

    @Test
    void the_dynamodb_store_is_shown_beside_this_limiter_with_its_requests_and_the_budgets_it_suits() {
        // GIVEN this limiter on Valkey and on DynamoDB (shared, and a store per caller that lost races), and the peers
        BenchReport report = new BenchReport(Scenario.GRANTS, List.of(
                cell("floor", 16, 10_000, 100), cell("this limiter", 16, 9_000, 110),
                dynamoDbCell("dynamodb store", 16, 90, 170_000, 0),
                dynamoDbCell("dynamodb (store per caller)", 16, 60, 260_000, 120),
                cell("bucket4j", 16, 6_000, 300), cell("redisson", 16, 4_500, 200)),
                "floor", "this limiter", true, Set.of(), Set.of("dynamodb store", "dynamodb (store per caller)"));

        // WHEN
        String text = report.format();

        // THEN the DynamoDB rows are no peers and judge nothing
        assertThat(report.peers()).containsExactly("bucket4j", "redisson");
        assertThat(text).contains("all targets met");
        // AND in the table they show no Redis commands (the DynamoDB counters are not Redis commands, and what the server
        // counted meanwhile is not theirs)
        assertThat(text.lines().filter(l -> l.contains("  dynamodb store ")).findFirst().orElseThrow())
                .matches("\\s+16  dynamodb store\\s+90\\s+170000\\.\\d\\s+170000\\.\\d\\s+100\\.0%\\s+-\\s+0\\.01\\s+-");
        // AND their section shows the ratio to this limiter on Valkey and the requests per decision
        String section = text.substring(text.indexOf("DynamoDB store, against dynalite"));
        assertThat(section).contains("× valkey", "reads", "writes", "lost", "RCU", "WCU");
        assertThat(section.lines().filter(l -> l.contains("(store per caller)")).findFirst().orElseThrow())
                .matches("\\s+16  dynamodb \\(store per caller\\)\\s+60\\s+26\\d{4}\\.\\d\\s+26\\d{4}\\.\\d\\s+100\\.0%\\s+0\\.01"
                        + "\\s+3\\.00\\s+3\\.00\\s+2\\.00\\s+3\\.00\\s+6\\.00");
        assertThat(section.lines().filter(l -> l.contains("  dynamodb store ")).findFirst().orElseThrow())
                .matches("\\s+16  dynamodb store\\s+90.*\\s+1\\.00\\s+1\\.00\\s+0\\.00\\s+1\\.00\\s+2\\.00");
        // AND the budgets it suits, from the most grants per second one item took from callers with a store each (the
        // shared store's 90 are one JVM's), and what DynamoDB would change
        assertThat(report.dynamoDbGrantsPerSecond()).isEqualTo(60.0);
        assertThat(section).contains("one item took at most 60 grants/s from callers with a store each", "budgets of up to 30 calls/s per item",
                "not DynamoDB", "single-digit milliseconds");
        assertThat(report.json()).contains("\"ratioToSelf\":0.01").contains("\"lost races\":2");
    }

    @Test
    void the_denials_scenario_says_nothing_of_the_budgets_the_dynamodb_store_suits() {
        BenchReport report = new BenchReport(Scenario.DENIALS, List.of(cell("floor", 1, 10_000, 100),
                cell("this limiter", 1, 9_000, 110), dynamoDbCell("dynamodb store", 1, 300, 3_000, 0)),
                "floor", "this limiter", true, Set.of(), Set.of("dynamodb store"));

        assertThat(report.format()).contains("DynamoDB store, against dynalite").doesNotContain("suits:");
    }

    /** A cell of one one-second round per entry of {@code perRound}: that many decisions of 100 µs, all grants. */
    private static Cell rounds(String name, int callers, long... perRound) {
        Cell cell = new Cell(name, callers);
        for (long decisions : perRound) {
            Histogram latencies = new Histogram(3);
            latencies.recordValueWithCount(100_000L, decisions);
            cell.add(latencies, decisions, SECOND, Map.of());
        }
        return cell;
    }

    @Test
    void a_target_is_judged_on_the_median_of_the_ratios_of_its_rounds_so_one_noisy_round_does_not_decide_it() {
        // GIVEN three rounds; in the second, a busy moment of the machine halves this limiter's slice only
        BenchReport report = report(List.of(
                rounds("floor", 1, 10_000, 10_000, 12_000),
                rounds("this limiter", 1, 8_500, 4_000, 10_200)));

        // WHEN
        BenchReport.TargetCheck check = report.targets().get(0);

        // THEN the rounds' ratios are paired by round, and the median (0.85) is met although the ratio of all rounds'
        // ops/s (22,700 / 32,000 = 0.71) is not
        assertThat(check.rounds()).containsExactly(0.85, 0.4, 0.85);
        assertThat(check.ratio()).isCloseTo(0.85, within(1e-9));
        assertThat(report.ratio("this limiter", "floor", 1)).isCloseTo(22_700 / 32_000.0, within(1e-9));
        assertThat(check.met()).isTrue();
        assertThat(report.format()).contains("≥ 0.8× floor         at   1 callers:  0.85  met     (3 rounds: 0.40–0.85)");
    }

    @Test
    void a_target_missed_in_most_rounds_is_missed() {
        // GIVEN this limiter below 0.8x the floor in two rounds of three
        BenchReport report = report(List.of(
                rounds("floor", 16, 10_000, 10_000, 10_000),
                rounds("this limiter", 16, 7_900, 9_500, 7_000),
                rounds("redisson", 16, 5_000, 5_000, 5_000)));

        // THEN
        BenchReport.TargetCheck toFloor = report.targets().get(0);
        assertThat(toFloor.ratio()).isCloseTo(0.79, within(1e-9));
        assertThat(toFloor.met()).isFalse();
        assertThat(report.format()).contains("MISSED", "1 of 2 targets missed");
    }

    @Test
    void the_median_of_an_even_count_is_the_mean_of_the_middle_two_and_unpaired_rounds_fall_back_to_all_rounds() {
        assertThat(BenchReport.median(List.of(0.9, 0.7, 0.8, 1.0))).isCloseTo(0.85, within(1e-9));
        assertThat(BenchReport.median(List.of())).isNaN();

        // GIVEN a floor of two rounds and this limiter of one: nothing to pair
        BenchReport report = report(List.of(rounds("floor", 1, 10_000, 6_000), rounds("this limiter", 1, 7_000)));

        // THEN the target compares the rounds' ops/s over all measured time (7,000 / 8,000)
        BenchReport.TargetCheck check = report.targets().get(0);
        assertThat(check.rounds()).isEmpty();
        assertThat(check.ratio()).isCloseTo(0.875, within(1e-9));
        assertThat(report.format()).contains("not paired by round");
    }

    @Test
    void targets_are_not_judged_when_this_limiter_ran_on_the_in_memory_store_or_not_at_all() {
        List<Cell> withSelf = List.of(cell("floor", 1, 10_000, 100), cell("this limiter", 1, 90_000, 1));
        assertThat(new BenchReport(Scenario.GRANTS, withSelf, "floor", "this limiter", false).format())
                .contains("targets: not judged (this limiter ran on the in-memory store");

        BenchReport withoutSelf = report(List.of(cell("floor", 1, 10_000, 100), cell("bucket4j", 1, 5_000, 200)));
        assertThat(withoutSelf.targets()).isEmpty();
        assertThat(withoutSelf.format()).contains("targets: not judged (this limiter was not run)");
    }

    @Test
    void json_carries_the_same_figures() {
        BenchReport report = report(List.of(cell("floor", 16, 10_000, 100), cell("this limiter", 16, 9_000, 110),
                cell("redisson", 16, 4_500, 200)));

        String json = report.json();

        assertThat(json).startsWith("{\"scenario\":\"grants\",\"limit\":10000000,\"windowMillis\":1000,\"results\":[")
                .contains("{\"implementation\":\"floor\",\"callers\":16,\"decisions\":10000,\"measuredMillis\":1000,"
                        + "\"opsPerSecond\":10000,\"p50Micros\":100,\"p99Micros\":100,\"grantShare\":1,\"ratioToFloor\":1,"
                        + "\"redisCommandsPerDecision\":{\"evalsha\":1}}")
                .contains("\"ratioToFloor\":0.9,", "\"ratioToPeers\":{\"redisson\":2}")
                .contains("{\"rule\":\"ahead of redisson\",\"callers\":16,\"against\":\"redisson\",\"ratio\":2,\"threshold\":1,\"met\":true,"
                        + "\"roundRatios\":[2]}")
                .endsWith("]}");
    }

    @Test
    void the_runner_counts_every_decision_of_a_fake_target_once_and_rotates_the_order() {
        // GIVEN two fake targets granting every other call
        FakeTarget a = new FakeTarget("a");
        FakeTarget b = new FakeTarget("b");
        List<String> measured = new ArrayList<>();
        BenchRunner runner = new BenchRunner(
                new BenchRunner.Settings(Duration.ZERO, Duration.ofMillis(40), 2, List.of(1, 3)),
                BenchRunner.CommandCounter.NONE, line -> measured.add(line.replaceAll("^measure +(\\w+) at (\\d+).*", "$1@$2")));

        // WHEN
        List<Cell> cells = runner.run(List.of(a, b));

        // THEN one cell per caller count and target, holding every decision the targets took
        assertThat(cells).extracting(c -> c.implementation() + "@" + c.callers()).containsExactly("a@1", "b@1", "a@3", "b@3");
        assertThat(cells.stream().filter(c -> c.implementation().equals("a")).mapToLong(Cell::decisions).sum())
                .isEqualTo(a.calls.get());
        assertThat(cells.get(0).grantShare()).isBetween(0.4, 0.6);
        assertThat(cells.get(0).measuredNanos()).isPositive();
        // and every cell has the ops/s of each of its 2 rounds
        assertThat(cells).allSatisfy(c -> assertThat(c.roundOpsPerSecond()).hasSize(2).allSatisfy(ops -> assertThat(ops).isPositive()));
        // and the order rotates: at 1 caller a b, then b a; at 3 callers b a, then a b
        assertThat(measured).containsExactly("a@1", "b@1", "b@1", "a@1", "b@3", "a@3", "a@3", "b@3");
    }

    @Test
    void a_target_that_throws_stops_the_bench_with_its_name() {
        BenchTarget failing = new FakeTarget("broken") {
            @Override
            public boolean decide() {
                throw new IllegalStateException("connection reset");
            }
        };
        BenchRunner runner = new BenchRunner(new BenchRunner.Settings(Duration.ZERO, Duration.ofMillis(10), 1, List.of(4)),
                BenchRunner.CommandCounter.NONE, line -> {});

        assertThatThrownBy(() -> runner.run(List.of(failing)))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("broken failed at 4 callers")
                .hasMessageContaining("connection reset");
    }

    @Test
    void settings_name_the_flag_that_is_wrong() {
        assertThatThrownBy(() -> new BenchRunner.Settings(Duration.ZERO, Duration.ZERO, 1, List.of(1)))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> new BenchRunner.Settings(Duration.ZERO, Duration.ofSeconds(1), 1, List.of(0)))
                .hasMessageContaining("--callers");
    }

    @Test
    void command_counts_are_differences_without_zeroes() {
        assertThat(BenchRunner.difference(Map.of("evalsha", 10L, "get", 5L), Map.of("evalsha", 25L, "get", 5L, "eval", 3L)))
                .containsOnly(Map.entry("evalsha", 15L), Map.entry("eval", 3L));
    }

    /** Grants every other call and counts them. */
    private static class FakeTarget implements BenchTarget {
        private final String name;
        final AtomicLong calls = new AtomicLong();

        FakeTarget(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "fake";
        }

        @Override
        public void setUp(String uri) {}

        @Override
        public boolean decide() {
            return calls.incrementAndGet() % 2 == 0;
        }

        @Override
        public void close() {}
    }
}
