package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiRequest;
import io.marketgate.handlers.api.ApiResponse;
import io.marketgate.handlers.service.FanOutService;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.IdempotencyStore;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Status;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.limiter.Priority;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.sellers.SellerStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connecting a Cafe24 mall by consent through the API ({@code /v1/sellers/cafe24/{id}/connect}, {@code /v1/connections/callback}),
 * what the collector does with a connection the market refused, and the scheduler's keep-alive: against the simulated
 * Cafe24, dynalite and the embedded Secrets Manager.
 */
class ConnectionsTest {

    @TempDir
    static Path dir;

    private static ApiTestWorld world;
    private static SimulatedMarket cafe24;
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        world = new ApiTestWorld(dir);
        cafe24 = world.kit.sim.market("cafe24");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @AfterEach
    void resetHook() {
        world.kit.callHook.set(MarketCallListener.NONE);
    }

    private static HandlerDependencies deps() {
        return world.kit.deps().build();
    }

    /** Registers the mall's app (mallId, clientId, clientSecret) as the seller's credentials. */
    private static void register(String mall) {
        deps().sellerDirectory().register("cafe24", mall, cafe24.cafe24Credentials(mall).registrationFields());
    }

    private static ApiResponse get(String path, Map<String, String> query) {
        return world.api.handle(new ApiRequest("GET", path, Map.of(), null, "test", query));
    }

