package io.marketgate.devtools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a runbook's sections, blocks, commands and expectations are read. */
class RunbookTest {

    private static final String RUNBOOK = """
            # A runbook

            ## What sends you here
            Text with `./marketgate` in it is not a command.

            ```bash runnable
            # a comment, not a command
            ./marketgate limiter pause --market coupang --priority LOW --for 30m --local
            # expect: paused LOW on coupang/vendor
            #   expect: this is only a comment
            # expect:   second text  \s

            ./marketgate queues status \\
                --market coupang --local   # trailing comment
            ```

            ## Confirm
            ```bash
            export MARKETGATE_VALKEY_URL=rediss://example:6379
            ./marketgate limiter status --env prod --budget 'vendor:V 1' --valkey "$MARKETGATE_VALKEY_URL"
            ```

            1. In a list:

               ```yaml
               infrastructure: {}
               ```
            """;

    @Test
    void reads_sections_blocks_commands_and_their_expectations_in_order() {
        // WHEN a runbook is read
        Runbook r = Runbook.parse("sample.md", RUNBOOK);

        // THEN the sections and the three blocks, the first one runnable
        assertThat(r.sections()).containsExactly("What sends you here", "Confirm");
        assertThat(r.blocks()).extracting(Runbook.Block::runnable).containsExactly(true, false, false);
        assertThat(r.blocks()).extracting(Runbook.Block::line).containsExactly(6, 18, 25);

        // AND the runnable block's two commands, the second joined from its continuation line, without its comment
        List<Runbook.Command> commands = r.blocks().get(0).commands();
        assertThat(commands).hasSize(2);
        assertThat(commands.get(0).line()).isEqualTo(8);
        assertThat(commands.get(0).marketgate()).isTrue();
        assertThat(commands.get(0).arguments()).containsExactly("limiter", "pause", "--market", "coupang", "--priority", "LOW",
                "--for", "30m", "--local");
        assertThat(commands.get(0).expects()).containsExactly("paused LOW on coupang/vendor", "second text");
        assertThat(commands.get(1).line()).isEqualTo(13);
        assertThat(commands.get(1).arguments()).containsExactly("queues", "status", "--market", "coupang", "--local");
        assertThat(commands.get(1).expects()).isEmpty();

        // AND quotes group words; a command that is not the CLI is read but is not one of its calls
        List<Runbook.Command> other = r.blocks().get(1).commands();
        assertThat(other.get(0).marketgate()).isFalse();
        assertThat(other.get(1).arguments()).containsExactly("limiter", "status", "--env", "prod", "--budget", "vendor:V 1",
                "--valkey", "$MARKETGATE_VALKEY_URL");
        assertThat(r.commands()).hasSize(5);
    }

    @Test
    void an_expectation_before_any_command_or_an_unclosed_block_is_an_error_naming_the_line() {
        assertThatThrownBy(() -> Runbook.parse("bad.md", "## Confirm\n```bash runnable\n# expect: x\n```\n"))
                .hasMessage("bad.md:3: '# expect:' before any command");
        assertThatThrownBy(() -> Runbook.parse("bad.md", "text\n```bash runnable\n./marketgate queues status --local\n"))
                .hasMessage("bad.md:2: the code block is never closed");
    }

    @Test
    void reads_the_checks_of_a_command_that_must_fail_or_match_and_the_section_of_each_block() {
        // GIVEN a command that must fail, and one that must match a pattern, in the section Confirm
        Runbook r = Runbook.parse("checks.md", """
                ## Confirm
                ```bash runnable
                ./marketgate limiter status --market 11st --local
                # expect-exit: 1
                # expect: is unavailable
                ./marketgate queues status --market coupang --local
                # expect-match: dev-coupang-collect +\\d+ +[1-9]
                ./marketgate queues redrive --market coupang --dry-run --local
                ./marketgate limiter pause --market coupang --priority LOW --for 1m --local
                ```
                """);

        // THEN each has its checks, the block its section, and the commands that only look are told apart
        Runbook.Block block = r.blocks().get(0);
        assertThat(block.section()).isEqualTo("Confirm");
        List<Runbook.Command> c = block.commands();
        assertThat(c.get(0).exitCode()).isEqualTo(1);
        assertThat(c.get(0).expects()).containsExactly("is unavailable");
        assertThat(c.get(1).exitCode()).isZero();
        assertThat(c.get(1).matches()).containsExactly("dev-coupang-collect +\\d+ +[1-9]");
        assertThat(c).extracting(Runbook.Command::checked).containsExactly(true, true, false, false);
        assertThat(c).extracting(Runbook.Command::looksOnly).containsExactly(true, true, true, false);
    }

    @Test
    void a_misspelt_check_a_bad_exit_code_or_a_bad_pattern_is_an_error_naming_the_line() {
        assertThatThrownBy(() -> Runbook.parse("bad.md", "```bash runnable\n./marketgate queues status --local\n# expects: x\n```\n"))
                .hasMessage("bad.md:3: '# expects:' is no check; write '# expect:', '# expect-match:' or '# expect-exit:'");
        assertThatThrownBy(() -> Runbook.parse("bad.md", "```bash runnable\n./marketgate queues status --local\n# expect-exit: 256\n```\n"))
                .hasMessage("bad.md:3: '# expect-exit:' is '256', must be an exit code from 0 to 255");
        assertThatThrownBy(() -> Runbook.parse("bad.md", "```bash runnable\n./marketgate queues status --local\n# expect-match: (a\n```\n"))
                .hasMessageStartingWith("bad.md:3: '# expect-match:' is not a regular expression");
    }

    @Test
    void splits_words_as_a_shell_does_without_expanding_anything() {
        assertThat(Runbook.words("a 'b c' \"d \\\"e\\\"\" f\\ g h#i # j")).containsExactly("a", "b c", "d \"e\"", "f g", "h#i");
        assertThat(Runbook.words("   ")).isEmpty();
        assertThat(Runbook.words("x ''")).containsExactly("x", "");
        assertThatThrownBy(() -> Runbook.words("a 'b")).hasMessageContaining("unclosed '");
    }
}
