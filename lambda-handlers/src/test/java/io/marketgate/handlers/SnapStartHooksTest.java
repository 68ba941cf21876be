package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.deployed.tokens.TokenCaches;
import io.marketgate.deployed.tokens.TokenEncryption;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.market.DataKind;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.sellers.SecretDeletion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SnapStart hooks of the market-calling handlers, as Lambda runs them (through {@code org.crac.Resource}): a
 * handler that has served calls with a seller's credentials, the token key, shared access tokens and a Valkey user's
 * password holds none of them after {@code beforeCheckpoint}, in a heap walk of everything it reaches and of the
 * static fields of every class it had reached (what a snapshot of the JVM would keep of it), and Valkey sees no
 * connection of it; after {@code afterRestore} it reads them again and serves.
 *
 * <p>Each walk is first run on the serving handler and must find every secret there: a walk that could not see them
 * would prove nothing afterwards.
 */
class SnapStartHooksTest {

    @TempDir
    static Path dir;

    private static HandlerKit kit;
    private static ValkeyServer valkey;
    private static String queue;

    private static final String SELLER_KEY = HandlerKit.SIGNED_KEYS.get("S4");
    private static final String VALKEY_USER = "limiter";
    private static final String VALKEY_PASSWORD = "vk-pw-LEAKCHECK-5d1e90c7";
    private static final String TOKEN_KEY_MATERIAL = "tk-LEAKCHECK-token-key-material-3f6b2a9c81d04e7f";
    private static final String SHARED_TOKEN = "at-LEAKCHECK-shared-access-token-a41c";
    private static final String VALKEY_SECRET = "test/valkey-user";
    private static final String TOKEN_SECRET = "test/token-key";
    private static final List<String> SECRETS = List.of(SELLER_KEY, VALKEY_PASSWORD, TOKEN_KEY_MATERIAL, SHARED_TOKEN);

    @BeforeAll
    static void start() {
        kit = HandlerKit.start(dir);
        valkey = new ValkeyServer().start();
        valkey.command("ACL", "SETUSER", VALKEY_USER, "on", ">" + VALKEY_PASSWORD, "~*", "+@all");
        kit.secrets.createSecret(b -> b.name(VALKEY_SECRET)
                .secretString("{\"username\":\"" + VALKEY_USER + "\",\"password\":\"" + VALKEY_PASSWORD + "\"}"));
        kit.secrets.createSecret(b -> b.name(TOKEN_SECRET).secretString("{\"key\":\"" + TOKEN_KEY_MATERIAL + "\"}"));
        queue = kit.newQueue("collect-signed");
        kit.registerSeller("signed", "S4");
        kit.deps().build().sellerDirectory().register("signed", "S4", Map.of("vendorId", "V0004", "apiKey", SELLER_KEY));
    }

    @AfterAll
    static void stop() {
        valkey.close();
        kit.close();
    }

