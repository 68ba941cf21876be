package io.marketgate.market;

import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Priority;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One market call as an adapter planned it: the budgets it draws from (per-seller and per-mall instances already
 * keyed, {@code cafe24/mall:shop42}), its cost, what it is for, and the HTTP request. Only {@link MarketClient}
 * sends it: the request (with its credentials) is not readable outside this package, so the market cannot be
 * called around the limiter with it.
 *
 * <p>{@link #toString()} shows the method, the path and the budgets; never headers, query or body.
 */
public final class PlannedCall {

    /** What a call is for; a collector checkpoints a {@link Collect}'s window and cursor to resume after a redelivery. */
    public sealed interface Purpose permits Collect, FetchOrder, Act, Authenticate {}

    /** A page of a collection request: {@code window}, from {@code cursor} (empty for the window's first page). */
    public record Collect(CollectionRequest request, TimeWindow window, Optional<String> cursor) implements Purpose {
        public Collect {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(cursor, "cursor");
        }
    }

    /** One order of a seller, read again (re-collection); answered as a page of at most one order. */
    public record FetchOrder(Seller seller, String orderId) implements Purpose {
        public FetchOrder {
            Objects.requireNonNull(seller, "seller");
            if (orderId == null || !MarketAction.ID.matcher(orderId).matches()) {
                throw new IllegalArgumentException("orderId '" + orderId + "' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
            }
        }
    }

    /** An action. */
    public record Act(MarketAction action) implements Purpose {
        public Act {
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * A request for an access token ({@code account} names whose token, without secrets: {@code app-id:SELLER:account}),
     * answered with {@link MarketData.Token}. Drawn from the limiter like any call: token calls have budgets too.
     */
    public record Authenticate(String account) implements Purpose {
        public Authenticate {
            if (account == null || account.isBlank()) {
                throw new IllegalArgumentException("account is missing");
            }
        }
    }

    private final String market;
    private final String callName;
    private final List<String> budgets;
    private final int cost;
    private final Purpose purpose;
    private final HttpRequest request;

    private PlannedCall(String market, String callName, List<String> budgets, int cost, Purpose purpose, HttpRequest request) {
        this.market = market;
        this.callName = callName;
        this.budgets = budgets;
        this.cost = cost;
        this.purpose = purpose;
        this.request = request;
    }

    /**
     * A call of cost 1 on {@code budgets} (qualified, all of {@code market}, instance keys filled in).
     *
     * @param callName the configured call the budgets come from ({@code list-orders}), for logs and metrics
     */
    public static PlannedCall of(String market, String callName, List<String> budgets, Purpose purpose, HttpRequest request) {
        if (market == null || !Budget.NAME_PART.matcher(market).matches()) {
            throw new IllegalArgumentException("market '" + market + "' must be a market name such as coupang");
        }
        Objects.requireNonNull(callName, "callName");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(request, "request");
        Call checked = new Call(budgets, Priority.HIGH, 1); // one market, no budget twice, valid names
        if (!checked.market().equals(market)) {
            throw new IllegalArgumentException("budgets " + budgets + " are not budgets of market " + market);
        }
        return new PlannedCall(market, callName, checked.budgets(), 1, purpose, request);
    }

    /** This call with another cost (≥ 1), for calls the market counts as several. */
    public PlannedCall withCost(int cost) {
        if (cost < 1) {
            throw new IllegalArgumentException("cost is " + cost + ", must be ≥ 1");
        }
        return new PlannedCall(market, callName, budgets, cost, purpose, request);
    }

    public String market() {
        return market;
    }

    public String callName() {
        return callName;
    }

    public List<String> budgets() {
        return budgets;
    }

    public int cost() {
        return cost;
    }

    public Purpose purpose() {
        return purpose;
    }

    /** The seller the call is made for; empty for a token call, which is made for an account. */
    public Optional<Seller> seller() {
        return switch (purpose) {
            case Collect c -> Optional.of(c.request().seller());
            case FetchOrder f -> Optional.of(f.seller());
            case Act a -> Optional.of(a.action().seller());
            case Authenticate a -> Optional.empty();
        };
    }

    /**
     * The query exactly as it will be sent (still percent-encoded, without {@code ?}), {@code ""} when there is none:
     * what a signature over the request covers. Never logged ({@link #toString()} leaves it out).
     */
    public String rawQuery() {
        String query = request.uri().getRawQuery();
        return query == null ? "" : query;
    }

    /** The HTTP method. */
    public String method() {
        return request.method();
    }

    /** The request's path, without query: enough to log, never a credential. */
    public String path() {
        return request.uri().getRawPath();
    }

    /** The limiter's call for this market call at {@code priority}. */
    public Call toCall(Priority priority) {
        return new Call(budgets, priority, cost);
    }

    /** The request with its credentials: for {@link MarketClient}, and adapters' tests through {@code PlannedRequests}. */
    HttpRequest request() {
        return request;
    }

    @Override
    public String toString() {
        return "PlannedCall[" + market + " " + callName + ": " + method() + " " + path() + " on " + budgets
                + (cost == 1 ? "" : " cost " + cost) + "]";
    }
}
