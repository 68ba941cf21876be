package io.marketgate.limiter;

import io.marketgate.limiter.internal.Messages;

/** A call was not admitted (thrown by {@link Decision#orThrow()}); carries the denial and its blocking budget. */
public final class BudgetExhaustedException extends LimiterException {
    private final transient Decision decision;

    public BudgetExhaustedException(Decision decision) {
        super(Messages.exhausted(decision), null);
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }

    /** The budget that blocked the call. */
    public String budget() {
        return decision.blockingBudget();
    }
}
