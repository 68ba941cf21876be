package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each {@link MarketFault} happens inside its window of the market's clock, and not before or after it. */
class FaultWindowsTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("k").sellers("A001")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1000, Duration.ofSeconds(1)));
    }

    /** Status of a call before the window, of {@code n} calls in it, and of a call after it. */
    private List<Integer> beforeDuringAfter(MarketFault fault, int n) {
        start(market().build());
        sim.market("m").faults().during(T0.plusSeconds(5), T0.plusSeconds(5).plus(WINDOW), fault);
        MarketClient c = client("m", "k");
        List<Integer> statuses = new ArrayList<>();
        statuses.add(c.orders("A001", FROM, TO).status());
        clock.advance(Duration.ofSeconds(5));
        for (int i = 0; i < n; i++) {
            statuses.add(c.orders("A001", FROM, TO).status());
        }
        clock.advance(WINDOW);
        statuses.add(c.orders("A001", FROM, TO).status());
        return statuses;
    }

    @Test
    void a_429_storm_answers_429_in_its_window_and_not_outside() {
        // GIVEN a storm of 429s for 10 s; WHEN calls arrive before, during and after it
        List<Integer> statuses = beforeDuringAfter(new MarketFault.Storm429(1.0, Duration.ofSeconds(2)), 3);

        // THEN only the calls inside were refused, as throttled by the storm
        assertThat(statuses).containsExactly(200, 429, 429, 429, 200);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome)
                .containsExactly(Outcome.OK, Outcome.THROTTLED, Outcome.THROTTLED, Outcome.THROTTLED, Outcome.OK);
        assertThat(sim.market("m").arrivals().get(1).blockingBudget()).isEqualTo("storm");
    }

    @Test
    void a_share_of_429s_refuses_some_calls_of_the_window_but_not_all() {
        List<Integer> statuses = beforeDuringAfter(new MarketFault.Storm429(0.5, Duration.ofSeconds(1)), 40);

        assertThat(statuses.subList(1, 41)).contains(429, 200).containsOnly(429, 200);
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(statuses.get(41)).isEqualTo(200);
    }

    @Test
    void server_errors_answer_5xx_in_their_window_after_the_budget_was_charged() {
        List<Integer> statuses = beforeDuringAfter(new MarketFault.ServerErrors(1.0, 502), 2);

        assertThat(statuses).containsExactly(200, 502, 502, 200);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome)
                .containsExactly(Outcome.OK, Outcome.SERVER_ERROR, Outcome.SERVER_ERROR, Outcome.OK);
    }

    @Test
    void a_penalty_block_refuses_every_call_until_the_window_ends_and_says_how_long() {
        start(market().build());
        sim.market("m").faults().during(T0, T0.plus(WINDOW), new MarketFault.PenaltyBlock());
        MarketClient c = client("m", "k");

        MarketClient.Reply during = c.orders("A001", FROM, TO);
        clock.advance(WINDOW);
        MarketClient.Reply after = c.orders("A001", FROM, TO);

        assertThat(during.status()).isEqualTo(429);
        assertThat(during.header("Retry-After")).isEqualTo("10");
        assertThat(after.status()).isEqualTo(200);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome).containsExactly(Outcome.PENALIZED, Outcome.OK);
    }

    @Test
    void an_ip_rejection_answers_403_in_its_window_only() {
        assertThat(beforeDuringAfter(new MarketFault.IpRejected(), 2)).containsExactly(200, 403, 403, 200);
        assertThat(sim.market("m").arrivals().get(1).outcome()).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void a_revoked_credential_answers_401_in_its_window_only() {
        assertThat(beforeDuringAfter(new MarketFault.CredentialRevoked(), 2)).containsExactly(200, 401, 401, 200);
        assertThat(sim.market("m").arrivals().get(1).outcome()).isEqualTo(Outcome.UNAUTHORIZED);
    }

    @Test
    void a_malformed_answer_is_a_200_whose_json_breaks_off() throws Exception {
        start(market().build());
        sim.market("m").faults().during(T0, T0.plus(WINDOW), new MarketFault.Malformed(1.0));
        HttpRequest request = client("m", "k").request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO).GET().build();

        HttpResponse<String> during = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        clock.advance(WINDOW);
        HttpResponse<String> after = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(during.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> MarketClient.JSON.readTree(during.body())).isNotNull();
        assertThat(MarketClient.JSON.readTree(after.body()).has("orders")).isTrue();
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome).containsExactly(Outcome.MALFORMED, Outcome.OK);
    }

    @Test
    void a_timeout_answers_later_than_the_client_waits_in_its_window_only() {
        start(market().build());
        sim.market("m").faults().during(T0, T0.plus(WINDOW), new MarketFault.Timeouts(1.0, Duration.ofSeconds(2)));
        MarketClient c = client("m", "k");
        HttpRequest request = c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .timeout(Duration.ofMillis(200)).GET().build();

        assertThatThrownBy(() -> MarketClient.send(request)).hasRootCauseInstanceOf(HttpTimeoutException.class);
        clock.advance(WINDOW);
        assertThat(MarketClient.send(request).status()).isEqualTo(200);
    }

    @Test
    void a_hang_holds_the_call_unanswered_until_the_window_ends_then_answers_503() {
        // GIVEN a hang of 1.5 s from now on the market's clock (the hold is real time)
        start(market().build());
        sim.market("m").faults().during(T0, T0.plusMillis(1500), new MarketFault.Hang());
        MarketClient c = client("m", "k");
        HttpRequest impatient = c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .timeout(Duration.ofMillis(300)).GET().build();
        HttpRequest patient = c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .timeout(Duration.ofSeconds(10)).GET().build();

        // WHEN one client waits 300 ms and another waits long enough
        assertThatThrownBy(() -> MarketClient.send(impatient)).hasRootCauseInstanceOf(HttpTimeoutException.class);
        long start = System.nanoTime();
        int status = MarketClient.send(patient).status();

        // THEN the patient one is answered 503 only when the hang ends (≥ 1.5 s after it arrived)
        assertThat(status).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
        clock.advance(Duration.ofSeconds(2));
        assertThat(c.orders("A001", FROM, TO).status()).isEqualTo(200);
    }

    @Test
    void a_window_whose_end_is_not_after_its_start_is_refused() {
        start(market().build());
        assertThatThrownBy(() -> sim.market("m").faults().during(T0, T0, new MarketFault.Hang()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("to must be after from");
        assertThatThrownBy(() -> new MarketFault.Storm429(0, Duration.ofSeconds(1)))
                .hasMessageContaining("rate is 0.0, must be in (0, 1]");
    }
}
