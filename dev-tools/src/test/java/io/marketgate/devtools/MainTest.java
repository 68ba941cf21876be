package io.marketgate.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.ops.CliRun;
import org.junit.jupiter.api.Test;

/** ./marketgate (the developer's jar) keeps the operator's conventions, for its own commands too. */
class MainTest {

    @Test
    void the_developer_tools_and_every_operator_command_are_here() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("demo").contains("bench").contains("simulate").contains("chaos").contains("local")
                .contains("limiter").contains("queues").contains("canary").contains("config").contains("completion");
    }

    @Test
    void a_usage_error_of_a_developer_tool_exits_2() {
        CliRun unknown = CliRun.of("bench", "--limiter", "x");
        CliRun badStore = CliRun.of("bench", "--store", "disk");
        CliRun badSellers = CliRun.of("local", "up", "--sellers", "0");
        CliRun badColdStart = CliRun.of("bench", "--cold-start", "maybe");
        CliRun coldStartWithoutDynamoDb = CliRun.of("bench", "--cold-start", "only", "--dynamodb", "none");

        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStore.exitCode()).as(badStore.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badStore.err()).contains("marketgate: --store 'disk' is not one of valkey, memory, none")
                .contains("Try 'marketgate bench --help'");
        assertThat(badSellers.exitCode()).as(badSellers.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSellers.err()).contains("--sellers is 0, must be ≥ 1");
        assertThat(badColdStart.exitCode()).as(badColdStart.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(badColdStart.err()).contains("--cold-start 'maybe' is not one of also, only");
        assertThat(coldStartWithoutDynamoDb.exitCode()).as(coldStartWithoutDynamoDb.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(coldStartWithoutDynamoDb.err()).contains("--cold-start needs a DynamoDB-compatible server");
    }

    @Test
    void the_old_spellings_still_parse_but_are_not_shown() {
        CliRun oldStore = CliRun.of("bench", "--limiter-store", "disk");
        String help = CliRun.of("bench", "--help").out() + CliRun.of("local", "up", "--help").out();

        assertThat(oldStore.err()).contains("--store 'disk' is not one of valkey, memory, none");
        assertThat(help).contains("--valkey=URL").contains("--store=STORE").contains("--market=MARKET")
                .doesNotContain("--redis=").doesNotContain("--limiter-store").doesNotContain("--markets");
    }

    @Test
    void the_completion_script_completes_the_developer_tools_too() {
        CliRun run = CliRun.of("completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F _complete_marketgate").contains("bench").contains("simulate")
                .contains("limiter").contains("set-limit");
    }
}
