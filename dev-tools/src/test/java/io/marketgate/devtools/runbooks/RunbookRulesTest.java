package io.marketgate.devtools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentLoader;
import io.marketgate.devtools.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What every runbook of {@code runbooks/} must be, without running anything: its sections, at least one runnable
 * block, commands of the CLI that parse (in every block, runnable or not, so that a command meant for production
 * cannot rot either), runnable commands that only reach the local platform, and names of alarms and other
 * resources that follow the scheme the CDK app creates them by.
 */
class RunbookRulesTest {

    static final Path RUNBOOKS = Path.of("..", "runbooks");

    /** The sections every runbook has, in this order. */
    static final List<String> SECTIONS = List.of("What sends you here", "Confirm", "What to do", "How to know it worked",
            "When to escalate");

    /** The runbooks the issue asks for. */
    static final Set<String> REQUIRED = Set.of("scheduler-spike.md", "market-429-storm.md", "valkey-outage.md", "dlq-redrive.md",
            "canary-rollout.md", "new-fixed-ip.md");

    private static final String ENV = "(?:<env>|dev|staging|prod)";
    /** {@code <market>} or a market of the dev environment, which runbooks use for their examples. */
    private static final String MARKET = "(?:<market>|" + String.join("|",
            EnvironmentLoader.load(Path.of("..", "environments"), "dev").markets().keySet()) + ")";
    /** Everything named {@code <env>-…} that a runbook may mention: the CDK app's alarms, their topic, dashboard, functions, queues and APIs. */
    private static final List<Pattern> KNOWN_NAMES = List.of(
            // alarms per market; <env>-<market>-collector-errors is also the collector function's errors alarm
            Pattern.compile(ENV + "-" + MARKET + "-(?:queue-age|dlq-depth|collector-errors|collector-throttles|market-429|limiter-denials|credentials-rejected|ip-rejected|reconnect-required)"),
            Pattern.compile(ENV + "-valkey-(?:cpu|store-failures)"),
            // errors alarm per function
            Pattern.compile(ENV + "-" + MARKET + "-actions-errors"),
            Pattern.compile(ENV + "-(?:api|scheduler|job-worker|<function>)-errors"),
            // the dashboard, and the topic every alarm notifies (AlertsStack)
            Pattern.compile(ENV + "-marketgate"),
            Pattern.compile(ENV + "-marketgate-alarms"),
            // functions
            Pattern.compile(ENV + "-" + MARKET + "-(?:collector|actions)"),
            Pattern.compile(ENV + "-(?:api|scheduler|job-worker|<function>)"),
            // queues (QueueKind) and the REST APIs (CanaryConfig)
            Pattern.compile(ENV + "-" + MARKET + "-(?:collect|collect-dlq|actions\\.fifo|actions-dlq\\.fifo)"),
            Pattern.compile(ENV + "-marketgate-(?:api|origin)"),
            // the Secrets Manager secret of the limiter's Valkey user and the token key (ValkeyStack)
            Pattern.compile(ENV + "-limiter-valkey"),
            Pattern.compile(ENV + "-token-key"),
            // the tables (StateStack)
            Pattern.compile(ENV + "-(?:orders|requests|sellers|idempotency|jobs)"));
    /** A word that starts like a resource name of an environment. */
    private static final Pattern ENV_NAME = Pattern.compile("(?<![A-Za-z0-9_.:-])" + ENV + "-[A-Za-z0-9<>._-]*[A-Za-z0-9>]");

    private static final List<Runbook> ALL = Runbook.all(RUNBOOKS);

    @Test
    void every_runbook_the_issue_asks_for_is_there_and_listed_in_the_readme() throws IOException {
        assertThat(ALL).extracting(Runbook::name).containsAll(REQUIRED);
        String readme = Files.readString(RUNBOOKS.resolve("README.md"));
        for (Runbook r : ALL) {
            assertThat(readme).as("runbooks/README.md links " + r.name()).contains("(" + r.name() + ")");
        }
    }

    @Test
    void every_runbook_has_the_sections_in_order_and_a_runnable_block() {
        for (Runbook r : ALL) {
            assertThat(r.sections()).as(r.name() + ": its ## sections").containsSubsequence(SECTIONS);
            assertThat(r.blocks()).as(r.name() + ": a ```bash runnable block").anyMatch(Runbook.Block::runnable);
        }
    }

