package io.marketgate.marketsim.internal;

import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.Outcome;

/**
 * One market protocol behind the shared gateway machinery of {@link MarketEngine}: which endpoint a request is,
 * who sends it, how the market's refusals look, and the endpoints' answers. The engine keeps the order of checks,
 * the budgets, penalty blocks, faults, the IP allow-list and the arrival record; a protocol only decides and renders.
 */
interface MarketProtocol {

    /**
     * The id by which the market's clients name {@code record} (what its lists answer and its actions take); by default
     * the record book's id.
     */
    default String clientRecordId(RecordBook.SimRecord record) {
        return record.id();
    }

    /** Routes and authenticates, under the market's lock, so time-dependent checks see the arrival instant. */
    Call identify(SimRequest req, Stamp stamp);

    /** Whether the IP allow-list applies to this call (Naver's token endpoint: by configuration). */
    default boolean checksIpAllowList(Call call) {
        return true;
    }

    SimResponse ipNotAllowed(Call call, String source, Stamp stamp);

    /** A limit of the protocol's own, judged after the IP allow-list, or null; it must not change state. */
    default Refusal quota(Call call, Stamp stamp) {
        return null;
    }

    /** Every budget admitted the call: charge the protocol's own limits. Under the market's lock. */
    default void admitted(Call call, Stamp stamp) {}

    /** The answer to a call refused by a budget or by a penalty block. */
    SimResponse throttled(Call call, Throttling throttling, Stamp stamp);

    /** The answer of an injected fault. */
    SimResponse serverError(Call call, int status, Stamp stamp);

    /** The endpoint's answer to an admitted call, outside the market's lock. */
    Served serve(SimRequest req, Call call, Stamp stamp);

    /** Adds the headers of every answer; {@code level} is the first leaky bucket the call reached, or null. */
    default void decorate(SimResponse response, Call call, BudgetLevel level, Stamp stamp) {}

    /** Forgets tokens, marks and quotas. */
    default void reset() {}

    /** When and in which order the engine saw a request: the arrival instant and the server-wide sequence. */
    record Stamp(long nanos, long sequence) {
        long millis() {
            return Math.floorDiv(nanos, 1_000_000L);
        }
    }

    /**
     * Who calls what, as the protocol's gateway determined it.
     *
     * @param apiKey        the principal the budgets count (reference API key, Coupang access key, Naver client id),
     *                      as sent; null when none
     * @param authenticated whether the principal is one of the market's; only such calls count against budgets
     * @param rejection     the gateway's refusal (404, 401, …), or null when the call goes on to the budgets
     * @param context       what the protocol needs again when it serves the call
     */
    record Call(Endpoint endpoint, String apiKey, boolean authenticated, String sellerId, String orderId,
            SimResponse rejection, Outcome rejectionOutcome, Object context) {

        static Call admitted(Endpoint endpoint, String apiKey, String sellerId, String orderId, Object context) {
            return new Call(endpoint, apiKey, true, sellerId, orderId, null, null, context);
        }

        static Call rejected(Endpoint endpoint, String apiKey, boolean authenticated, String sellerId, SimResponse response,
                Outcome outcome) {
            return new Call(endpoint, apiKey, authenticated, sellerId, null, response, outcome, null);
        }
    }

    /** Why a call is refused: the blocking budget's name (or {@code penalty}) and how long until it would fit. */
    record Throttling(String budget, long waitNanos, boolean penalty) {}

    /** A refusal by a protocol's own limit. */
    record Refusal(SimResponse response, Outcome outcome, String blockingBudget) {}

    /** The calls in a leaky bucket after the decision. */
    record BudgetLevel(MarketBudget budget, long calls) {}

    /** An endpoint's answer and how the arrival is recorded. */
    record Served(SimResponse response, Outcome outcome) {}
}
