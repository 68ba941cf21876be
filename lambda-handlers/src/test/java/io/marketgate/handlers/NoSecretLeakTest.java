package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.marketsim.Order;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret value appears in any log line (every logger at DEBUG, the AWS SDK's included, with stack traces and the
 * log context), API answer, stored status, result or exception, through registrations (good and bad), collections and
 * actions that succeed, and ones whose credentials the market rejects.
 */
class NoSecretLeakTest {

    @TempDir
    static Path dir;

    private static ApiTestWorld world;

    /** Recognisable values that must never be seen. */
    private static final String GOOD_KEY = HandlerKit.SIGNED_KEYS.get("S4");
    private static final String WRONG_KEY = "sk-live-LEAKCHECK-wrong-S5-91f3";
    private static final String WRONG_ACTION_KEY = "sk-live-LEAKCHECK-wrong-S6-4c2d";
    private static final String PASTED_KEY = "sk-live-LEAKCHECK-pasted-7e5b";
    private static final String MALFORMED_KEY = "LEAKCHECK-malformed-b81a0d";
    private static final List<String> SECRETS = List.of(GOOD_KEY, WRONG_KEY, WRONG_ACTION_KEY, PASTED_KEY, MALFORMED_KEY);

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void no_secret_value_appears_in_logs_answers_records_or_exceptions() {
        List<String> seen = new ArrayList<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        try (Capture capture = Capture.everything(logs)) {
            // registrations, good and bad
            seen.add(describe(post(registration("S4", "V0004", GOOD_KEY))));
            seen.add(describe(post(registration("S5", "V0005", WRONG_KEY))));
            seen.add(describe(post(registration("S6", "V0006", WRONG_ACTION_KEY))));
            seen.add(describe(post(registration("S7", PASTED_KEY, PASTED_KEY))));                        // secret in the id field
            seen.add(describe(post(registration("S7", "V0007", MALFORMED_KEY))));                       // the secret's rule broken
            seen.add(describe(post("{\"market\":\"signed\",\"sellerId\":\"S7\",\"credentials\":{\"vendorId\":\"V0007\","
                    + "\"apiKey\":\"" + GOOD_KEY + "\",\"secretKey\":\"" + PASTED_KEY + "\"}}")));           // unknown field
            seen.add(describe(post("{\"market\":\"signed\",\"sellerId\":\"S7\",\"credentials\":{\"apiKey\":" + PASTED_KEY + "}}")));
            assertThatThrownBy(() -> world.kit.deps().build().sellerDirectory().register("signed", "S7",
                    Map.of("vendorId", PASTED_KEY, "apiKey", PASTED_KEY)))
                    .satisfies(e -> seen.add(e.toString()));

            // collections: one that succeeds, one whose key the market rejects, and one that then fails at once
            CollectorHandler collector = new CollectorHandler(world.kit.deps().build(), HandlerKit.metrics(new RecordingMetrics()));
            for (String[] r : new String[][] {{"leak-ok", "S4"}, {"leak-rejected", "S5"}, {"leak-at-once", "S5"}}) {
                collector.handleRequest(world.kit.sendAndReceive(world.kit.newQueue("collect"), List.of(HandlerKit.json(
                        new CollectionMessage(r[0], "signed", r[1], DataKind.ORDERS, HandlerKit.T0,
                                HandlerKit.T0.plus(Duration.ofHours(6)), Priority.MEDIUM)))), null);
            }

            // actions of a seller whose key the market rejects
            ActionsHandler actions = new ActionsHandler(world.kit.deps().build(), HandlerKit.metrics(new RecordingMetrics()));
            List<String> orders = world.kit.sim.market("signed").orders("S6", HandlerKit.T0, HandlerKit.T0.plus(Duration.ofHours(6)))
                    .stream().map(Order::orderId).toList();
            String queue = world.kit.newFifoQueue("actions");
            for (int i = 0; i < 2; i++) {
                ActionMessage ship = new ActionMessage("a-leak-" + i, "leak-" + i, "signed", "S6", ActionMessage.ActionType.SHIP_ORDER,
                        orders.get(i), "CJ", "T-" + i);
                world.kit.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(HandlerKit.json(ship))
                        .messageGroupId(ship.messageGroupId()).messageDeduplicationId(ship.idempotencyKey()));
                actions.handleRequest(world.kit.receive(queue, 1), null);
            }

            // reads and a removal
            seen.add(describe(world.api.handle(new ApiRequest("GET", "/v1/sellers", Map.of(), null, "t", Map.of("market", "signed")))));
            seen.add(describe(world.call("GET", "/v1/sellers/signed/S5", null)));
            seen.add(describe(world.call("DELETE", "/v1/sellers/signed/S4", null)));
            seen.add(world.kit.deps().build().credentials().toString());
        }
        String logged = logs.toString(StandardCharsets.UTF_8);
        // what the tables keep: statuses and reasons of requests, results of actions, the sellers' rows
        for (String table : List.of(HandlerKit.TABLES.requests(), HandlerKit.TABLES.idempotency(), HandlerKit.TABLES.sellers())) {
            seen.add(world.kit.dynamoDb.scan(b -> b.tableName(table)).items().toString());
        }

        // THEN the capture saw the scenario (so it could have seen a secret) ...
        assertThat(logged).contains("marked credentials-rejected").contains("collection failed at once")
                .contains("failed at once, recorded and dropped").contains("registered seller S4");
        assertThat(String.join("\n", seen)).contains("credentials rejected: HTTP 401").contains("credentials.vendorId");
        // ... and no secret anywhere
        for (String secret : SECRETS) {
            assertThat(logged).as("the logs").doesNotContain(secret);
            assertThat(seen).as("answers, records and exceptions").noneMatch(text -> text.contains(secret));
        }
    }

    private static ApiResponse post(String body) {
        return world.call("POST", "/v1/sellers", body);
    }

    private static String describe(ApiResponse response) {
        return response.status() + " " + response.headers() + " " + response.body();
    }

    private static String registration(String seller, String vendorId, String apiKey) {
        return "{\"market\":\"signed\",\"sellerId\":\"" + seller + "\",\"credentials\":{\"vendorId\":\"" + vendorId
                + "\",\"apiKey\":\"" + apiKey + "\"}}";
    }

    /** Every logger at DEBUG into one stream: message, log context and the whole stack trace of any exception. */
    private record Capture(LoggerContext context, OutputStreamAppender appender, Map<String, Level> levels) implements AutoCloseable {

        static Capture everything(ByteArrayOutputStream target) {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            Configuration config = context.getConfiguration();
            OutputStreamAppender appender = OutputStreamAppender.newBuilder().setName("leak-capture").setTarget(target)
                    .setLayout(PatternLayout.newBuilder().withConfiguration(config)
                            .withPattern("%p %c %X %m%n%xThrowable").build())
                    .setConfiguration(config).build();
            appender.start();
            Map<String, Level> levels = new java.util.HashMap<>();
            for (LoggerConfig logger : config.getLoggers().values()) {
                levels.put(logger.getName(), logger.getLevel());
                logger.setLevel(Level.DEBUG);
                logger.addAppender(appender, Level.DEBUG, null);
            }
            context.updateLoggers();
            return new Capture(context, appender, levels);
        }

        @Override
        public void close() {
            Configuration config = context.getConfiguration();
            for (LoggerConfig logger : config.getLoggers().values()) {
                logger.removeAppender(appender.getName());
                if (levels.containsKey(logger.getName())) {
                    logger.setLevel(levels.get(logger.getName()));
                }
            }
            context.updateLoggers();
            appender.stop();
        }
    }
}
