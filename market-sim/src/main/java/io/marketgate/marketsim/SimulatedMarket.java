package io.marketgate.marketsim;

import io.marketgate.marketsim.internal.MarketEngine;
import java.time.Instant;
import java.util.List;

/**
 * One market of a running {@link MarketSim}: its configuration, what arrived, what it shipped, and the
 * compliance verdict. Obtained from {@link MarketSim#market(String)}.
 */
public final class SimulatedMarket {

    private final MarketEngine engine;
    private final MarketSim server;

    SimulatedMarket(MarketEngine engine, MarketSim server) {
        this.engine = engine;
        this.server = server;
    }

    public String name() {
        return engine.config().name();
    }

    public MarketConfig config() {
        return engine.config();
    }

    /** {@code http://127.0.0.1:port/{name}}, without a trailing slash; the server must be started. */
    public String baseUrl() {
        return server.baseUrl(name());
    }

    /** Every arrival so far, in arrival order (a copy). */
    public List<Arrival> arrivals() {
        return engine.arrivals();
    }

    /** The arrivals of one endpoint, in arrival order. */
    public List<Arrival> arrivals(Endpoint endpoint) {
        return engine.arrivals().stream().filter(a -> a.endpoint() == endpoint).toList();
    }

    /** The verdict on every budget for the arrivals so far. */
    public ComplianceReport compliance() {
        return ComplianceChecker.check(engine.config(), engine.arrivals());
    }

    /** Calls that arrived over any budget so far; 0 proves the run stayed within the market's limits. */
    public long callsOverBudget() {
        return compliance().callsOverBudget();
    }

    public long callsOverBudget(String budgetName) {
        engine.config().budget(budgetName);
        return compliance().callsOverBudget(budgetName);
    }

    /** What the market holds for {@code sellerId} with {@code from ≤ updatedAt < to}: the answer a lossless collector must find. */
    public List<Order> orders(String sellerId, Instant from, Instant to) {
        return engine.orders().between(sellerId, from, to);
    }

    /** Shipments created, in creation order; a repeated shipment does not add one. */
    public List<Shipment> shipments() {
        return engine.shipments();
    }

    /** Schedules faults for the next requests. */
    public FaultSchedule faults() {
        return engine.faults();
    }

    /** Forgets arrivals, budget and penalty state, shipments and scheduled faults. */
    public void reset() {
        engine.reset();
    }
}