    /**
     * What {@link HandlerDependencies#fromVariables} does in a Lambda, against the kit's servers: the Valkey user's
     * password and the token key read from their secrets now, the limiter's store and the shared token cache on Valkey as
     * that user, the sellers' credentials read from Secrets Manager when first needed.
     */
    private static HandlerDependencies fromSecrets() {
        JsonNode user = json(kit.secrets.getSecretValue(b -> b.secretId(VALKEY_SECRET)).secretString());
        ValkeyStoreOptions options = ValkeyStoreOptions.builder().keyPrefix("mg-test")
                .username(user.get("username").asText()).password(user.get("password").asText()).build();
        TokenEncryption key = TokenEncryption.fromSecret(TOKEN_SECRET, kit.secrets);
        var tokens = TokenCaches.standalone(valkey.uri(), options, key);
        return HandlerDependencies.builder()
                .environment(kit.environment)
                .dynamoDb(kit.dynamoDb)
                .sqs(kit.sqs)
                .secretsManager(kit.secrets)
                .secretDeletion(SecretDeletion.immediately())
                .adapterFactory("signed", new SellerKeyAdapterFactory())
                .tables(HandlerKit.TABLES)
                .queues(QueueDirectory.builder().market("signed", queue, null).build())
                .storeForMarket(market -> ValkeyLimiterStore.standalone(valkey.uri(), options))
                .tokenCache(tokens)
                .closes(tokens)
                .tokenSealer(key)
                .actionEvents(new io.marketgate.handlers.events.EventBridgeActionEvents(kit.eventBridge, HandlerKit.BUS))
                .clock(Clock.fixed(HandlerKit.NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    void given_a_collector_that_served_a_seller_with_credentials_and_shared_tokens_when_the_snapshot_is_taken_then_it_holds_no_secret_and_no_connection() throws Exception {
        // GIVEN a collector built as the Lambda builds it, which collected for seller S4 (credentials read and cached)
        // and put a shared access token in the fleet's cache
        Supplier<HandlerDependencies> factory = SnapStartHooksTest::fromSecrets;
        CollectorHandler handler = new CollectorHandler(factory, HandlerKit.metrics(new RecordingMetrics()));
        assertThat(collect(handler, "snap-1", 0).getBatchItemFailures()).isEmpty();
        handler.lifecycle().get().deps().tokenCache().put("naver:client",
                new CachedToken(SHARED_TOKEN, Instant.now().plus(Duration.ofHours(3)), Instant.now().plus(Duration.ofHours(2))));
        ObjectGraph graph = ObjectGraph.lookingFor(SECRETS).stoppingAt(factory);
        ObjectGraph.Walk serving = graph.walk(handler, Set.of());
        assertThat(serving.findings()).as("the walk sees the secrets of a serving handler")
                .anySatisfy(f -> assertThat(f.what()).contains(label(SELLER_KEY)))
                .anySatisfy(f -> assertThat(f.what()).contains(label(VALKEY_PASSWORD)))
                .anySatisfy(f -> assertThat(f.what()).contains("a key object"));
        assertThat(connectionsOf(VALKEY_USER)).isPositive();

        // WHEN Lambda takes the snapshot
        handler.beforeCheckpoint(null);

        // THEN nothing the handler reaches, nor any static field of a class it had reached, holds a secret, and Valkey
        // has no connection of its user
        ObjectGraph.Walk snapshot = graph.walk(handler, serving.classes());
        assertThat(snapshot.findings()).as("secrets in the snapshot").isEmpty();
        assertThat(handler.lifecycle().holdsParts()).isFalse();
        assertThat(awaitConnectionsOf(VALKEY_USER, 0)).as("Valkey connections of the snapshotted handler").isZero();

        // AND after a restore it reads the secrets again, reconnects, finds the fleet's token in Valkey and collects
        handler.afterRestore(null);
        assertThat(connectionsOf(VALKEY_USER)).as("connected by afterRestore, before any invocation").isPositive();
        assertThat(handler.lifecycle().get().deps().tokenCache().get("naver:client")).get()
                .extracting(CachedToken::value).isEqualTo(SHARED_TOKEN);
        assertThat(collect(handler, "snap-2", 6).getBatchItemFailures()).isEmpty();
        assertThat(kit.orderIds("signed", "S4")).isNotEmpty();
    }

    @Test
    void given_an_actions_handler_ready_to_serve_when_the_snapshot_is_taken_then_it_holds_no_secret() throws Exception {
        // GIVEN an actions handler built as the Lambda builds it: its store connected as the Valkey user, the token key read
        Supplier<HandlerDependencies> factory = SnapStartHooksTest::fromSecrets;
        ActionsHandler handler = new ActionsHandler(factory, HandlerKit.metrics(new RecordingMetrics()));
        handler.lifecycle().get().clients().client("signed");
        ObjectGraph graph = ObjectGraph.lookingFor(SECRETS).stoppingAt(factory);
        ObjectGraph.Walk serving = graph.walk(handler, Set.of());
        assertThat(serving.findings()).anySatisfy(f -> assertThat(f.what()).contains(label(VALKEY_PASSWORD)))
                .anySatisfy(f -> assertThat(f.what()).contains("a key object"));

        // WHEN the snapshot is taken
        handler.beforeCheckpoint(null);

        // THEN it holds none of them
        assertThat(graph.walk(handler, serving.classes()).findings()).isEmpty();
        handler.afterRestore(null);
        assertThat(handler.lifecycle().holdsParts()).isTrue();
    }

    private static SQSBatchResponse collect(CollectorHandler handler, String requestId, int fromHour) {
        CollectionMessage message = new CollectionMessage(requestId, "signed", "S4", DataKind.ORDERS,
                HandlerKit.T0.plus(Duration.ofHours(fromHour)), HandlerKit.T0.plus(Duration.ofHours(fromHour + 6)), Priority.MEDIUM);
        var event = kit.sendAndReceive(queue, List.of(HandlerKit.json(message)));
        SQSBatchResponse response = handler.handleRequest(event, null);
        kit.acknowledge(queue, event, response);
        return response;
    }

    /** The connections Valkey lists for {@code user}. */
    private static int connectionsOf(String user) {
        Object list = valkey.command("CLIENT", "LIST");
        String text = list instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(list);
        return (int) text.lines().filter(line -> line.contains(" user=" + user + " ")).count();
    }

    /**
     * The connections of {@code user} once Valkey has seen them close, or after 5 s: a server notices a closed socket
     * on its own event loop, after the client's close returned, so its list is awaited, never slept for.
     */
    private static int awaitConnectionsOf(String user, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int seen = connectionsOf(user);
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            seen = connectionsOf(user);
        }
        return seen;
    }

    private static String label(String secret) {
        return "the secret starting " + secret.substring(0, 6);
    }

    private static JsonNode json(String text) {
        try {
            return Messages.json().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
