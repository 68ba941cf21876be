package io.marketgate.limiter;

import java.time.Duration;

/**
 * Observes a limiter's decisions, for metrics and logs (the Lambda handlers publish grants, denials and waits
 * per market and priority). Methods run on the caller's thread and must be quick; an exception thrown here is
 * logged and otherwise ignored.
 */
public interface LimiterListener {

    /** A call was admitted. */
    default void onGranted(Call call, Decision decision) {}

    /**
     * A granted call counted in {@code budget} (the instance's name, such as {@code coupang/vendor:A001}) against its
     * limit for the budget's window plus {@code jitterGuard} (against the ceilings for the window): reported after {@link #onGranted} for each of the call's budgets whose
     * guard is not zero, so a report can say what the guard cost ({@link Budget#countedWindow()}).
     */
    default void onGuarded(Call call, String budget, Duration jitterGuard) {}

    /** A call was denied; {@code decision} says why and for how long. */
    default void onDenied(Call call, Decision decision) {}

    /** A blocking acquire ended after waiting {@code waited}, with {@code outcome} granted or not. */
    default void onWaited(Call call, Duration waited, Decision outcome) {}

    /** The shared store failed; the failure mode decided instead. */
    default void onStoreFailure(Throwable cause) {}

    /** A listener that does nothing. */
    LimiterListener NONE = new LimiterListener() {};
}
