package io.marketgate.marketsim.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request as the front passes it to a market.
 *
 * @param path       the raw path as sent, market prefix included, e.g. {@code /coupang/v2/providers/…}
 * @param marketPath the raw path after the market's prefix, as the real market's gateway sees it, e.g.
 *                   {@code /v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets} (still %-encoded)
 * @param segments   the decoded path segments after the market's name, e.g. {@code [v1, sellers, A001, orders]}
 * @param query      decoded query parameters (the last value of a repeated name)
 * @param rawQuery   the query string exactly as sent, without {@code ?}; null when there is none
 * @param headers    every request header, names in lower case
 */
public record SimRequest(String method, String path, String marketPath, List<String> segments, Map<String, String> query,
        String rawQuery, Map<String, List<String>> headers, String remoteAddress, byte[] body) {

    public SimRequest {
        segments = List.copyOf(segments);
        headers = Map.copyOf(headers);
    }

    /** The first value of a header (case-insensitive name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The reference protocol's {@code X-Api-Key}, or null. */
    public String apiKey() {
        return header("X-Api-Key");
    }

    public String forwardedFor() {
        return header("X-Forwarded-For");
    }
}
