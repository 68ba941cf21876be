package io.marketgate.market.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.limiter.Priority;
import io.marketgate.market.CollectionRequest;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketClient.CollectionResult;
import io.marketgate.market.MarketData;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.Arrival;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.SimClock;
import io.marketgate.marketsim.SimulatedMarket;
import io.marketgate.marketsim.internal.RecordBook;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference REST adapter against market-sim's reference protocol, through a real {@link io.marketgate.market.MarketClient}
 * and an in-memory limiter: every kind collected across windows and pages, every action done, done again and refused.
 * The market's clock stands still at {@link #NOW}, after the collected days.
 */
class ReferenceRestAdapterSimulatorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    /** Three days, three windows of 24 h. */
    private static final Instant FROM = Instant.parse("2026-11-19T00:00:00Z");
    private static final Instant TO = NOW;
    private static final Duration MAX_WAIT = Duration.ofSeconds(3);
    private static final Seller SELLER = Seller.of("s-1");

    @TempDir
    Path dir;

    private MarketSim sim;
    private SimulatedMarket market;
    private Fixture fx;

    @BeforeEach
    void start() throws Exception {
        sim = MarketSim.builder().clock(SimClock.manual(NOW))
                .market(MarketConfig.named("shop").apiKeys(TestMarket.API_KEY).sellers("s-1", "s-2")
                        .maxRange(Duration.ofHours(24)).maxPageSize(50).defaultPageSize(50).build())
                .start();
        market = sim.market("shop");
        fx = Fixture.of(dir, sim.baseUrl("shop"), 1);
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.limiter.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataKind.class, names = "ORDERS", mode = EnumSource.Mode.EXCLUDE)
    void collecting_a_kind_over_three_days_gets_every_record_of_the_seller_once_across_windows_and_pages(DataKind kind)
            throws Exception {
        // GIVEN the market's records of s-1 of three days, pages of 1 and windows of 24 h
        RecordBook.Kind bookKind = RecordBook.Kind.valueOf(kind.name());
        List<RecordBook.SimRecord> truth = market.records().between("s-1", bookKind, FROM, TO);
        assertThat(truth).hasSizeGreaterThanOrEqualTo(3);
        List<MarketRecord> collected = new ArrayList<>();

        // WHEN the kind is collected
        CollectionResult result = fx.client.collectPages(new CollectionRequest("shop", SELLER, kind, FROM, TO), Priority.MEDIUM,
                MAX_WAIT, (call, page) -> collected.addAll(((MarketData.RecordPage) page).records()));

        // THEN each record once, with the market's state as its common status, one page per record (one for an empty day)
        assertThat(result).isInstanceOf(CollectionResult.Completed.class);
        assertThat(collected).extracting(MarketRecord::id)
                .containsExactlyElementsOf(truth.stream().map(RecordBook.SimRecord::id).toList());
        assertThat(collected).allSatisfy(r -> assertThat(r.kind()).isEqualTo(kind));
        Map<String, String> states = new java.util.HashMap<>();
        truth.forEach(t -> states.put(t.id(), t.state()));
        assertThat(collected).allSatisfy(r -> assertThat(r.commonStatus().name()).isEqualTo(states.get(r.id())));
        assertThat(collected).allSatisfy(r -> assertThat(r.fields()).isNotEmpty());
        Endpoint endpoint = Endpoint.valueOf("LIST_" + kind.name());
        long perDayPages = 0;
        for (int day = 0; day < 3; day++) {
            Instant start = FROM.plus(Duration.ofDays(day));
            perDayPages += Math.max(1, market.records().between("s-1", bookKind, start, start.plus(Duration.ofDays(1))).size());
        }
        assertThat(market.arrivals()).hasSize((int) perDayPages).extracting(Arrival::endpoint).containsOnly(endpoint);
        assertThat(market.arrivals()).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    }
}
