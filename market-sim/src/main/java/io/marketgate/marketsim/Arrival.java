package io.marketgate.marketsim;

import java.time.Instant;

/**
 * One request as the market saw it. Arrivals are stamped, under the market's lock and in the order the market
 * decided them, by the server's single {@link SimClock}, so the enforcement and {@link ComplianceChecker} see
 * the same instants.
 *
 * @param sequence       arrival order within the whole server, from 1
 * @param epochNanos     arrival time, nanoseconds since the epoch (a monotonic clock anchored once to wall time)
 * @param apiKey         the {@code X-Api-Key} header as sent, or null
 * @param authenticated  whether {@code apiKey} is one of the market's keys; only such arrivals count against budgets
 * @param sellerId       the path's seller, or null
 * @param orderId        the path's order (shipments), or null
 * @param status         the HTTP status answered
 * @param blockingBudget the budget that rejected a {@link Outcome#THROTTLED} call, or {@code penalty}; else null
 */
public record Arrival(
        long sequence,
        long epochNanos,
        String market,
        Endpoint endpoint,
        String method,
        String path,
        String apiKey,
        boolean authenticated,
        String sellerId,
        String orderId,
        String sourceAddress,
        Outcome outcome,
        int status,
        String blockingBudget) {

    public Instant instant() {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
