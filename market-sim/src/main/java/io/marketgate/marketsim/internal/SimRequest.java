package io.marketgate.marketsim.internal;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the front passes it to a market.
 *
 * @param segments the decoded path segments after the market's name, e.g. {@code [v1, sellers, A001, orders]}
 */
public record SimRequest(String method, String path, List<String> segments, Map<String, String> query, String apiKey,
        String forwardedFor, String remoteAddress, byte[] body) {}
