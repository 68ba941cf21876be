package io.marketgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The conventions every command of the operator's marketgate keeps: exit codes, their help, completion. */
class MainTest {

    private static final String ENVIRONMENTS = "../environments";

    /** One in-process run: exit code, stdout, stderr. */
    record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(), err.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown subcommand | frobnicate                                                   | Unmatched argument at index 0: 'frobnicate' | marketgate",
        "unknown option     | limiter status --jsn                                         | Unknown option: '--jsn'                     | marketgate limiter status",
        "missing option     | limiter pause --market 11st --for 15m                        | Missing required option: '--priority=<priority>' | marketgate limiter pause",
        "not a number       | limiter set-limit --market 11st --budget pace --limit ten --for 1m | Invalid value for option '--limit': 'ten' is not a long | marketgate limiter set-limit",
        "bad duration       | limiter pause --market 11st --priority LOW --for soon        | --for: 'soon' is not a duration             | marketgate limiter pause",
        "unknown market     | queues redrive --market nave                                 | --market: unknown market 'nave'             | marketgate queues redrive",
        "options excluded   | config check --all --env dev                                 | --env and --all exclude each other          | marketgate config check",
        "bad percent        | canary set --percent 150 --yes                               | --percent is 150, must be a number from 0 to 100 | marketgate canary set",
    })
    void a_usage_error_exits_2_with_one_line_and_where_the_help_is(String scenario, String args, String message, String command) {
        // GIVEN an environment folder and a store that would refuse every connection (nothing may reach it)
        List<String> all = new ArrayList<>(List.of(args.trim().split("\\s+")));
        if (!all.get(0).equals("frobnicate")) {
            all.addAll(List.of("--environments", ENVIRONMENTS));
        }
        if (all.get(0).equals("canary")) {
            all.addAll(List.of("--canary-config", "../canary-config"));
        }
        if (all.get(0).equals("limiter")) {
            all.addAll(List.of("--valkey", "redis://127.0.0.1:1"));
        }
        // WHEN the command runs
        Run run = Run.of(all.toArray(String[]::new));
        // THEN exit 2, the problem named, where the help is, and no usage dump or stack trace
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("marketgate: ").contains(message.trim())
                .contains("Try '" + command.trim() + " --help' for more information.")
                .doesNotContain("Usage:").doesNotContain("\tat ");
    }

    @Test
    void a_misspelt_subcommand_gets_picocli_suggestions() {
        Run run = Run.of("limiter", "paus");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Did you mean: limiter pause");
    }

    @Test
    void a_failed_operation_exits_1() {
        // GIVEN a store where nothing listens
        Run run = Run.of("limiter", "status", "--market", "11st", "--environments", ENVIRONMENTS, "--valkey", "redis://127.0.0.1:1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).startsWith("marketgate: ").contains("127.0.0.1:1").doesNotContain("Try '");
    }

    @Test
    void every_command_states_the_exit_codes_in_its_help() {
        List<String> missing = new ArrayList<>();
        forEachCommand(Main.commandLine(), cl -> {
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            if (!help.contains("Exit codes:") || !help.contains("2   usage error: an unknown option, a missing or bad value")) {
                missing.add(cl.getCommandSpec().qualifiedName());
            }
        });

        assertThat(missing).isEmpty();
    }

    @Test
    void partial_success_is_3_where_a_command_can_end_so() {
        String redrive = Main.commandLine().getSubcommands().get("queues").getSubcommands().get("redrive")
                .getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(redrive).contains("3   some messages could not be sent back");
    }

    @Test
    void the_completion_script_completes_every_command_and_subcommand() {
        Run run = Run.of("completion");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Run.of("completion", "--help").out()).startsWith("Usage: marketgate completion");
        assertThat(run.out()).contains("complete -F _complete_marketgate")
                .contains("limiter").contains("queues").contains("canary").contains("config")
                .contains("set-limit").contains("clear-limit").contains("redrive").contains("promote")
                .doesNotContain("bench").doesNotContain("simulate");
    }

    @Test
    void the_help_lists_the_operator_commands_only() {
        Run run = Run.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("limiter").contains("queues").contains("canary").contains("config").contains("completion")
                .doesNotContain("demo").doesNotContain("bench").doesNotContain("simulate").doesNotContain("local");
    }

    private static void forEachCommand(CommandLine cl, java.util.function.Consumer<CommandLine> action) {
        action.accept(cl);
        cl.getSubcommands().values().forEach(sub -> forEachCommand(sub, action));
    }
}
