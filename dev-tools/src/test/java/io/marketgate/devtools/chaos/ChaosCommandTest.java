package io.marketgate.devtools.chaos;

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

class ChaosCommandTest {
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
    void a_bad_fault_in_any_scenario_is_refused_with_file_index_and_rule_before_any_scenario_runs() throws Exception {
        // GIVEN a good scenario and one whose fault has a share out of range
        Path scenarios = Files.createDirectories(dir.resolve("chaos"));
        Files.writeString(scenarios.resolve("a-good.yaml"), """
                markets: {coupang: {sellers: 1}}
                schedules: [{at: 0s}]
                faults: [{type: valkeyPaused, from: 1s, to: 2s}]
                """);
        Path bad = scenarios.resolve("b-bad.yaml");
        Files.writeString(bad, """
                markets: {coupang: {sellers: 1}}
                schedules: [{at: 0s}]
                faults: [{type: duplicateDeliveries, from: 1s, to: 2s, share: 2}]
                """);

        // WHEN the suite is run
        int exit = run("chaos", "--environments", ENVIRONMENTS, "--scenarios", scenarios.toString(), "--report-dir",
                dir.resolve("out").toString());

        // THEN exit 1 names the file, the fault and the rule, and nothing ran
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(bad + ": faults[0].share: must be in 0..1, was 2");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void an_unknown_scenario_name_is_a_usage_error_naming_the_ones_there_are() throws Exception {
        Path scenarios = Files.createDirectories(dir.resolve("chaos"));
        Files.writeString(scenarios.resolve("valkey.yaml"), "markets: {coupang: {sellers: 1}}\nschedules: [{at: 0s}]\n");

        int exit = run("chaos", "--environments", ENVIRONMENTS, "--scenarios", scenarios.toString(), "--only", "storm");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--only storm: no storm.yaml in " + scenarios).contains("[valkey]");
    }

    @Test
    void a_short_chaos_scenario_runs_and_its_row_shows_the_promises_kept() throws Exception {
        // GIVEN Coupang answering every call 503 for 3 s and Valkey paused meanwhile, for two sellers and two actions
        Path scenarios = Files.createDirectories(dir.resolve("chaos"));
        Files.writeString(scenarios.resolve("short.yaml"), """
                name: short
                timeScale: 1
                maxDuration: 90s
                queues: {visibilityTimeout: 1m}
                markets: {coupang: {sellers: 2, ordersPerHour: 4}}
                schedules: [{at: 0s, kind: ORDERS, lookback: 30m, spreadOver: 2s}]
                actions: [{market: coupang, count: 2, from: 0s, to: 2s}]
                faults:
                  - {type: serverErrors, market: coupang, from: 0s, to: 3s}
                  - {type: valkeyPaused, from: 2s, to: 5s}
                """);

        // WHEN the suite runs it, as JSON
        int exit = run("chaos", "--json", "--environments", ENVIRONMENTS, "--scenarios", scenarios.toString(), "--report-dir",
                dir.resolve("out").toString());

        // THEN the calls of the window were answered 503 and retried, nothing was lost or written twice, HIGH was done
        JsonNode row = new ObjectMapper().readTree(out.toString()).get("scenarios").get(0);
        assertThat(row.get("scenario").asText()).isEqualTo("short");
        assertThat(row.get("faults")).extracting(JsonNode::asText).containsExactly("serverErrors", "valkeyPaused");
        JsonNode coupang = new ObjectMapper().readTree(dir.resolve("out").resolve("short").resolve("report.json").toFile())
                .get("markets").get("coupang");
        assertThat(coupang.get("calls").asLong()).isGreaterThan(row.get("highAsked").asLong());
        assertThat(row.get("lost").asLong()).isZero();
        assertThat(row.get("duplicates").asLong()).isZero();
        assertThat(row.get("callsOverBudget").asLong()).isZero();
        assertThat(row.get("highDone").asLong()).isEqualTo(row.get("highAsked").asLong()).isEqualTo(2);
        assertThat(row.get("promises")).allSatisfy(p -> assertThat(p.get("status").asText()).isEqualTo("KEPT"));
        assertThat(exit).isZero();
    }
}
