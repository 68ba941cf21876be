package io.marketgate.marketsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsAndAllowListTest extends SimFixture {

    private static final Instant FROM = DAY_START;
    private static final Instant TO = DAY_START.plus(Duration.ofHours(1));

    private static MarketConfig.Builder market() {
        return MarketConfig.named("m").apiKeys("k").sellers("A001")
                .budget(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 100, Duration.ofSeconds(1)));
    }

    @Test
    void scheduled_server_errors_answer_the_next_requests_then_service_resumes() {
        // GIVEN a market told to fail the next two requests with 503
        start(market().build());
        sim.market("m").faults().failNext(2, 503);
        MarketClient c = client("m", "k");

        // WHEN three requests arrive
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(c.orders("A001", FROM, TO).status());
        }

        // THEN two 503s then a normal answer, recorded as server errors that still used the budget
        assertThat(statuses).containsExactly(503, 503, 200);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::outcome)
                .containsExactly(Outcome.SERVER_ERROR, Outcome.SERVER_ERROR, Outcome.OK);
        assertThat(sim.market("m").compliance().budget("vendor").callsCounted()).isEqualTo(3);
    }

    @Test
    void a_configured_fraction_of_server_errors_is_drawn_from_the_seed() {
        // GIVEN two markets failing 30% of requests with 500 from the same seed
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (MarketSim s = MarketSim.builder().market(market().faults(Faults.serverErrors(0.3, 500, 42)).build()).start()) {
                MarketClient c = new MarketClient(s.baseUrl("m"), "k");

                // WHEN 40 requests arrive one after another
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    statuses.add(c.orders("A001", FROM, TO).status());
                }
                runs.add(statuses);
            }
        }

        // THEN both runs fail the same requests, some but not all of them
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(500, 200).containsOnly(500, 200);
    }

    @Test
    void a_slow_answer_makes_a_client_with_a_shorter_timeout_time_out() {
        // GIVEN a market that delays its next answer by 3 s
        start(market().build());
        sim.market("m").faults().delayNext(1, Duration.ofSeconds(3));
        MarketClient c = client("m", "k");

        // WHEN a client with a 200 ms timeout calls
        HttpRequest request = c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .timeout(Duration.ofMillis(200)).GET().build();

        // THEN it times out, and the arrival is on record once the market answers (closing does not wait 3 s)
        assertThatThrownBy(() -> MarketClient.send(request)).hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(c.orders("A001", FROM, TO).status()).isEqualTo(200);
    }

    @Test
    void unlisted_source_address_gets_403_naming_the_address() {
        // GIVEN a market that allows only 10.0.0.1
        start(market().ipAllowList("10.0.0.1").build());

        // WHEN a loopback client calls
        MarketClient.Reply r = client("m", "k").orders("A001", FROM, TO);

        // THEN 403 names the address, and the arrival is recorded as forbidden
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.body().get("code").asText()).isEqualTo("IP_NOT_ALLOWED");
        assertThat(r.body().get("message").asText()).contains("127.0.0.1");
        assertThat(sim.market("m").arrivals()).singleElement().extracting(Arrival::outcome).isEqualTo(Outcome.FORBIDDEN);
    }

    @Test
    void forwarded_source_address_is_judged_when_the_market_trusts_it() {
        // GIVEN a market behind a simulated egress that trusts X-Forwarded-For
        start(market().ipAllowList("203.0.113.7").trustForwardedFor(true).build());
        MarketClient c = client("m", "k");

        // WHEN calls come from the allowed egress IP and from another one
        MarketClient.Reply allowed = MarketClient.send(c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .header("X-Forwarded-For", "203.0.113.7").GET().build());
        MarketClient.Reply denied = MarketClient.send(c.request("/v1/sellers/A001/orders?from=" + FROM + "&to=" + TO)
                .header("X-Forwarded-For", "198.51.100.1").GET().build());

        // THEN only the allowed one is served, and the arrivals name the forwarded address
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(sim.market("m").arrivals()).extracting(Arrival::sourceAddress).containsExactly("203.0.113.7", "198.51.100.1");
    }
}
