package io.marketgate.devtools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.devtools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

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
    void the_demo_saturates_the_budgets_and_proves_that_they_held() throws Exception {
        // GIVEN an environment with one market of 200 calls per second (enough calls in 2 s that each priority of the
        // demo's mix, HIGH at 10 %, is all but sure to come up: with 20, about 30 calls left HIGH out now and then)
        Files.writeString(dir.resolve("t.yaml"), """
                environment: t
                limiter: {keyPrefix: mg-t}
                markets:
                  shop:
                    fleetSize: 4
                    budgets:
                      api: {scope: app, limit: 200, window: 1s}
                    calls:
                      list: {budgets: [shop/api]}
                """);

        // WHEN 4 instances run for 2 seconds
        int exit = run("demo", "--environments", dir.toString(), "--env", "t", "--instances", "4", "--for", "2s");

        // THEN every priority was granted, no window went over, and the run says so
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("shop/api")
                .contains("Result: no budget exceeded its limit in any sliding window")
                .containsPattern("HIGH +wait until granted: p50 +[0-9.]+ ms, p99 +[0-9.]+ ms over [1-9][0-9]* grants")
                .containsPattern("LOW +wait until granted: .* over [1-9][0-9]* grants");
    }

    @Test
    void an_unknown_environment_is_a_clear_error() {
        int exit = run("demo", "--environments", dir.toString(), "--env", "nope");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("nope.yaml").contains("no such file");
    }

    @Test
    void a_bad_duration_is_a_clear_error() {
        int exit = run("demo", "--for", "soon");
        int oldSpelling = run("demo", "--duration", "soon");

        // a bad value is a usage error, under the old spelling too
        assertThat(exit).isEqualTo(2);
        assertThat(oldSpelling).isEqualTo(2);
        assertThat(err.toString()).contains("--for: 'soon' is not a duration");
    }
}
