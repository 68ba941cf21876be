package io.marketgate.devtools.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.devtools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void a_bad_scenario_is_refused_with_file_path_and_rule_before_anything_starts() throws Exception {
        // GIVEN a scenario with a seller count out of range and a market dev does not have
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, """
                markets:
                  coupang: {sellers: 0}
                  lotteon: {sellers: 2}
                schedules: [{at: 0s}]
                """);
        // WHEN it is simulated
        int exit = run("simulate", "--environments", ENVIRONMENTS, "--scenario", scenario.toString(), "--report-dir",
                dir.resolve("out").toString());
        // THEN exit 1 names each problem, and no report was written
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString())
                .contains(scenario + ": markets.coupang.sellers: must be in 1..100000, was 0")
                .contains(scenario + ": markets.lotteon: is not a market of environment 'dev' with an adapter");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void a_small_scenario_runs_to_completion_and_writes_both_reports() throws Exception {
        // GIVEN three Coupang sellers collected over a 1 min spread compressed to 1 s, and one HIGH action
        Path scenario = dir.resolve("tiny.yaml");
        Files.writeString(scenario, """
                name: tiny
                timeScale: 60
                maxDuration: 60s
                markets:
                  coupang: {sellers: 3, ordersPerHour: 3}
                schedules: [{at: 0s, spreadOver: 1m}]
                actions: [{market: coupang, count: 1, from: 0s, to: 30s}]
                """);
        Path reports = dir.resolve("out");
        // WHEN it is simulated on the in-memory store
        int exit = run("simulate", "--environments", ENVIRONMENTS, "--store", "memory", "--scenario", scenario.toString(),
                "--report-dir", reports.toString());
        // THEN it succeeds, and report.json holds the promised figures
        assertThat(exit).as(out + "\n" + err).isZero();
        JsonNode report = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertThat(report.path("durationSeconds").isNumber()).isTrue();
        assertThat(report.path("minimumSeconds").isNumber()).isTrue();
        assertThat(report.at("/markets/coupang/marketBudgets/vendor/callsOverBudget").asLong(-1)).isZero();
        assertThat(report.at("/markets/coupang/calls").asLong()).isPositive();
        assertThat(report.at("/priorities/MEDIUM/requests").asLong()).isEqualTo(3);
        assertThat(report.at("/priorities/MEDIUM/succeeded").asLong()).isEqualTo(3);
        assertThat(report.at("/priorities/HIGH/succeeded").asLong()).isEqualTo(1);
        assertThat(report.at("/priorities/HIGH/lost").asLong()).isZero();
        assertThat(report.at("/priorities/HIGH").has("waitP99Ms")).isTrue();
        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("<svg", "coupang").doesNotContain("<script src", "<link", "@import", "fetch(");
        assertThat(out.toString()).contains("calls over budget at the markets: 0 ");
        // AND the run's Lambda usage: the collector's and the actions consumer's invocations and the scheduler's, priced
        // by dev's infrastructure.pricing
        assertThat(report.at("/lambda/requests").asLong()).isPositive();
        assertThat(report.at("/lambda/gbSeconds").asDouble()).isPositive();
        assertThat(report.at("/lambda/costUsd").isNumber()).isTrue();
        assertThat(report.at("/lambda/functions/dev-coupang-collector/memoryMb").asInt()).isEqualTo(1024);
        assertThat(report.at("/lambda/functions/dev-scheduler/requests").asLong()).isEqualTo(1);
        assertThat(report.at("/lambda/pricing/lambdaGbSecond").asDouble()).isEqualTo(0.0000166667);
        assertThat(out.toString()).contains("lambda: ").contains("estimated cost USD ").contains("duration ÷ minimum");
    }
}
