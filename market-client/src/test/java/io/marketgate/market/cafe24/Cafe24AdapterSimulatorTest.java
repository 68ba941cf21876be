package io.marketgate.market.cafe24;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.BucketLevel;
import io.marketgate.market.CallOutcome;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketAction;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.MarketClient;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.PlannedCall;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.MallConnection;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimulatedMarket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Cafe24 adapter against the simulated Cafe24 Admin API (market-sim's {@code CAFE24} protocol: a mall per seller,
 * the consent page, the token endpoint that rotates refresh tokens, the mall's leaky bucket, orders and shipments),
 * through a real {@link MarketClient} and an in-memory limiter of 2 calls per second per mall (the bucket's drain).
 */
class Cafe24AdapterSimulatorTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private Cafe24Fixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    /** A simulated market of {@code sellers} (each with its mall), each registered and connected with its first connection. */
    private void start(int ordersPerHour, int pageSize, String... sellers) throws Exception {
        sim = MarketSim.builder().market(MarketPresets.cafe24Admin().sellers(sellers).ordersPerHour(ordersPerHour).build()).start();
        market = sim.market("cafe24");
        fx = Cafe24Fixture.of(dir, market.clientBaseUrlTemplate(), Clock.systemUTC(), pageSize, 2,
                new io.marketgate.market.auth.InMemoryConnectionStore(), yaml -> yaml.replace("requestTimeout: 5s", "requestTimeout: 1s"));
        for (String s : sellers) {
            Cafe24Credentials c = market.cafe24Credentials(s);
            fx.seller(s, c.mallId(), c.clientId(), c.clientSecret())
                    .connected(s, c.accessToken(), c.accessTokenExpiresAt(), c.refreshToken(), c.refreshTokenExpiresAt());
        }
    }

    private Seller seller(String id) {
        return Seller.of(id, Map.of("mallId", market.cafe24Credentials(id).mallId()));
    }

    @Test
    void a_collection_finds_exactly_the_orders_the_malls_hold_and_stays_inside_each_malls_bucket() throws Exception {
        // GIVEN two malls with a day of orders
        start(5, 50, "S1", "S2");
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(1));
        List<BucketLevel> levels = new CopyOnWriteArrayList<>();
        MarketClient client = fx.client(fx.limiter(), new MarketCallListener() {
            @Override
            public void onOutcome(PlannedCall call, Priority priority, CallOutcome outcome, Duration elapsed) {}

            @Override
            public void onBucketLevel(PlannedCall call, BucketLevel level) {
                levels.add(level);
            }
        });

        for (String s : List.of("S1", "S2")) {
            // WHEN each is collected
            List<String> collected = new ArrayList<>();
            CollectionResult result = client.collect(new CollectionRequest("cafe24", seller(s), DataKind.ORDERS, from, to),
                    Priority.MEDIUM, MAX_WAIT, (call, page) -> page.orders().forEach(o -> collected.add(o.orderId())));

            // THEN every order paid in the range, once, in the market's order
            assertThat(result).isInstanceOf(CollectionResult.Completed.class);
            assertThat(collected).containsExactlyElementsOf(market.orders(s, from, to).stream()
                    .map(io.marketgate.marketsim.Order::orderId).toList());
            assertThat(collected).hasSizeGreaterThan(50);
        }
        // AND no call went over the mall's bucket, none was answered 429
        assertThat(market.callsOverBudget()).isZero();
        assertThat(market.arrivals()).noneMatch(a -> a.status() == 429);
        // AND every answer said the mall's level, as the mall's budget
        assertThat(levels).isNotEmpty().allSatisfy(l -> {
            assertThat(l.capacity()).isEqualTo(40);
            assertThat(l.budgets()).hasSize(1).first().asString().startsWith("cafe24/mall:m");
            assertThat(l.usage()).containsKey("X-Cafe24-Call-Usage");
        });
    }

    @Test
    void an_order_ships_once_and_shipping_it_again_is_done_already() throws Exception {
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        io.marketgate.marketsim.Order order = market.orders("S1", Instant.now().minus(Duration.ofDays(1)), Instant.now()).stream()
                .filter(market::shippable).findFirst().orElseThrow();
        MarketAction.ShipOrder ship = new MarketAction.ShipOrder(seller("S1"), order.orderId(), "0001", "T-" + order.orderId());

        CallOutcome first = client.execute(ship, MAX_WAIT);
        CallOutcome again = client.execute(ship, MAX_WAIT);
        CallOutcome read = client.execute(fx.adapter().planGetOrder(seller("S1"), order.orderId()), Priority.HIGH, MAX_WAIT);

        assertThat(first).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", false)));
        assertThat(again).isEqualTo(new CallOutcome.Ok(new MarketData.ActionDone("ship-order", true)));
        assertThat(market.shipments()).hasSize(1);
        assertThat(((OrderPage) ((CallOutcome.Ok) read).data()).orders()).extracting(Order::status).containsExactly("N30");
    }

    @Test
    void a_refused_access_token_is_refreshed_once_and_the_call_repeated() throws Exception {
        // GIVEN a mall whose access token the market expired early
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        String first = market.cafe24Credentials("S1").refreshToken();
        market.expireAccessTokens("S1");

        // WHEN an order is read
        CallOutcome outcome = client.execute(fx.adapter().planGetOrder(seller("S1"), "20200101-0000999"), Priority.MEDIUM, MAX_WAIT);

        // THEN the 401 made one refresh, the call was repeated, and the new pair is stored
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        assertThat(market.tokenRequests("S1")).isEqualTo(1);
        assertThat(market.invalidGrants()).isZero();
        MallConnection stored = fx.connections.read("cafe24", "S1").orElseThrow();
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.tokens().orElseThrow().refresh().value()).isNotEqualTo(first)
                .isEqualTo(market.currentRefreshToken("S1").orElseThrow());
    }

    @Test
    void a_revoked_mall_is_reconnect_required_and_fails_at_once_after() throws Exception {
        // GIVEN a mall whose owner removed the app
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        market.revokeTokens("S1");
        PlannedCall read = fx.adapter().planGetOrder(seller("S1"), "20200101-0000999");

        // WHEN an order is read, twice
        CallOutcome outcome = client.execute(read, Priority.MEDIUM, MAX_WAIT);
        int arrivals = market.arrivals().size();
        CallOutcome again = client.execute(read, Priority.MEDIUM, MAX_WAIT);

        // THEN the refresh was refused: reconnect required, with Cafe24's words and no token
        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED);
            assertThat(f.reason()).contains("invalid_grant").contains("revoked")
                    .doesNotContain(market.cafe24Credentials("S1").refreshToken());
        });
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().status()).isEqualTo(MallConnection.Status.RECONNECT_REQUIRED);
        // AND the second call failed the same way without reaching the market
        assertThat(again).isInstanceOfSatisfying(CallOutcome.Fatal.class,
                f -> assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED));
        assertThat(market.arrivals()).hasSize(arrivals);
    }

    @Test
    void a_mall_without_a_connection_is_connected_through_the_consent_page_and_the_code_exchange() throws Exception {
        // GIVEN a registered mall that never connected
        sim = MarketSim.builder().market(MarketPresets.cafe24Admin().sellers("S1").ordersPerHour(5).build()).start();
        market = sim.market("cafe24");
        fx = Cafe24Fixture.of(dir, market.clientBaseUrlTemplate(), Clock.systemUTC(), 100);
        Cafe24Credentials c = market.cafe24Credentials("S1");
        fx.seller("S1", c.mallId(), c.clientId(), c.clientSecret());
        MarketClient client = fx.client(fx.limiter());
        PlannedCall read = fx.adapter().planGetOrder(seller("S1"), "20200101-0000999");
        CallOutcome before = client.execute(read, Priority.MEDIUM, MAX_WAIT);

        // WHEN its owner opens the consent page and the code that comes back is exchanged
        Cafe24Adapter adapter = (Cafe24Adapter) client.adapter();
        URI page = adapter.consentUrl(seller("S1"), "state-0123456789");
        HttpResponse<String> redirect = HttpClient.newHttpClient().send(HttpRequest.newBuilder(page).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        String location = redirect.headers().firstValue("Location").orElseThrow();
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
        CallOutcome exchanged = client.execute(adapter.planExchange(seller("S1"), code), Priority.HIGH, MAX_WAIT);
        adapter.connected(seller("S1"), (MarketData.TokenPair) ((CallOutcome.Ok) exchanged).data());

        // THEN before: reconnect required (never connected); after: the call works on the consent's token
        assertThat(before).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED);
            assertThat(f.reason()).contains("has not connected");
        });
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(location).startsWith(Cafe24Fixture.REDIRECT).endsWith("&state=state-0123456789");
        assertThat(client.execute(read, Priority.MEDIUM, MAX_WAIT)).isInstanceOf(CallOutcome.Ok.class);
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().version()).isEqualTo(1);
        // AND the code works once: a second exchange is refused, and the connection stays
        CallOutcome reused = client.execute(adapter.planExchange(seller("S1"), code), Priority.HIGH, MAX_WAIT);
        assertThat(reused).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> assertThat(f.reason()).contains("code"));
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().connected()).isTrue();
    }

    @Test
    void a_token_endpoint_that_fails_with_a_5xx_during_a_refresh_loses_nothing() throws Exception {
        // GIVEN a mall whose access token expired, and a token endpoint that fails once
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        market.expireAccessTokens("S1");
        market.faults().failNext(1, 503);
        PlannedCall read = fx.adapter().planGetOrder(seller("S1"), "20200101-0000999");

        // WHEN the call is made, and made again after it failed
        CallOutcome failed = client.execute(read, Priority.MEDIUM, MAX_WAIT);
        CallOutcome retried = client.execute(read, Priority.MEDIUM, MAX_WAIT);

        // THEN the first may pass; the second refreshed with the same refresh token, which still worked
        assertThat(failed).isInstanceOf(CallOutcome.Retryable.class);
        assertThat(retried).isInstanceOf(CallOutcome.Ok.class);
        assertThat(market.invalidGrants()).isZero();
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void a_token_endpoint_slower_than_a_calls_timeout_is_waited_for_so_its_rotated_token_is_not_lost() throws Exception {
        // GIVEN calls that time out after 1 s, and a token endpoint that answers (having rotated) after 2 s
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        market.expireAccessTokens("S1");
        market.faults().delayNext(1, Duration.ofSeconds(2));

        // WHEN the call refreshes
        CallOutcome outcome = client.execute(fx.adapter().planGetOrder(seller("S1"), "20200101-0000999"), Priority.MEDIUM, MAX_WAIT);

        // THEN the token call had its own longer timeout: the rotated pair arrived and was stored
        assertThat(outcome).isInstanceOf(CallOutcome.Ok.class);
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().tokens().orElseThrow().refresh().value())
                .isEqualTo(market.currentRefreshToken("S1").orElseThrow());
        assertThat(market.invalidGrants()).isZero();
    }

    @Test
    void a_gateway_timeout_during_a_refresh_rotates_nothing_and_the_next_refresh_works() throws Exception {
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        market.expireAccessTokens("S1");
        market.faults().delayNext(1, Duration.ofMillis(300));
        market.faults().failNext(1, 504);
        PlannedCall read = fx.adapter().planGetOrder(seller("S1"), "20200101-0000999");

        CallOutcome timedOut = client.execute(read, Priority.MEDIUM, MAX_WAIT);
        CallOutcome retried = client.execute(read, Priority.MEDIUM, MAX_WAIT);

        assertThat(timedOut).isInstanceOfSatisfying(CallOutcome.Retryable.class, r -> assertThat(r.reason()).contains("504"));
        assertThat(retried).isInstanceOf(CallOutcome.Ok.class);
        assertThat(market.invalidGrants()).isZero();
    }

    @Test
    void an_expired_refresh_token_makes_the_mall_reconnect_required() throws Exception {
        start(5, 100, "S1");
        MarketClient client = fx.client(fx.limiter());
        market.expireAccessTokens("S1");
        market.expireRefreshTokens("S1");

        CallOutcome outcome = client.execute(fx.adapter().planGetOrder(seller("S1"), "20200101-0000999"), Priority.MEDIUM, MAX_WAIT);

        assertThat(outcome).isInstanceOfSatisfying(CallOutcome.Fatal.class, f -> {
            assertThat(f.cause()).isEqualTo(CallOutcome.Cause.RECONNECT_REQUIRED);
            assertThat(f.reason()).contains("expired");
        });
        assertThat(fx.connections.read("cafe24", "S1").orElseThrow().reason()).hasValueSatisfying(r -> assertThat(r).contains("expired"));
    }
}