    @Test
    void every_runbook_confirms_its_failure_and_shows_it_gone_with_checked_commands_that_only_look() {
        // RunbooksTest runs these while the failure lasts and after it ended, and proves that their checks fail in the
        // opposite state; a runbook without them would prove nothing
        List<String> problems = new ArrayList<>();
        for (Runbook r : ALL) {
            for (String section : List.of("Confirm", RunbooksTest.VERIFY)) {
                boolean shows = r.blocks().stream().filter(Runbook.Block::runnable).filter(b -> b.section().equals(section))
                        .flatMap(b -> b.commands().stream()).anyMatch(c -> c.looksOnly() && c.checked());
                if (!shows) {
                    problems.add(r.name() + ": '" + section + "' has no runnable status, list or dry run with an '# expect…:' check");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void every_cli_command_in_any_block_parses() {
        List<String> problems = new ArrayList<>();
        for (Runbook r : ALL) {
            for (Runbook.Command c : r.commands()) {
                if (!c.marketgate()) {
                    continue;
                }
                try {
                    Main.commandLine().parseArgs(c.arguments().toArray(String[]::new));
                } catch (CommandLine.ParameterException e) {
                    problems.add(r.name() + ":" + c.line() + ": " + c.text() + "\n    " + e.getMessage());
                }
            }
        }
        assertThat(problems).as("commands that do not parse").isEmpty();
    }

    @Test
    void runnable_blocks_hold_only_cli_commands_that_reach_the_local_platform() {
        List<String> problems = new ArrayList<>();
        for (Runbook r : ALL) {
            for (Runbook.Block b : r.blocks()) {
                if (!b.runnable()) {
                    continue;
                }
                for (Runbook.Command c : b.commands()) {
                    String where = r.name() + ":" + c.line() + ": " + c.text() + ": ";
                    List<String> args = c.arguments();
                    if (!c.marketgate()) {
                        problems.add(where + "a runnable block runs ./marketgate commands only");
                    } else if (args.contains("--endpoint-url") || args.contains("--valkey")) {
                        problems.add(where + "a runnable command reaches the local platform through --local, not an endpoint");
                    } else if (args.contains("--env") && !args.get(args.indexOf("--env") + 1).equals("dev")) {
                        problems.add(where + "a runnable command runs against dev, the local platform's environment");
                    } else if (!args.contains("--local") && !args.subList(0, Math.min(2, args.size())).equals(List.of("config", "check"))) {
                        problems.add(where + "a runnable command needs --local");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void names_of_alarms_and_resources_follow_the_scheme_the_cdk_app_creates() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path file : markdown()) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = ENV_NAME.matcher(lines.get(i));
                while (m.find()) {
                    String name = m.group();
                    if (KNOWN_NAMES.stream().noneMatch(p -> p.matcher(name).matches())) {
                        problems.add(file.getFileName() + ":" + (i + 1) + ": " + name);
                    }
                }
            }
        }
        assertThat(problems).as("names that are no alarm, dashboard, function, queue or API of the scheme").isEmpty();
    }

    @Test
    void the_name_check_knows_the_scheme() {
        for (String good : List.of("prod-coupang-queue-age", "<env>-<market>-market-429", "dev-valkey-store-failures",
                "staging-11st-limiter-denials", "prod-api-errors", "<env>-<function>-errors", "prod-naver-actions-errors",
                "prod-marketgate", "dev-coupang-collect-dlq", "dev-coupang-actions-dlq.fifo", "dev-marketgate-origin",
                "<env>-limiter-valkey", "prod-limiter-valkey", "prod-cafe24-reconnect-required", "<env>-token-key", "prod-sellers")) {
            assertThat(KNOWN_NAMES).as(good).anyMatch(p -> p.matcher(good).matches());
        }
        for (String bad : List.of("prod-coupang-dlq-depht", "prod-valkey-memory", "prod-coupang-429", "dev-coupang-collector-error",
                "prod-limiter-valkey-user", "prod-cafe24-reconnect", "prod-token", "prod-seller")) {
            assertThat(KNOWN_NAMES).as(bad).noneMatch(p -> p.matcher(bad).matches());
        }
        Matcher m = ENV_NAME.matcher("see `prod-coupang-queue-age`, mg-dev, dev.yaml and /aws/lambda/prod-api.");
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group());
        }
        assertThat(found).containsExactly("prod-coupang-queue-age", "prod-api");
    }

    private static List<Path> markdown() throws IOException {
        try (var files = Files.list(RUNBOOKS)) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
    }
}
