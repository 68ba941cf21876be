package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Order;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API over real HTTP against the local runtime: the dev environment's Coupang on a simulated market, the real
 * collector and action handlers behind SQS pollers, the API behind {@link LocalHttpFront}, S3 in the JVM, and exports
 * whose work runs on {@link SimulatedWork}'s clock (1 s per exported order).
 */
class LocalApiEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(90);

    static final SimulatedWork work = new SimulatedWork(Duration.ofSeconds(1));
    static LocalPlatform platform;
    static LocalApi api;
    static MarketSim sim;
    static Instant to;
    static Instant from;

    @BeforeAll
    static void start() {
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        platform = LocalPlatform.start(env, Scenario.local(env, List.of("coupang"), 10, 10, 42), LocalPlatform.StoreKind.MEMORY, System.err);
        api = LocalApi.builder(platform).clock(work.clock()).pacer(work).start();
        sim = platform.sim().orElseThrow();
        to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
        from = to.minus(Duration.ofHours(12));
    }

    @AfterAll
    static void stop() {
        work.release();
        api.close();
        platform.close();
    }

    @AfterEach
    void letGo() {
        work.release();
    }

    @Test
    void a_collection_request_is_followed_to_completion_through_its_status() throws Exception {
        // GIVEN two sellers with orders in the range
        List<String> sellers = List.of("coupang-s0001", "coupang-s0002");

        // WHEN their orders are requested
        HttpResponse<String> accepted = post("/v1/collections", Map.of(), """
                {"market":"coupang","sellers":["coupang-s0001","coupang-s0002"],"from":"%s","to":"%s","priority":"MEDIUM"}
                """.formatted(from, to));

        // THEN it is accepted at once with one message per seller and 24 h window, and runs to SUCCEEDED
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode answer = JSON.readTree(accepted.body());
        assertThat(answer.get("messages").asInt()).isEqualTo(2);
        assertThat(accepted.headers().firstValue("Location")).contains("/v1/collections/" + answer.get("requestId").asText());
        JsonNode done = poll("/v1/collections/" + answer.get("requestId").asText(), s -> s.get("status").asText().equals("SUCCEEDED"));
        for (int i = 0; i < sellers.size(); i++) {
            JsonNode seller = done.get("sellers").get(i);
            int expected = sim.market("coupang").orders(sellers.get(i), from, to).size();
            assertThat(seller.get("sellerId").asText()).isEqualTo(sellers.get(i));
            assertThat(seller.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(seller.get("ordersWritten").asInt()).isEqualTo(expected).isPositive();
        }
    }

    @Test
    void a_single_order_is_re_collected() throws Exception {
        // GIVEN an order of a seller, named as Coupang's clients name it: its shipment box
        String box = sim.market("coupang").clientOrderId(sim.market("coupang").orders("coupang-s0003", from, to).get(0));

        // WHEN it is re-collected
        HttpResponse<String> accepted = post("/v1/markets/coupang/orders/" + box + "/collect", Map.of(),
                "{\"sellerId\":\"coupang-s0003\"}");

        // THEN the market was asked for that order alone, and the order is stored
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = JSON.readTree(accepted.body()).get("requestId").asText();
        JsonNode done = poll("/v1/collections/" + id, s -> s.get("status").asText().equals("SUCCEEDED"));
        assertThat(done.get("orderId").asText()).isEqualTo(box);
        assertThat(done.get("ordersWritten").asInt()).isEqualTo(1);
        assertThat(sim.market("coupang").arrivals(Endpoint.GET_ORDER)).anySatisfy(a -> assertThat(a.orderId()).isEqualTo(box));
        assertThat(platform.dynamoDb().getItem(b -> b.tableName(platform.tables().orders()).key(Map.of(
                "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("coupang#coupang-s0003"),
                "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(box)))).item()).isNotEmpty();
    }

    @Test
    void a_stored_order_is_read_in_the_common_model_and_refreshed_through_the_collector_and_the_limiter() throws Exception {
        // GIVEN an order of coupang-s0005 stored by a re-collection
        Order order = sim.market("coupang").orders("coupang-s0005", from, to).get(0);
        String box = sim.market("coupang").clientOrderId(order);
        HttpResponse<String> accepted = post("/v1/markets/coupang/orders/" + box + "/collect", Map.of(), "{\"sellerId\":\"coupang-s0005\"}");
        poll("/v1/collections/" + JSON.readTree(accepted.body()).get("requestId").asText(),
                s -> s.get("status").asText().equals("SUCCEEDED"));
        long readsBefore = sim.market("coupang").arrivals(Endpoint.GET_ORDER).stream().filter(a -> box.equals(a.orderId())).count();

        // WHEN it is read, then read with refresh=true
        HttpResponse<String> read = get("/v1/orders/coupang/coupang-s0005/" + box);
        HttpResponse<String> refreshed = get("/v1/orders/coupang/coupang-s0005/" + box + "?refresh=true");

        // THEN the stored order in the common model, the market's status and answer beside it
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        JsonNode stored = JSON.readTree(read.body());
        assertThat(stored.get("marketStatus").asText()).isEqualTo(order.status());
        assertThat(stored.get("status").asText()).isEqualTo(io.marketgate.market.coupang.CoupangAdapter.commonStatus(order.status()).name());
        assertThat(stored.get("raw").get("shipmentBoxId").asText()).isEqualTo(box);
        // AND the refresh asked the market once more, through the collector, and answered the fresh state
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JsonNode fresh = JSON.readTree(refreshed.body());
        assertThat(fresh.get("refreshed").asBoolean()).isTrue();
        assertThat(Instant.parse(fresh.get("storedAt").asText())).isAfterOrEqualTo(Instant.parse(stored.get("storedAt").asText()));
        assertThat(sim.market("coupang").arrivals(Endpoint.GET_ORDER).stream().filter(a -> box.equals(a.orderId())).count())
                .isEqualTo(readsBefore + 1);
        // AND the seller's list shows it
        HttpResponse<String> list = get("/v1/sellers/coupang/coupang-s0005/orders?limit=1000");
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).get("orders").findValuesAsText("orderId")).contains(box);
    }

    @Test
    void an_action_sent_twice_with_one_idempotency_key_ships_once_and_emits_one_event() throws Exception {
        // GIVEN an order Coupang would ship now (INSTRUCT), named by its shipment box, collected by the platform
        collect("coupang-s0004");
        Order order = sim.market("coupang").orders("coupang-s0004", from, to).stream()
                .filter(sim.market("coupang")::shippable).findFirst().orElseThrow();
        String box = sim.market("coupang").clientOrderId(order);
        String body = """
                {"type":"SHIP_ORDER","market":"coupang","sellerId":"coupang-s0004","orderId":"%s","carrier":"CJGLS","trackingNumber":"555"}
                """.formatted(box);

        // WHEN the client sends it twice with the same key (a retry after a lost answer)
        HttpResponse<String> first = post("/v1/actions", Map.of("Idempotency-Key", "ship-" + box), body);
        HttpResponse<String> again = post("/v1/actions", Map.of("Idempotency-Key", "ship-" + box), body);

        // THEN both get the same action, and the market sees one shipment
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(JSON.readTree(again.body()).get("actionId")).isEqualTo(JSON.readTree(first.body()).get("actionId"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sim.market("coupang").shipments().stream().noneMatch(s -> s.orderId().equals(order.orderId())) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(1000); // room for a second delivery, were there one
        assertThat(sim.market("coupang").arrivals(Endpoint.CREATE_SHIPMENT)).filteredOn(a -> box.equals(a.orderId())).hasSize(1);
        assertThat(platform.queuedMessages()).isZero();
        // AND one "Action Done" event of it is on the environment's actions bus
        String actionId = JSON.readTree(first.body()).get("actionId").asText();
        assertThat(platform.eventBridge().events(platform.actionsBus()))
                .filteredOn(e -> actionId.equals(e.detailJson().get("actionId").asText()))
                .extracting(e -> e.detailType()).containsExactly("Action Done");
    }

    @Test
    void an_export_of_more_than_30_s_of_work_is_polled_and_its_result_fetched_from_its_url() throws Exception {
        // GIVEN a seller's collected orders (about 120, 1 s of simulated work each)
        int orders = collect("coupang-s0005");
        assertThat(orders).isGreaterThan(30);

        // WHEN an export starts and is polled
        HttpResponse<String> started = post("/v1/exports", Map.of(), "{\"owner\":\"ops-1\",\"market\":\"coupang\",\"sellerId\":\"coupang-s0005\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String jobId = JSON.readTree(started.body()).get("jobId").asText();
        JsonNode done = poll("/v1/jobs/" + jobId, j -> !j.get("status").asText().matches("QUEUED|RUNNING"));

        // THEN it ran more than 30 s of simulated time, and its result is at the URL, not in the answer
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        Duration ran = Duration.between(Instant.parse(done.get("createdAt").asText()), Instant.parse(done.get("updatedAt").asText()));
        assertThat(ran).isGreaterThan(Duration.ofSeconds(30));
        assertThat(done.get("progress").get("done").asInt()).isEqualTo(orders);
        assertThat(done.has("orders")).isFalse();
        HttpResponse<String> result = HTTP.send(HttpRequest.newBuilder(URI.create(done.get("result").get("url").asText())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(result.statusCode()).isEqualTo(200);
        JsonNode exported = JSON.readTree(result.body());
        assertThat(exported.get("count").asInt()).isEqualTo(orders);
        assertThat(exported.get("orders")).hasSize(orders);
    }

    @Test
    void a_second_export_while_one_runs_returns_the_running_job() throws Exception {
        collect("coupang-s0006");
        work.hold();
        String body = "{\"owner\":\"ops-2\",\"market\":\"coupang\",\"sellerId\":\"coupang-s0006\"}";
        HttpResponse<String> first = post("/v1/exports", Map.of(), body);
        assertThat(work.awaitHeld(WAIT)).isTrue();

        HttpResponse<String> second = post("/v1/exports", Map.of(), body);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        String jobId = JSON.readTree(first.body()).get("jobId").asText();
        assertThat(JSON.readTree(second.body()).get("jobId").asText()).isEqualTo(jobId);
        assertThat(JSON.readTree(second.body()).get("status").asText()).isEqualTo("RUNNING");
        work.release();
        assertThat(poll("/v1/jobs/" + jobId, j -> !j.get("status").asText().matches("QUEUED|RUNNING")).get("status").asText())
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void a_job_whose_heartbeat_is_stale_is_reported_failed() throws Exception {
        // GIVEN a running export whose worker stops showing life
        collect("coupang-s0007");
        work.hold();
        HttpResponse<String> started = post("/v1/exports", Map.of(), "{\"owner\":\"ops-3\",\"market\":\"coupang\",\"sellerId\":\"coupang-s0007\"}");
        String jobId = JSON.readTree(started.body()).get("jobId").asText();
        assertThat(work.awaitHeld(WAIT)).isTrue();

        // WHEN more than the heartbeat limit (2 min in dev) passes
        work.advance(Duration.ofMinutes(3));
        HttpResponse<String> polled = get("/v1/jobs/" + jobId);

        // THEN the job is failed, though its record had not expired, and a worker coming back does not revive it
        JsonNode job = JSON.readTree(polled.body());
        assertThat(job.get("status").asText()).isEqualTo("FAILED");
        assertThat(job.get("reason").asText()).contains("no heartbeat since");
        work.release();
        Thread.sleep(500);
        assertThat(JSON.readTree(get("/v1/jobs/" + jobId).body()).get("status").asText()).isEqualTo("FAILED");
        HttpResponse<String> again = post("/v1/exports", Map.of(), "{\"owner\":\"ops-3\",\"market\":\"coupang\",\"sellerId\":\"coupang-s0007\"}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).get("jobId").asText()).isNotEqualTo(jobId);
    }

    /** Collects a seller's orders of [from, to) through the API; the number written. */
    private static int collect(String seller) throws Exception {
        HttpResponse<String> accepted = post("/v1/collections", Map.of(),
                "{\"market\":\"coupang\",\"sellers\":[\"%s\"],\"from\":\"%s\",\"to\":\"%s\"}".formatted(seller, from, to));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode done = poll("/v1/collections/" + JSON.readTree(accepted.body()).get("requestId").asText(),
                s -> s.get("status").asText().equals("SUCCEEDED"));
        return done.get("ordersWritten").asInt();
    }

    private static HttpResponse<String> post(String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(api.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode poll(String path, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<JsonNode> last = Optional.empty();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode node = JSON.readTree(r.body());
            last = Optional.of(node);
            if (until.test(node)) {
                return node;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gave up polling " + path + "; last: " + last.orElse(null));
    }
}
