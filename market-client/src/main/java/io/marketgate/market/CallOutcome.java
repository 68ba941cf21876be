package io.marketgate.market;

import io.marketgate.limiter.Decision;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What became of one {@link MarketClient#execute market call}. Either the limiter deferred it and the market was not
 * called ({@link Deferred}), or the market answered and the adapter classified the answer ({@link MarketAnswer}).
 *
 * <pre>{@code
 * switch (client.execute(call, Priority.MEDIUM, Duration.ofSeconds(2))) {
 *     case CallOutcome.Ok ok -> store(ok.data());
 *     case CallOutcome.Deferred d -> handBack(message, d.retryAfter());   // SQS visibility timeout
 *     case CallOutcome.Throttled t -> handBack(message, t.retryAfter().orElse(DEFAULT));
 *     case CallOutcome.Retryable r -> handBack(message, backoff);
 *     case CallOutcome.Fatal f -> recordFailed(message, f.reason());
 * }
 * }</pre>
 */
public sealed interface CallOutcome permits CallOutcome.Deferred, CallOutcome.MarketAnswer {

    /** A short lower-case label for metrics: ok, deferred, throttled, retryable, fatal. */
    String kind();

    /** The market's answer (or the failure to get one), as an adapter classifies it. */
    sealed interface MarketAnswer extends CallOutcome permits Ok, Throttled, Retryable, Fatal {}

    /**
     * The limiter would not admit the call within the caller's maximum wait; the market was not called and nothing
     * was drawn. Hand the work back for {@code retryAfter}.
     */
    record Deferred(Duration retryAfter, String blockingBudget, Decision.Reason reason) implements CallOutcome {
        @Override
        public String kind() {
            return "deferred";
        }
    }

    /** The call succeeded. */
    record Ok(MarketData data) implements MarketAnswer {
        @Override
        public String kind() {
            return "ok";
        }
    }

    /**
     * The market throttled the call (HTTP 429, or its own throttle code in an HTTP 200 body). The client has
     * already reported it to the limiter for each of {@code budgets}, so the whole fleet cools down.
     *
     * @param retryAfter the market's Retry-After; empty when it gave none (the budget's default cool-down applies)
     * @param budgets the budgets that cool down: the call's budgets the market's throttle applies to
     * @param reason what the market said, for logs
     */
    record Throttled(Optional<Duration> retryAfter, List<String> budgets, String reason) implements MarketAnswer {
        public Throttled {
            budgets = List.copyOf(budgets);
        }

        @Override
        public String kind() {
            return "throttled";
        }
    }

    /** A failure that may pass: HTTP 5xx or 408, a timeout, a refused or broken connection. */
    record Retryable(String reason) implements MarketAnswer {
        @Override
        public String kind() {
            return "retryable";
        }
    }

    /**
     * A failure that repeating will not fix: bad credentials (401), an address not on the allow-list or a key
     * without access (403), another 4xx, a market error code, a body that is not the protocol's.
     *
     * @param reason what the market said (secrets masked), for logs and the request's status
     * @param cause what kind of final failure it is, for what the platform does about it beyond failing the request
     */
    record Fatal(String reason, Cause cause) implements MarketAnswer {
        public Fatal {
            java.util.Objects.requireNonNull(reason, "reason");
            java.util.Objects.requireNonNull(cause, "cause");
        }

        /** A final failure of no particular kind ({@link Cause#OTHER}). */
        public Fatal(String reason) {
            this(reason, Cause.OTHER);
        }

        @Override
        public String kind() {
            return "fatal";
        }
    }

    /** What kind of final failure a {@link Fatal} is. */
    enum Cause {
        /** Nothing the platform acts on beyond failing the request. */
        OTHER,
        /**
         * The market rejected the seller's credentials (a bad signature, an unknown or revoked key, a wrong bcrypt
         * sign): the seller is marked {@code credentials-rejected} and its requests fail for good until it registers
         * new ones.
         */
        CREDENTIALS_REJECTED,
        /** The market refused the caller's IP address: the egress group is paused and an alarm is raised. */
        IP_NOT_ALLOWED,
        /**
         * The market refused an access token that it issued (expired early or revoked): the client fetches a new
         * token once and repeats the call; a second refusal stays final.
         */
        TOKEN_REJECTED,
        /**
         * The seller's connection to the market is gone: it never connected, or the market refused its refresh token
         * ({@code invalid_grant}: expired, revoked, or used already). Only the seller can fix it, by connecting again
         * through the market's consent page: the seller is marked {@code reconnect-required} and its requests fail for
         * good with that reason, without being retried.
         */
        RECONNECT_REQUIRED,
        /**
         * The market refused an action for good for a reason of the record it acts on: the inquiry is answered already,
         * the review deleted, the claim withdrawn, the order cancelled. The action ends {@code FAILED} with the market's
         * reason (an outcome, with its event), never retried and never a dead letter.
         */
        ACTION_REFUSED
    }
}
