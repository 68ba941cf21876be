package io.marketgate.config;

import io.marketgate.limiter.Call;
import io.marketgate.limiter.Priority;
import java.util.List;
import java.util.Objects;

/**
 * A named kind of market call ({@code list-orders}, {@code ship-order}, …) and the budgets each such call
 * draws from, all at once.
 *
 * <pre>{@code
 * Call call = environment.market("coupang").call("ship-order").toCall(Priority.HIGH);
 * }</pre>
 *
 * @param market the market the call belongs to
 * @param name the call's name inside its market
 * @param budgets qualified budget names ({@code market/budget}), all of {@code market}
 */
public record CallConfig(String market, String name, List<String> budgets) {

    public CallConfig {
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(name, "name");
        budgets = List.copyOf(budgets);
    }

    /** A limiter call of cost 1 on this call's budgets. */
    public Call toCall(Priority priority) {
        return new Call(budgets, priority, 1);
    }

    /** A limiter call of {@code cost} (≥ 1) on this call's budgets. */
    public Call toCall(Priority priority, int cost) {
        return new Call(budgets, priority, cost);
    }
}
