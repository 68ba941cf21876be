package io.marketgate.cli.ops;

import io.marketgate.cli.UsageException;
import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.MarketConfig;
import io.marketgate.limiter.LimiterControl;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Checks of operator input, each naming the option and the rule. Commands call them all before they touch a
 * store or a queue, so that a rejected command has changed nothing.
 */
final class Inputs {
    /** The largest limit an operator may set: the limiter's own bound on a budget's limit. */
    static final long MAX_LIMIT = 1_000_000_000L;

    private Inputs() {}

    static MarketConfig market(EnvironmentConfig env, String market) {
        if (market == null || market.isBlank()) {
            throw new UsageException("--market is missing; configured markets of " + env.name() + ": "
                    + String.join(", ", env.markets().keySet()));
        }
        try {
            return env.market(market);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--market: " + e.getMessage(), e);
        }
    }

    static Priority priority(String text) {
        String allowed = Arrays.stream(Priority.values()).map(Enum::name).collect(Collectors.joining(", "));
        if (text == null || text.isBlank()) {
            throw new UsageException("--priority is missing; must be one of " + allowed);
        }
        try {
            return Priority.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--priority is '" + text + "', must be one of " + allowed, e);
        }
    }

    /** How long a pause or override lasts: more than zero and at most {@link LimiterControl#MAX_TTL}. */
    static Duration ttl(String text) {
        if (text != null && text.trim().startsWith("-")) {
            // Durations reads "-15m" as a malformed ISO-8601 form; an operator meant a negative duration
            throw new UsageException("--for is " + text.trim() + ", a negative duration; it must be more than 0 and at most "
                    + Durations.format(LimiterControl.MAX_TTL));
        }
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--for: " + e.getMessage(), e);
        }
        if (d.isZero() || d.compareTo(LimiterControl.MAX_TTL) > 0) {
            throw new UsageException("--for is " + text + ", must be more than 0 and at most "
                    + Durations.format(LimiterControl.MAX_TTL) + " (every change expires)");
        }
        return d;
    }

    static long limit(long limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new UsageException("--limit is " + limit + ", must be in 1.." + MAX_LIMIT);
        }
        return limit;
    }

    static int max(Integer max) {
        if (max != null && max < 1) {
            throw new UsageException("--max is " + max + ", must be ≥ 1");
        }
        return max == null ? Integer.MAX_VALUE : max;
    }
}
