package io.marketgate.limiter;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of a budget: its market, the budget within the market, and for one seller's, mall's or vendor's instance
 * of a per-seller budget the instance key. Printed {@code market/budget} or {@code market/budget:instance}; this is
 * the one place where such a name is parsed and printed.
 *
 * <pre>{@code
 * BudgetName v1 = BudgetName.parse("coupang/vendor:V1");
 * v1.market();                       // "coupang"
 * v1.budget();                       // "vendor"
 * v1.instance();                     // Optional[V1]
 * v1.configured();                   // coupang/vendor
 * v1.configured().withInstance("V2") // coupang/vendor:V2
 * }</pre>
 *
 * @param market   the market: every budget of a market shares one store hash tag
 * @param budget   the budget within the market, as configured
 * @param instance the instance key of a per-seller, per-mall or per-vendor budget, if this names one
 */
public record BudgetName(String market, String budget, Optional<String> instance) {

    /** A market or budget name part: lower-case letters, digits, '-', '_' and '.', starting with a letter or digit. */
    public static final Pattern NAME_PART = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** An instance key of a per-seller, per-mall or per-vendor budget: letters, digits, '_', '.', '@', '-'. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    /**
     * @throws IllegalArgumentException naming the rule, when the market or budget is not a {@link #NAME_PART} or the
     *                                  instance is not a {@link #KEY}
     */
    public BudgetName {
        Objects.requireNonNull(instance, "instance");
        if (market == null || budget == null || !NAME_PART.matcher(market).matches() || !NAME_PART.matcher(budget).matches()) {
            throw badName(market + "/" + budget + instance.map(i -> ":" + i).orElse(""));
        }
        if (instance.isPresent() && !KEY.matcher(instance.get()).matches()) {
            throw badKey(market + "/" + budget + ":" + instance.get());
        }
    }

    /** The configured budget {@code market/budget}. */
    public static BudgetName of(String market, String budget) {
        return new BudgetName(market, budget, Optional.empty());
    }

    /**
     * Parses {@code market/budget} or {@code market/budget:instance}.
     *
     * @throws IllegalArgumentException naming the rule the text breaks
     */
    public static BudgetName parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("budget name is missing");
        }
        int slash = text.indexOf('/');
        int colon = text.indexOf(':');
        if (slash < 0 || (colon >= 0 && colon < slash)) {
            throw badName(text);
        }
        String market = text.substring(0, slash);
        String budget = colon < 0 ? text.substring(slash + 1) : text.substring(slash + 1, colon);
        if (!NAME_PART.matcher(market).matches() || !NAME_PART.matcher(budget).matches()) {
            throw badName(text);
        }
        if (colon < 0) {
            return new BudgetName(market, budget, Optional.empty());
        }
        String key = text.substring(colon + 1);
        if (!KEY.matcher(key).matches()) {
            throw badKey(text);
        }
        return new BudgetName(market, budget, Optional.of(key));
    }

    /** The configured budget's name, without an instance key: {@code cafe24/mall} for {@code cafe24/mall:shop42}. */
    public BudgetName configured() {
        return instance.isEmpty() ? this : new BudgetName(market, budget, Optional.empty());
    }

    /**
     * The instance {@code key} of this name's configured budget ({@code cafe24/mall:shop42} for {@code cafe24/mall}
     * and {@code shop42}); of an instance's name, the other instance of the same configured budget.
     *
     * @throws IllegalArgumentException when the key is not a {@link #KEY}
     */
    public BudgetName withInstance(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw badKey(market + "/" + budget + ":" + key);
        }
        return new BudgetName(market, budget, Optional.of(key));
    }

    /** Whether this names one seller's, mall's or vendor's instance of a per-seller budget. */
    public boolean isInstance() {
        return instance.isPresent();
    }

    /** {@code market/budget}, or {@code market/budget:instance} for an instance. */
    @Override
    public String toString() {
        String configured = market + "/" + budget;
        return instance.isEmpty() ? configured : configured + ":" + instance.get();
    }

    private static IllegalArgumentException badName(String text) {
        return new IllegalArgumentException("budget name '" + text
                + "' must be market/name, each part lower-case letters, digits, '-', '_' or '.' (for example coupang/vendor),"
                + " optionally followed by :key for one seller's or mall's instance");
    }

    private static IllegalArgumentException badKey(String text) {
        return new IllegalArgumentException("budget name '" + text
                + "': the key after ':' must be 1 to 128 letters, digits, '_', '.', '@' or '-'");
    }
}
