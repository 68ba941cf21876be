package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A limiter change to a deployed environment's store is shown as a plan and asked for, as canary's are. The store
 * here is a port where nothing listens: a run that reached it would fail naming 127.0.0.1:1, so a run that ends
 * otherwise did not touch it. (LimiterCommandTest in dev-tools applies confirmed changes to a real Valkey.)
 */
class LimiterConfirmationTest {

    private static final List<String> PAUSE = List.of("limiter", "pause", "--market", "11st", "--priority", "LOW", "--for", "15m",
            "--env", "dev", "--environments", "../environments", "--valkey", "redis://127.0.0.1:1");

    /** A terminal that answers in the operator's place and remembers what it was asked. */
    static final class Answering implements Terminal {
        final boolean interactive;
        final List<String> answers;
        final List<String> prompts = new ArrayList<>();

        Answering(boolean interactive, String... answers) {
            this.interactive = interactive;
            this.answers = new ArrayList<>(List.of(answers));
        }

        @Override
        public boolean interactive() {
            return interactive;
        }

        @Override
        public String readLine(String prompt) {
            prompts.add(prompt);
            return answers.isEmpty() ? null : answers.remove(0);
        }
    }

    record Run(int exitCode, String out, String err) {}

    private static Run run(Terminal terminal, List<String> args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K command = CommandLine.defaultFactory().create(cls);
                if (command instanceof LimiterCommand.Changing changing) {
                    changing.terminal = terminal;
                }
                return command;
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void without_yes_and_without_a_terminal_the_plan_is_shown_and_refused() {
        Answering pipe = new Answering(false);

        Run run = run(pipe, PAUSE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Plan for the limiter of environment dev:").contains("pause LOW on 11st/pace, 11st/api-key for 15m");
        assertThat(run.err()).contains("marketgate: not applied: confirmation needs a terminal").contains("rerun with --yes")
                .doesNotContain("127.0.0.1:1");
        assertThat(pipe.prompts).isEmpty();
    }

    @Test
    void on_a_terminal_the_operator_is_asked_and_a_no_changes_nothing() {
        Answering operator = new Answering(true, "n");

        Run run = run(operator, PAUSE);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(operator.prompts).containsExactly("Apply this change to environment dev? [y/N] ");
        assertThat(run.err()).contains("cancelled: nothing was changed").doesNotContain("127.0.0.1:1");
    }

    @Test
    void a_yes_goes_on_to_the_store() {
        Answering operator = new Answering(true, "y");

        Run run = run(operator, PAUSE);

        // the answer let the command reach the store, which is not there
        assertThat(operator.prompts).hasSize(1);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("127.0.0.1:1");
    }

    @Test
    void with_yes_nothing_is_asked() {
        Answering operator = new Answering(true);
        List<String> args = new ArrayList<>(PAUSE);
        args.add("--yes");

        Run run = run(operator, args);

        assertThat(operator.prompts).isEmpty();
        assertThat(run.err()).contains("127.0.0.1:1");
    }

    @Test
    void every_change_asks_and_status_does_not() {
        for (List<String> change : List.of(
                List.of("resume", "--market", "11st", "--priority", "LOW"),
                List.of("set-limit", "--market", "11st", "--budget", "pace", "--limit", "5", "--for", "1h"),
                List.of("clear-limit", "--market", "11st", "--budget", "pace"))) {
            Answering pipe = new Answering(false);
            List<String> args = new ArrayList<>(List.of("limiter"));
            args.addAll(change);
            args.addAll(List.of("--env", "dev", "--environments", "../environments", "--valkey", "redis://127.0.0.1:1"));

            Run run = run(pipe, args);

            assertThat(run.err()).as(change.get(0)).contains("not applied: confirmation needs a terminal");
            assertThat(run.out()).as(change.get(0)).contains("Plan for the limiter of environment dev:");
        }
        Run status = run(new Answering(false), List.of("limiter", "status", "--market", "11st", "--environments", "../environments",
                "--valkey", "redis://127.0.0.1:1"));
        assertThat(status.err()).doesNotContain("confirmation").contains("127.0.0.1:1");
    }
}
