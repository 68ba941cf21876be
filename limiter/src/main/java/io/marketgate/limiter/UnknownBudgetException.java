package io.marketgate.limiter;

import io.marketgate.limiter.internal.Messages;
import java.util.Collection;

/** A call or a control command named a budget the limiter was not configured with. */
public final class UnknownBudgetException extends LimiterException {
    private final String budget;

    public UnknownBudgetException(String budget, Collection<String> known) {
        super(Messages.unknownBudget(budget, known), null);
        this.budget = budget;
    }

    public String budget() {
        return budget;
    }
}
