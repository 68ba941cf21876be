package io.marketgate.config.internal;

import java.util.Collection;

/** Messages of the configuration model's lookups, built in one place. */
public final class Messages {
    private Messages() {}

    public static String unknownMarket(String environment, String market, Collection<String> known) {
        return "unknown market '" + market + "' in environment " + environment + "; configured markets: " + list(known);
    }

    public static String unknownBudget(String market, String budget, Collection<String> known) {
        return "unknown budget '" + budget + "' of market " + market + "; its budgets: " + list(known);
    }

    public static String unknownCall(String market, String call, Collection<String> known) {
        return "unknown call '" + call + "' of market " + market + "; its calls: " + list(known);
    }

    public static String unqualifiedBudget(String budget) {
        return "budget '" + budget + "' must be named market/budget, for example coupang/vendor";
    }

    /** A configured budget was asked for by the name of one of its instances. */
    public static String instanceNotConfigured(String instance, String configured) {
        return "budget '" + instance + "' names one instance of " + configured
                + "; the environment configures " + configured + " (ask for that, its instances share its settings)";
    }

    /** Names separated by commas, or "(none)". */
    public static String list(Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }
}