    private static JsonNode json(ApiResponse response) {
        try {
            return Messages.json().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** Opens the consent page as the mall owner's browser would: the redirect's query (code and state). */
    private static Map<String, String> consent(String consentUrl) throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(consentUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        URI back = URI.create(page.headers().firstValue("Location").orElseThrow());
        assertThat(back.getPath()).isEqualTo("/v1/connections/callback");
        Map<String, String> query = new java.util.LinkedHashMap<>();
        for (String pair : back.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return query;
    }

    @Test
    void a_mall_connects_through_the_consent_page_and_its_state_works_once() throws Exception {
        // GIVEN M1 registered with its mall and app
        register("M1");

        // WHEN the API is asked for its consent page, the owner agrees, and the market calls the callback
        ApiResponse connect = get("/v1/sellers/cafe24/M1/connect", Map.of());
        Map<String, String> back = consent(json(connect).get("consentUrl").asText());
        ApiResponse callback = get("/v1/connections/callback", back);

        // THEN the consent page is the mall's, with the app, the scopes and a state; the connection is stored
        assertThat(connect.status()).as(connect.body()).isEqualTo(200);
        URI page = URI.create(json(connect).get("consentUrl").asText());
        assertThat(page.getPath()).isEqualTo("/cafe24/" + cafe24.cafe24Credentials("M1").mallId() + "/api/v2/oauth/authorize");
        assertThat(page.getQuery()).contains("client_id=" + cafe24.cafe24Credentials("M1").clientId())
                .contains("scope=mall.read_order,mall.write_order").contains("state=" + back.get("state"));
        assertThat(callback.status()).as(callback.body()).isEqualTo(200);
        assertThat(json(callback).get("status").asText()).isEqualTo("connected");
        MallConnection stored = deps().connections().connection("cafe24", "M1").orElseThrow();
        assertThat(stored.version()).isEqualTo(1);
        assertThat(callback.body()).doesNotContain(stored.tokens().orElseThrow().access().value())
                .doesNotContain(back.get("code"));

        // WHEN the same callback comes again
        ApiResponse replay = get("/v1/connections/callback", back);

        // THEN its state is spent: 400 naming state, and nothing changed
        assertThat(replay.status()).isEqualTo(400);
        assertThat(json(replay).get("field").asText()).isEqualTo("state");
        assertThat(json(replay).get("rule").asText()).isEqualTo("unknown-state");
        assertThat(deps().connections().connection("cafe24", "M1").orElseThrow().version()).isEqualTo(1);
        assertThat(cafe24.invalidGrants()).isZero();
    }

    @Test
    void a_callback_without_a_state_with_an_unknown_one_or_a_refused_consent_changes_nothing() throws Exception {
        register("M2");
        String consentUrl = json(get("/v1/sellers/cafe24/M2/connect", Map.of())).get("consentUrl").asText();
        String state = consent(consentUrl).get("state");

        ApiResponse noState = get("/v1/connections/callback", Map.of("code", "abc"));
        ApiResponse unknown = get("/v1/connections/callback", Map.of("code", "abc", "state", "A".repeat(43)));
        ApiResponse denied = get("/v1/connections/callback", Map.of("error", "access_denied", "state", state));

        assertThat(noState.status()).isEqualTo(400);
        assertThat(json(noState).get("field").asText()).isEqualTo("state");
        assertThat(json(noState).get("rule").asText()).isEqualTo("required");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(json(unknown).get("rule").asText()).isEqualTo("unknown-state");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(json(denied).get("rule").asText()).isEqualTo("consent-refused");
        assertThat(deps().connections().connection("cafe24", "M2")).isEmpty();
    }

    @Test
    void only_a_registered_seller_of_a_market_that_connects_by_consent_gets_a_consent_page() {
        ApiResponse unregistered = get("/v1/sellers/cafe24/nobody/connect", Map.of());
        ApiResponse keyed = get("/v1/sellers/shop/S1/connect", Map.of());
        ApiResponse unknownMarket = get("/v1/sellers/nowhere/S1/connect", Map.of());

        assertThat(unregistered.status()).isEqualTo(404);
        assertThat(json(unregistered).get("field").asText()).isEqualTo("sellerId");
        assertThat(keyed.status()).isEqualTo(409);
        assertThat(json(keyed).get("rule").asText()).isEqualTo("no-consent");
        assertThat(unknownMarket.status()).isEqualTo(404);
    }

    @Test
    void a_revoked_connection_marks_the_seller_reconnect_required_its_requests_fail_for_good_and_a_new_consent_heals_it()
            throws Exception {
        // GIVEN M3 registered and connected with the mall's first connection, then its owner removes the app
        register("M3");
        Cafe24Credentials c = cafe24.cafe24Credentials("M3");
        deps().connections().connect("cafe24", "M3", new ConnectionTokens(
                new CachedToken(c.accessToken(), c.accessTokenExpiresAt(), c.accessTokenExpiresAt().minus(Duration.ofMinutes(10))),
                new CachedToken(c.refreshToken(), c.refreshTokenExpiresAt(), c.refreshTokenExpiresAt().minus(Duration.ofDays(1)))));
        cafe24.revokeTokens("M3");
        CollectorHandler handler = new CollectorHandler(deps(), HandlerKit.metrics(metrics));
        world.kit.callHook.set((call, priority, outcome, elapsed) -> {
            if (outcome instanceof CallOutcome.MarketAnswer) {
                calls.add(call.callName() + " " + outcome.kind());
            }
        });

        // WHEN its collection runs
        SQSBatchResponse first = collect(handler, "rc-1");

        // THEN the request failed for good with the market's words; the seller is reconnect-required; the metric counts it
        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(status("rc-1").status()).isEqualTo(Status.FAILED);
        assertThat(status("rc-1").reason()).hasValueSatisfying(r -> assertThat(r).startsWith("reconnect required:")
                .contains("invalid_grant").doesNotContain(c.refreshToken()));
        assertThat(deps().sellers().record("cafe24", "M3").orElseThrow().status()).isEqualTo(SellerStatus.RECONNECT_REQUIRED);
        assertThat(metrics.flushed).contains("ReconnectRequired{market=cafe24}=1.0");
        assertThat(json(get("/v1/sellers/cafe24/M3", Map.of())).get("status").asText()).isEqualTo("reconnect-required");

        // WHEN it is asked for again
        calls.clear();
        SQSBatchResponse second = collect(handler, "rc-2");

        // THEN it fails at once: no market call
        assertThat(second.getBatchItemFailures()).isEmpty();
        assertThat(status("rc-2").reason()).hasValueSatisfying(r -> assertThat(r).contains("its owner must consent again"));
        assertThat(calls).isEmpty();

        // WHEN the owner consents again
        ApiResponse callback = get("/v1/connections/callback",
                consent(json(get("/v1/sellers/cafe24/M3/connect", Map.of())).get("consentUrl").asText()));

        // THEN the seller is active and collected again
        assertThat(callback.status()).as(callback.body()).isEqualTo(200);
        assertThat(deps().sellers().record("cafe24", "M3").orElseThrow().status()).isEqualTo(SellerStatus.ACTIVE);
        collect(new CollectorHandler(deps(), HandlerKit.metrics(metrics)), "rc-3");
        assertThat(status("rc-3").status()).isEqualTo(Status.SUCCEEDED);
    }

    @Test
    void a_shipment_of_a_mall_whose_owner_revoked_the_app_marks_the_seller_reconnect_required_and_counts_the_metric() {
        // GIVEN M4 registered and connected, then its owner revokes the app's tokens
        register("M4");
        Cafe24Credentials c = cafe24.cafe24Credentials("M4");
        deps().connections().connect("cafe24", "M4", new ConnectionTokens(
                new CachedToken(c.accessToken(), c.accessTokenExpiresAt(), c.accessTokenExpiresAt().minus(Duration.ofMinutes(10))),
                new CachedToken(c.refreshToken(), c.refreshTokenExpiresAt(), c.refreshTokenExpiresAt().minus(Duration.ofDays(1)))));
        cafe24.revokeTokens("M4");
        String orderId = cafe24.orders("M4", HandlerKit.T0, HandlerKit.T0.plus(Duration.ofDays(1))).get(0).orderId();
        ActionsHandler handler = new ActionsHandler(deps(), HandlerKit.metrics(metrics));
        String queue = world.kit.newFifoQueue("cafe24-actions");

        // WHEN the actions consumer ships one of its orders
        SQSBatchResponse response = handler.handleRequest(send(queue, new ActionMessage("a-rc-ship-1", "rc-ship-1", "cafe24", "M4",
                ActionMessage.ActionType.SHIP_ORDER, orderId, "CJ", "T-rc-1")), null);

        // THEN the action failed for good with the market's words, the seller is reconnect-required (as the API shows),
        // and ReconnectRequired is counted for the market, which its alarm reads
        assertThat(response.getBatchItemFailures()).isEmpty();
        IdempotencyStore idempotency = new IdempotencyStore(world.kit.dynamoDb, HandlerKit.TABLES.idempotency(), java.time.Clock.systemUTC());
        assertThat(idempotency.result("rc-ship-1")).hasValueSatisfying(r -> assertThat(r).startsWith("failed: reconnect required:")
                .contains("invalid_grant").doesNotContain(c.refreshToken()).doesNotContain(c.accessToken()));
        assertThat(deps().sellers().record("cafe24", "M4").orElseThrow().status()).isEqualTo(SellerStatus.RECONNECT_REQUIRED);
        assertThat(json(get("/v1/sellers/cafe24/M4", Map.of())).get("status").asText()).isEqualTo("reconnect-required");
        assertThat(metrics.flushed).contains("ReconnectRequired{market=cafe24}=1.0");
        assertThat(deps().connections().connection("cafe24", "M4").orElseThrow().status()).isEqualTo(MallConnection.Status.RECONNECT_REQUIRED);
    }

    private static SQSEvent send(String queue, ActionMessage m) {
        world.kit.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(HandlerKit.json(m))
                .messageGroupId(m.messageGroupId()).messageDeduplicationId(m.idempotencyKey()));
        return world.kit.receive(queue, 1);
    }

    @Test
    void the_scheduler_keeps_alive_the_connections_whose_refresh_token_ends_within_a_day() {
        // GIVEN two connected sellers: one refreshed 13.5 days ago, one 4 days ago (the kit's clock is HandlerKit.NOW)
        String queue = world.kit.newQueue("cafe24-collect");
        HandlerDependencies deps = world.kit.deps().queues(QueueDirectory.builder().market("cafe24", queue, null).build()).build();
        deps.connections().connect("cafe24", "old-1", tokens(HandlerKit.NOW.plus(Duration.ofHours(12))));
        deps.connections().connect("cafe24", "fresh-1", tokens(HandlerKit.NOW.plus(Duration.ofDays(10))));

        // WHEN the keep-alive runs
        List<String> created = new FanOutService(deps, () -> "ka-1").keepAlive("cafe24");

        // THEN one small MEDIUM collection request for the mall whose refresh token is about to end
        assertThat(created).containsExactly("ka-1");
        CollectionMessage m = Messages.read(world.kit.receive(queue, 1).getRecords().get(0).getBody(), CollectionMessage.class);
        assertThat(m.sellerId()).isEqualTo("old-1");
        assertThat(m.priority()).isEqualTo(Priority.MEDIUM);
        assertThat(Duration.between(m.from(), m.to())).isEqualTo(FanOutService.KEEP_ALIVE_LOOKBACK);
        assertThat(new FanOutService(deps).keepAlive("shop")).as("a market without consent").isEmpty();
    }

    private static ConnectionTokens tokens(java.time.Instant refreshExpires) {
        return new ConnectionTokens(new CachedToken("A", HandlerKit.NOW.plus(Duration.ofHours(1)), HandlerKit.NOW.plus(Duration.ofMinutes(50))),
                new CachedToken("R", refreshExpires, refreshExpires.minus(Duration.ofDays(1))));
    }

    private static SQSBatchResponse collect(CollectorHandler handler, String requestId) {
        CollectionMessage message = new CollectionMessage(requestId, "cafe24", "M3", DataKind.ORDERS,
                HandlerKit.NOW.minus(Duration.ofHours(1)), HandlerKit.NOW, Priority.MEDIUM);
        return handler.handleRequest(world.kit.sendAndReceive(world.kit.newQueue("collect"), List.of(HandlerKit.json(message))), null);
    }

    private static RequestStatus status(String requestId) {
        return RequestStatusRepository.of(deps()).find(requestId).orElseThrow();
    }
}
