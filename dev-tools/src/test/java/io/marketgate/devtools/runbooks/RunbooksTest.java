package io.marketgate.devtools.runbooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.ops.CliRun;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyServer;
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
import io.marketgate.market.coupang.CeaSignature;
import io.marketgate.marketsim.CoupangCredentials;
import io.marketgate.marketsim.MarketFault;
import io.marketgate.marketsim.MarketSim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every runbook while its failure is actually happening on a local platform that this test starts (the dev
 * environment on Valkey, SQS and DynamoDB servers, the simulated markets and the real handlers: {@link LocalPlatform}
 * with {@code scenarios/scheduler-spike.yaml}'s markets, and {@link LocalApiGateway#startFor(String) the dev API's
 * stage} for the canary commands). The commands run in this JVM through the CLI's picocli {@code Main}, as
 * {@code ./marketgate} would run them, with {@code --local} finding the platform through
 * {@link LocalEndpoints#FILE_PROPERTY}.
 *
 * <p>First, on the healthy platform, every command that only looks ({@link Runbook.Command#looksOnly()}) of the
 * sections before "How to know it worked" must <em>not</em> show what its checks expect: a check that passes without
 * the failure proves nothing. Then, runbook by runbook in the order of their files:
 * <ol>
 *   <li>the test brings the runbook's {@link Failure} about, for real (Valkey killed, a market answering 429, dead
 *       letters, a canary on the stage, a seller refused by the market, …);</li>
 *   <li>the commands that only look of "How to know it worked" must not show what they expect while the failure
 *       lasts (nothing of the fix or of the recovery shows yet);</li>
 *   <li>every command before that section runs, in order: each exits as its {@code # expect-exit:} says (0 by
 *       default) and prints every {@code # expect:} text and {@code # expect-match:} pattern after it;</li>
 *   <li>the test ends the failure (Valkey restarted on its port with its data lost, the market's block over, …), and
 *       the commands of "How to know it worked" (and after) run the same way, showing it gone;</li>
 *   <li>the runbook has left no pause and no limit override behind.</li>
 * </ol>
 */
class RunbooksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The section whose commands show the failure gone; it runs after the test has ended the failure. */
    static final String VERIFY = "How to know it worked";
    /** Collection requests in the coupang collection DLQ during the DLQ runbook. */
    static final int DEAD_LETTERS = 5;
    /** How long a failure may take to show once it is brought about (a collector's receive, a market's answer). */
    private static final Duration SHOWS_WITHIN = Duration.ofSeconds(60);

    /** The seller whose vendor coupang throttles in the 429 storm. */
    static final String THROTTLED_VENDOR = "coupang-s0001";
    /**
     * Its {@code vendorId}, which names its budget ({@code coupang/vendor:A63200238}) and which the runbooks name: the
     * simulated coupang issues it from the scenario's seed.
     */
    static final String THROTTLED_VENDOR_ID = "A63200238";
    /** The 11st seller whose collection meets 11st's refusal of the fleet's address. */
    static final String IP_REFUSED_SELLER = "11st-s0001";
    /** The seller whose keys coupang refuses (the runbook names it). */
    static final String REJECTED_SELLER = "coupang-s0009";
    /** The mall whose owner removed the app (the runbook names it). */
    static final String REVOKED_MALL = "cafe24-s0003";

    @TempDir
    static Path dir;

    private static LocalPlatform platform;
    private static LocalApiGateway gateway;
    private static String previousHome;

    @BeforeAll
    static void startAHealthyPlatform() {
        EnvironmentConfig dev = EnvironmentLoader.load(ROOT.resolve("environments"), "dev");
        Scenario scenario = ScenarioLoader.load(ROOT.resolve("scenarios").resolve("scheduler-spike.yaml"), dev.markets().keySet());
        platform = LocalPlatform.start(dev, scenario, LocalPlatform.StoreKind.VALKEY, System.err);
        gateway = LocalApiGateway.startFor("dev");
        Path endpoints = dir.resolve("local.json");
        LocalEndpoints.write(endpoints, new LocalEndpoints("dev", URI.create("http://127.0.0.1:1"), platform.valkeyUri(),
                platform.sqsEndpoint(), platform.dynamoDbEndpoint(), Optional.empty(), Optional.of(gateway.uri()),
                ProcessHandle.current().pid(), Optional.of(platform.secretsManagerEndpoint())));
        // as ./marketgate runs the CLI: the project's root for environments/ and canary-config/
        previousHome = System.getProperty("marketgate.home");
        System.setProperty("marketgate.home", ROOT.toString());
        System.setProperty(LocalEndpoints.FILE_PROPERTY, endpoints.toString());
        assertThat(platform.queuedMessages()).as("requests in the queues of a platform at rest").isZero();
        assertThat(platform.deadLetters()).isZero();
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
    Stream<DynamicNode> every_runbook_shows_its_failure_while_it_happens_and_its_end_once_it_is_over() {
        List<Runbook> runbooks = Runbook.all(RunbookRulesTest.RUNBOOKS);
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(DynamicContainer.dynamicContainer("healthy platform: no check of a runbook's confirm or what to do passes",
                runbooks.stream().flatMap(r -> r.blocks().stream().filter(Runbook.Block::runnable)
                        .filter(b -> !afterTheFailure(b))
                        .flatMap(b -> b.commands().stream()).filter(c -> c.looksOnly() && c.checked())
                        .map(c -> DynamicTest.dynamicTest(r.name() + ":" + c.line() + " " + c.text(), () -> runExpectingNone(r, c, "healthy"))))));
        for (Runbook runbook : runbooks) {
            Failure failure = FAILURES.get(runbook.name());
            List<DynamicNode> steps = new ArrayList<>();
            steps.add(DynamicTest.dynamicTest(runbook.name() + " has a failure that this test brings about",
                    () -> assertThat(failure).as("the failure of " + runbook.name() + " in RunbooksTest.FAILURES").isNotNull()));
            if (failure != null) {
                steps.add(DynamicTest.dynamicTest("failure: " + failure.description(), failure.start()::run));
                runbook.blocks().stream().filter(Runbook.Block::runnable).filter(RunbooksTest::afterTheFailure)
                        .flatMap(b -> b.commands().stream()).filter(c -> c.looksOnly() && c.checked())
                        .map(c -> DynamicTest.dynamicTest("while it lasts, " + VERIFY + " does not pass: " + runbook.name() + ":"
                                + c.line() + " " + c.text(), () -> runExpectingNone(runbook, c, "during the failure")))
                        .forEach(steps::add);
                runbook.blocks().stream().filter(Runbook.Block::runnable).filter(b -> !afterTheFailure(b))
                        .flatMap(b -> b.commands().stream())
                        .map(c -> DynamicTest.dynamicTest(runbook.name() + ":" + c.line() + " " + c.text(), () -> run(runbook, c)))
                        .forEach(steps::add);
                steps.add(DynamicTest.dynamicTest("the failure ends: " + failure.endDescription(), failure.end()::run));
                runbook.blocks().stream().filter(Runbook.Block::runnable).filter(RunbooksTest::afterTheFailure)
                        .flatMap(b -> b.commands().stream())
                        .map(c -> DynamicTest.dynamicTest(runbook.name() + ":" + c.line() + " " + c.text(), () -> run(runbook, c)))
                        .forEach(steps::add);
            }
            steps.add(DynamicTest.dynamicTest(runbook.name() + " gives back every pause and limit it set",
                    () -> assertNothingLeftPausedOrOverridden(runbook)));
            nodes.add(DynamicContainer.dynamicContainer(runbook.name(), steps));
        }
        return nodes.stream();
    }

    /** Whether a block is in "How to know it worked" or after it: run once the failure is over. */
    private static boolean afterTheFailure(Runbook.Block block) {
        return block.section().equals(VERIFY) || block.section().equals("When to escalate");
    }

    /**
     * A failure of the local platform, brought about for real and ended again.
     *
     * @param description    what happens, for the test's name
     * @param start          brings it about and waits until it shows where the fleet would see it
     * @param endDescription how it ends
     * @param end            ends it
     */
    record Failure(String description, Runnable start, String endDescription, Runnable end) {}

    /** The failure of each runbook, by its file's name. */
    static final Map<String, Failure> FAILURES = Map.of(
            "canary-rollout.md", new Failure(
                    "a canary at 10% on the dev API's stage, whose errors rise (the local platform serves no traffic to count)",
                    () -> runOk("canary", "set", "--env", "dev", "--local", "--yes"),
                    "the canary's rollback and promote are the runbook's own steps",
                    () -> {}),
            "dlq-redrive.md", new Failure(
                    DEAD_LETTERS + " collection requests in dev-coupang-collect-dlq that ran out of receives",
                    () -> sendDeadLetters("coupang"),
                    "the runbook's redrive emptied the DLQ",
                    () -> assertThat(platform.deadLettersByQueue().get("dev-coupang-collect")).isZero()),
            "market-429-storm.md", new Failure(
                    "coupang answers 429 and blocks vendor " + THROTTLED_VENDOR + " after another client of its keys called "
                            + "over the market's limit",
                    RunbooksTest::throttleAVendor,
                    "coupang's block is over (the simulated market forgets its penalty)",
                    () -> sim().market("coupang").reset()),
            "new-fixed-ip.md", new Failure(
                    "11st stops allowing the fleet's address (HTTP 500, result code -500): a collection of "
                            + IP_REFUSED_SELLER + " meets it and the collector pauses every budget of 11st for every priority",
                    RunbooksTest::refuseTheFleetsAddressAt11st,
                    "the address is registered: 11st allows it again (the runbook's own resumes ended the pauses)",
                    () -> sim().market("11st").faults().clear()),
            "scheduler-spike.md", new Failure(
                    "every market's 10-minute schedule fired at once: 500 requests delayed over the next 10 minutes",
                    RunbooksTest::fireEveryTenMinuteSchedule,
                    "the backlog is worked off (the test drops what the next 10 minutes would collect)",
                    RunbooksTest::drainCollectionQueues),
            "seller-credentials-rejected.md", new Failure(
                    "coupang refuses the keys of " + REJECTED_SELLER + " (the seller re-issued them in WING): its next collection "
                            + "marks it credentials-rejected",
                    RunbooksTest::rejectASellersKeys,
                    "the seller's new keys are registered (sellers add)",
                    RunbooksTest::registerTheRightKeys),
            "seller-reconnect-required.md", new Failure(
                    "the owner of cafe24 mall " + REVOKED_MALL + " removed the app: its next collection gets invalid_grant",
                    RunbooksTest::revokeAMallsConnection,
                    "the mall's owner consented again",
                    () -> platform.reconnect("cafe24", REVOKED_MALL)),
            "valkey-outage.md", new Failure(
                    "the limiter's valkey-server killed (SIGKILL)",
                    () -> valkey().kill(),
                    "valkey-server started again on the same port, empty",
                    () -> valkey().start()));

    /** Runs a command of a runbook: its exit code and every text and pattern it expects. */
    private static void run(Runbook runbook, Runbook.Command command) {
        CliRun run = CliRun.of(command.arguments());
        String where = runbook.name() + ":" + command.line() + ": " + command.text() + "\n" + run;
        assertThat(run.exitCode()).as(where).isEqualTo(command.exitCode());
        String output = run.out() + run.err();
        for (String expected : command.expects()) {
            assertThat(output).as(where).contains(expected);
        }
        for (String pattern : command.matches()) {
            assertThat(Pattern.compile(pattern).matcher(output).find()).as(where + "\nno match of /" + pattern + "/").isTrue();
        }
    }

    /**
     * Runs a command that only looks in the opposite state: none of its checks may pass there, else it cannot tell the
     * failure from its absence. A command that expects to fail must succeed; its texts and patterns must be absent.
     */
    private static void runExpectingNone(Runbook runbook, Runbook.Command command, String state) {
        CliRun run = CliRun.of(command.arguments());
        String where = runbook.name() + ":" + command.line() + ": " + command.text() + " (" + state + ")\n" + run;
        if (command.exitCode() != 0) {
            assertThat(run.exitCode()).as(where + "\nexits " + command.exitCode() + " " + state + " too").isNotEqualTo(command.exitCode());
        }
        String output = run.out() + run.err();
        for (String expected : command.expects()) {
            assertThat(output).as(where + "\n'# expect: " + expected + "' is printed " + state + " too: it cannot fail")
                    .doesNotContain(expected);
        }
        for (String pattern : command.matches()) {
            assertThat(Pattern.compile(pattern).matcher(output).find())
                    .as(where + "\n'# expect-match: " + pattern + "' matches " + state + " too: it cannot fail").isFalse();
        }
    }

    /**
     * A runbook ends by giving back what it took (or says to let it expire, which a test cannot wait for): no pause
     * and no limit override is left on any budget of the environment after its last command.
     */
    private static void assertNothingLeftPausedOrOverridden(Runbook runbook) throws Exception {
        CliRun run = CliRun.of("limiter", "status", "--local", "--json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        for (JsonNode b : JSON.readTree(run.out()).path("budgets")) {
            assertThat(b.path("pausedUntil").isEmpty()).as(runbook.name() + " left " + b).isTrue();
            assertThat(b.path("overrideLimit").isNull()).as(runbook.name() + " left " + b).isTrue();
        }
    }

    // ---- the failures

    /**
     * A 429 storm, for real: another client of vendor {@link #THROTTLED_VENDOR}'s keys (an ERP, a second integrator)
     * calls coupang 20 times at once, over its 10 calls a second; the simulated market answers 429 and blocks the
     * vendor (coupang's penalty: 5 minutes after an excess). The fleet's next collection of the vendor meets the block,
     * and the collector cools the vendor's budget down.
     */
    private static void throttleAVendor() {
        CoupangCredentials keys = sim().market("coupang").coupangCredentials(THROTTLED_VENDOR);
        assertThat(keys.vendorId()).as("the vendorId the runbooks name for " + THROTTLED_VENDOR).isEqualTo(THROTTLED_VENDOR_ID);
        String path = "/v2/providers/openapi/apis/api/v4/vendors/" + keys.vendorId() + "/ordersheets";
        LocalDate today = LocalDate.now(ZoneOffset.ofHours(9));
        String query = "createdAtFrom=" + today.minusDays(1) + "&createdAtTo=" + today + "&status=ACCEPT";
        int throttled = 0;
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = 0; i < 20; i++) {
                String signedDate = CeaSignature.signedDate(Instant.now());
                String authorization = CeaSignature.authorization(keys.accessKey(), signedDate,
                        CeaSignature.signature(keys.secretKey(), signedDate, "GET", path, query));
                HttpRequest request = HttpRequest.newBuilder(URI.create(sim().market("coupang").baseUrl() + path + "?" + query))
                        .header("Authorization", authorization).GET().build();
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 429) {
                    throttled++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(throttled).as("429s coupang answered the other client").isPositive();
        send("coupang", new CollectionMessage("runbook-429", "coupang", THROTTLED_VENDOR, DataKind.ORDERS,
                Instant.now().minus(Duration.ofMinutes(10)), Instant.now(), Priority.MEDIUM));
        await("coupang throttled " + THROTTLED_VENDOR + " and its budget cools down",
                () -> !status("coupang", "vendor:" + THROTTLED_VENDOR_ID).path("coolingDownUntil").isNull());
    }

    /**
     * 11st stops allowing the fleet's address, for real: the simulated 11st answers every call as it answers an address
     * not registered for the key ({@code ipRejected}: HTTP 500, {@code <AuthMessage>} result code {@code -500}
     * "[ip]인증된 IP가 아닙니다"), until the test ends it. A collection of {@link #IP_REFUSED_SELLER} meets the refusal
     * and its collector does what it does at {@code IP_NOT_ALLOWED}: every budget of 11st paused for every priority for
     * {@code MARKETGATE_IP_PAUSE} (10 minutes), the message handed back for that time.
     */
    private static void refuseTheFleetsAddressAt11st() {
        assertThat(platform.sellers("11st")).as("the sellers of 11st").contains(IP_REFUSED_SELLER);
        Instant now = Instant.ofEpochSecond(0, sim().clock().epochNanos());
        sim().market("11st").faults().during(now, now.plus(Duration.ofHours(1)), new MarketFault.IpRejected());
        send("11st", new CollectionMessage("runbook-ip", "11st", IP_REFUSED_SELLER, DataKind.ORDERS,
                Instant.now().minus(Duration.ofMinutes(10)), Instant.now(), Priority.MEDIUM));
        await("11st refused the address and the collector paused HIGH on 11st's budgets",
                () -> status("11st", "pace").path("pausedUntil").has(Priority.HIGH.name()));
    }

    /** What each market's 10-minute EventBridge schedule sends the scheduler: every seller's request, spread over 10 minutes. */
    private static void fireEveryTenMinuteSchedule() {
        for (String market : platform.environment().markets().keySet()) {
            Map<String, Object> event = Map.of("market", market, "kind", DataKind.ORDERS.name(), "lookback", "PT10M",
                    "spreadOver", "PT10M", "priority", Priority.MEDIUM.name());
            new SchedulerHandler(platform.dependencies()).handleRequest(event, new LocalContext("dev-scheduler", Duration.ofMinutes(1)));
        }
        // the spike is in progress: 500 requests, most of them still delayed over the next 10 minutes
        assertThat(platform.queuedMessages()).as("requests of the spike in the queues").isGreaterThan(100);
    }

    private static void drainCollectionQueues() {
        for (String market : platform.environment().markets().keySet()) {
            platform.sqs().purgeQueue(b -> b.queueUrl(platform.collectionQueue(market).url()));
        }
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
        assertThat(platform.deadLettersByQueue().get("dev-coupang-collect")).isEqualTo(DEAD_LETTERS);
    }

    /**
     * The seller re-issued its keys at the market: the fleet holds a secret key the market no longer knows. Its next
     * collection is refused ({@code Invalid signature.}) and marks it.
     */
    private static void rejectASellersKeys() {
        CoupangCredentials real = sim().market("coupang").coupangCredentials(REJECTED_SELLER);
        register(REJECTED_SELLER, new CoupangCredentials(REJECTED_SELLER, real.vendorId(), real.accessKey(),
                new StringBuilder(real.secretKey()).reverse().toString()));
        send("coupang", new CollectionMessage("runbook-rejected", "coupang", REJECTED_SELLER, DataKind.ORDERS,
                Instant.now().minus(Duration.ofMinutes(10)), Instant.now(), Priority.HIGH));
        await(REJECTED_SELLER + " marked credentials-rejected", () -> sellerStatus("coupang", REJECTED_SELLER).equals("credentials-rejected"));
    }

    private static void registerTheRightKeys() {
        register(REJECTED_SELLER, sim().market("coupang").coupangCredentials(REJECTED_SELLER));
    }

    /** Through the CLI from a file only the test reads, as the runbook says; the keys never reach a command line. */
    private static void register(String seller, CoupangCredentials keys) {
        Path file = dir.resolve("seller-" + seller + ".json");
        try {
            Files.writeString(file, JSON.writeValueAsString(Map.of("vendorId", keys.vendorId(), "accessKey", keys.accessKey(),
                    "secretKey", keys.secretKey())));
            runOk("sellers", "add", "--market", "coupang", "--seller", seller, "--credentials-file", file.toString(), "--local");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            file.toFile().delete();
        }
    }

    /** The mall's owner removed the app: its tokens are refused and its refresh token answers invalid_grant. */
    private static void revokeAMallsConnection() {
        sim().market("cafe24").revokeTokens(REVOKED_MALL);
        send("cafe24", new CollectionMessage("runbook-revoked", "cafe24", REVOKED_MALL, DataKind.ORDERS,
                Instant.now().minus(Duration.ofMinutes(10)), Instant.now(), Priority.HIGH));
        await(REVOKED_MALL + " marked reconnect-required", () -> sellerStatus("cafe24", REVOKED_MALL).equals("reconnect-required"));
    }

    // ---- helpers

    private static MarketSim sim() {
        return platform.sim().orElseThrow();
    }

    private static ValkeyServer valkey() {
        return platform.valkey().orElseThrow(() -> new IllegalStateException("the platform runs no Valkey"));
    }

    private static void send(String market, CollectionMessage message) {
        String body = Messages.write(message);
        platform.sqs().sendMessage(b -> b.queueUrl(platform.collectionQueue(market).url()).messageBody(body));
    }

    private static CliRun runOk(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isZero();
        return run;
    }

    private static JsonNode status(String market, String budget) {
        try {
            JsonNode doc = JSON.readTree(runOk("limiter", "status", "--market", market, "--budget", budget, "--local", "--json").out());
            return doc.path("budgets").get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sellerStatus(String market, String seller) {
        try {
            for (JsonNode s : JSON.readTree(runOk("sellers", "list", "--market", market, "--local", "--json").out()).path("sellers")) {
                if (s.path("sellerId").asText().equals(seller)) {
                    return s.path("status").asText();
                }
            }
            throw new AssertionError(market + " has no seller " + seller);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the platform until {@code condition} holds: what a failure needs to show (a receive, a market's answer). */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SHOWS_WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + SHOWS_WITHIN);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
