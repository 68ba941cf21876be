package io.marketgate.limiter;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one {@link PriorityLimiter#tryAcquire(Call)}: granted or not, and enough to act on it without
 * guessing (map it to a 429 with Retry-After, hand an SQS message back with a delay, log the blocking budget).
 *
 * @param granted        whether the call was admitted (on every budget it names)
 * @param reason         why: {@link Reason#GRANTED} or the cause of the denial
 * @param retryAfter     for a denial, how long until this priority can be admitted at the earliest, computed
 *                       from the store's own entries and clock; {@link Duration#ZERO} for a grant
 * @param blockingBudget for a denial, the budget that blocks longest; {@code null} for a grant
 * @param remaining      per priority, how many more cost units that priority could still take now (the least
 *                       over the call's budgets, never negative)
 * @param storeTimeMicros the store's clock at the decision, in microseconds since the epoch: for a grant, the
 *                       timestamp the grant holds in the store's window
 * @param decidedBy      whether the shared store or the local fallback decided
 */
public record Decision(
        boolean granted,
        Reason reason,
        Duration retryAfter,
        String blockingBudget,
        Map<Priority, Long> remaining,
        long storeTimeMicros,
        DecidedBy decidedBy) {

    /** Why a call was or was not admitted. */
    public enum Reason {
        /** Admitted. */
        GRANTED,
        /** The priority's ceiling of the budget's window is full. */
        CEILING_REACHED,
        /** An operator paused this priority on the budget. */
        PAUSED,
        /** The market throttled the budget and its cool-down has not ended. */
        COOLING_DOWN,
        /** The store could not be reached and the failure mode is fail-closed. */
        STORE_UNAVAILABLE
    }

    /** Who took the decision. */
    public enum DecidedBy {
        /** The store shared by the fleet (Valkey/Redis, or the in-memory store of an embedded run). */
        STORE,
        /**
         * The store, moments ago: a {@link Reason#CEILING_REACHED} denial that the store gave this instance for the same
         * budgets and priority and no larger cost, repeated without a round trip until its retry-after has passed, for
         * at most the store's denial memory ({@code ValkeyStoreOptions.denialMemory}). Only denials are remembered.
         */
        REMEMBERED,
        /** The instance-local fallback at {@code limit / fleet size}, while the shared store is unreachable. */
        LOCAL_FALLBACK,
        /** No store at all: the store was unreachable and the failure mode is fail-closed. */
        NONE
    }

    public Decision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(decidedBy, "decidedBy");
        if (granted != (reason == Reason.GRANTED)) {
            throw new IllegalArgumentException("granted is " + granted + " but reason is " + reason);
        }
        EnumMap<Priority, Long> copy = new EnumMap<>(Priority.class);
        if (remaining != null) {
            copy.putAll(remaining);
        }
        remaining = Collections.unmodifiableMap(copy);
    }

    /** A grant at the store time {@code storeTimeMicros}. */
    public static Decision granted(Map<Priority, Long> remaining, long storeTimeMicros, DecidedBy decidedBy) {
        return new Decision(true, Reason.GRANTED, Duration.ZERO, null, remaining, storeTimeMicros, decidedBy);
    }

    /** A denial by {@code blockingBudget} for {@code reason}, admissible again after {@code retryAfter}. */
    public static Decision denied(Reason reason, Duration retryAfter, String blockingBudget, Map<Priority, Long> remaining,
            long storeTimeMicros, DecidedBy decidedBy) {
        return new Decision(false, reason, retryAfter, blockingBudget, remaining, storeTimeMicros, decidedBy);
    }

    /** The store's clock at the decision. */
    public Instant storeTime() {
        return Instant.ofEpochSecond(storeTimeMicros / 1_000_000L, (storeTimeMicros % 1_000_000L) * 1_000L);
    }

    /** The blocking budget of a denial. */
    public Optional<String> blocking() {
        return Optional.ofNullable(blockingBudget);
    }

    /** Room left for {@code priority}, in cost units. */
    public long remaining(Priority priority) {
        return remaining.getOrDefault(priority, 0L);
    }

    /** Returns this decision if granted, otherwise throws {@link BudgetExhaustedException} carrying it. */
    public Decision orThrow() {
        if (!granted) {
            throw new BudgetExhaustedException(this);
        }
        return this;
    }
}
