package io.marketgate.devtools.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The one budget every implementation is given: {@code limit} decisions per {@code window}.
 *
 * @param name        as on the command line
 * @param limit       decisions per window
 * @param window      the rate's interval
 * @param description what the scenario shows
 */
record Scenario(String name, long limit, Duration window, String description) {

    /** A limit far above what one Redis server can decide: nearly every decision is a grant. */
    static final Scenario GRANTS = new Scenario("grants", 10_000_000L, Duration.ofSeconds(1),
            "limit 10,000,000 per 1 s: nearly every decision is a grant");

    /** A binding limit: after the first 100 of each second every decision is a denial. */
    static final Scenario DENIALS = new Scenario("denials", 100L, Duration.ofSeconds(1),
            "limit 100 per 1 s: nearly every decision is a denial");

    static Scenario parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "grants" -> GRANTS;
            case "denials" -> DENIALS;
            default -> throw new IllegalArgumentException("scenario '" + text + "' is not one of grants, denials");
        };
    }

    /** The key or budget suffix that keeps the scenarios' state apart in one Redis server. */
    String keySuffix() {
        return name;
    }
}
