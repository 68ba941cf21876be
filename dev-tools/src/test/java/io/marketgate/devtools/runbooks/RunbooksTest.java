package io.marketgate.devtools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.ops.CliRun;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.handlers.SchedulerHandler;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.limiter.Priority;
import io.marketgate.local.LocalApiGateway;
import io.marketgate.local.LocalContext;
import io.marketgate.local.LocalPlatform;
import io.marketgate.local.LocalQueues;
import io.marketgate.local.Scenario;
import io.marketgate.local.ScenarioLoader;
import io.marketgate.market.DataKind;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every command of every runnable block of every runbook, in the order of its file, against a local platform
 * that this test starts: the dev environment on Valkey, SQS and DynamoDB servers, the simulated markets and the real
 * handlers ({@link LocalPlatform} with {@code scenarios/scheduler-spike.yaml}'s markets), a scheduler spike in
 * progress (every market's 10-minute schedule fired at once, its requests spread over the next 10 minutes), dead
 * letters in {@code dev-coupang-collect-dlq}, and {@link LocalApiGateway#startFor(String) the dev API's stage} for
 * the canary commands. The commands run in this JVM through the CLI's picocli {@code Main}, as {@code ./marketgate}
 * would run them, with {@code --local} finding the platform through {@link LocalEndpoints#FILE_PROPERTY}.
 *
 * <p>Each command must exit 0 and print (on stdout or stderr) every {@code # expect:} text written after it; after
 * its last command a runbook has left no pause and no limit override behind.
 */
class RunbooksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Collection requests in the coupang collection DLQ when the runbooks start. */
    static final int DEAD_LETTERS = 5;

    @TempDir
    static Path dir;

    private static LocalPlatform platform;
    private static LocalApiGateway gateway;
    private static String previousHome;

    @BeforeAll
    static void startPlatformWithASpikeInProgress() {
        EnvironmentConfig dev = EnvironmentLoader.load(ROOT.resolve("environments"), "dev");
        Scenario spike = ScenarioLoader.load(ROOT.resolve("scenarios").resolve("scheduler-spike.yaml"), dev.markets().keySet());
        platform = LocalPlatform.start(dev, spike, LocalPlatform.StoreKind.VALKEY, System.err);
        gateway = LocalApiGateway.startFor("dev");
        Path endpoints = dir.resolve("local.json");
        LocalEndpoints.write(endpoints, new LocalEndpoints("dev", URI.create("http://127.0.0.1:1"), platform.valkeyUri(),
                platform.sqsEndpoint(), platform.dynamoDbEndpoint(), Optional.empty(), Optional.of(gateway.uri()),
                ProcessHandle.current().pid(), Optional.of(platform.secretsManagerEndpoint())));
        // as ./marketgate runs the CLI: the project's root for environments/ and canary-config/
        previousHome = System.getProperty("marketgate.home");
        System.setProperty("marketgate.home", ROOT.toString());
        System.setProperty(LocalEndpoints.FILE_PROPERTY, endpoints.toString());

        for (String market : spike.markets().keySet()) {
            fireTenMinuteSchedule(market);
        }
        sendDeadLetters("coupang");
        // the spike is in progress: 500 requests, most of them still delayed over the next 10 minutes
        assertThat(platform.queuedMessages()).as("requests of the spike in the queues").isGreaterThan(100);
        assertThat(platform.deadLetters()).isEqualTo(DEAD_LETTERS);
    }

    @AfterAll
    static void stopPlatform() {
        System.clearProperty(LocalEndpoints.FILE_PROPERTY);
        if (previousHome == null) {
            System.clearProperty("marketgate.home");
        } else {
            System.setProperty("marketgate.home", previousHome);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> every_runnable_command_of_every_runbook_works_on_the_local_platform() {
        return Runbook.all(RunbookRulesTest.RUNBOOKS).stream().map(runbook -> DynamicContainer.dynamicContainer(runbook.name(),
                Stream.concat(runbook.blocks().stream().filter(Runbook.Block::runnable).flatMap(b -> b.commands().stream())
                        .map(c -> DynamicTest.dynamicTest(runbook.name() + ":" + c.line() + " " + c.text(), () -> run(runbook, c))),
                        Stream.of(DynamicTest.dynamicTest(runbook.name() + " gives back every pause and limit it set",
                                () -> assertNothingLeftPausedOrOverridden(runbook))))));
    }

    /**
     * A runbook ends by giving back what it took (or says to let it expire, which a test cannot wait for): no pause
     * and no limit override is left on any budget of the environment after its last command.
     */
    private static void assertNothingLeftPausedOrOverridden(Runbook runbook) throws Exception {
        CliRun run = CliRun.of("limiter", "status", "--local", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (JsonNode b : new ObjectMapper().readTree(run.out()).path("budgets")) {
            assertThat(b.path("pausedUntil").isEmpty()).as(runbook.name() + " left " + b).isTrue();
            assertThat(b.path("overrideLimit").isNull()).as(runbook.name() + " left " + b).isTrue();
        }
    }

    private static void run(Runbook runbook, Runbook.Command command) {
        CliRun run = CliRun.of(command.arguments());
        String where = runbook.name() + ":" + command.line() + ": " + command.text() + "\n" + run;
        assertThat(run.exitCode()).as(where).isZero();
        for (String expected : command.expects()) {
            assertThat(run.out() + run.err()).as(where).contains(expected);
        }
    }

    /** What the market's 10-minute EventBridge schedule sends the scheduler: every seller's request, spread over 10 minutes. */
    private static void fireTenMinuteSchedule(String market) {
        Map<String, Object> event = Map.of("market", market, "kind", DataKind.ORDERS.name(), "lookback", "PT10M",
                "spreadOver", "PT10M", "priority", Priority.MEDIUM.name());
        new SchedulerHandler(platform.dependencies()).handleRequest(event, new LocalContext("dev-scheduler", Duration.ofMinutes(1)));
    }

    /** Collection requests that ran out of receives: what the DLQ runbook redrives. */
    private static void sendDeadLetters(String market) {
        LocalQueues.QueuePair queue = platform.collectionQueue(market);
        Instant now = Instant.now();
        for (int i = 1; i <= DEAD_LETTERS; i++) {
            String body = Messages.write(new CollectionMessage("runbook-dlq-" + i, market, platform.sellers(market).get(i - 1),
                    DataKind.ORDERS, now.minus(Duration.ofMinutes(10)), now, Priority.MEDIUM));
            platform.sqs().sendMessage(b -> b.queueUrl(queue.dlqUrl()).messageBody(body));
        }
    }
}
