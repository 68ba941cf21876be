package io.marketgate.marketsim;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/** Starts a sim per test on a manual clock and closes it after. */
abstract class SimFixture {

    static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    static final Instant DAY_START = Instant.parse("2026-11-20T00:00:00Z");

    final SimClock.Manual clock = SimClock.manual(T0);
    MarketSim sim;

    MarketSim start(MarketConfig... markets) {
        MarketSim.Builder b = MarketSim.builder().clock(clock);
        for (MarketConfig m : markets) {
            b.market(m);
        }
        sim = b.start();
        return sim;
    }

    MarketClient client(String market, String apiKey) {
        return new MarketClient(sim.baseUrl(market), apiKey);
    }

    @AfterEach
    void closeSim() {
        if (sim != null) {
            sim.close();
        }
    }
}
