package io.marketgate.limiter.internal;

import io.marketgate.limiter.Decision;
import java.util.Collection;
import java.util.TreeSet;

/** Every message of the limiter's exceptions, built in one place. */
public final class Messages {
    private Messages() {}

    public static String exhausted(Decision d) {
        return switch (d.reason()) {
            case CEILING_REACHED -> "budget " + d.blockingBudget() + " is full for this priority; retry after "
                    + d.retryAfter().toMillis() + " ms";
            case PAUSED -> "this priority is paused on budget " + d.blockingBudget() + " for another "
                    + d.retryAfter().toMillis() + " ms";
            case COOLING_DOWN -> "budget " + d.blockingBudget() + " is cooling down after the market throttled it, for another "
                    + d.retryAfter().toMillis() + " ms";
            case STORE_UNAVAILABLE -> "the limiter's store is unreachable and the failure mode is fail-closed (budget "
                    + d.blockingBudget() + "); retry after " + d.retryAfter().toMillis() + " ms";
            case GRANTED -> "granted";
        };
    }

    public static String unknownBudget(String budget, Collection<String> known) {
        return "unknown budget '" + budget + "'; configured budgets: " + String.join(", ", new TreeSet<>(known))
                + " (a per-seller or per-mall instance is named budget:key)";
    }

    public static String costOverCapacity(String budget, Object priority, int cost, long capacity) {
        return "cost " + cost + " exceeds " + priority + "'s capacity of budget " + budget + " (" + capacity
                + " per window): such a call could never be admitted";
    }

    public static String badTtl(String what, Object ttl) {
        return what + " is " + ttl + ", must be positive and at most 7 days";
    }
}
