package io.marketgate.config.internal;

import static io.marketgate.config.internal.Presence.OPTIONAL;

import io.marketgate.config.ApiConfig;
import io.marketgate.config.ApiConfig.ExportLimits;
import io.marketgate.config.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the optional {@code api} section of an environment file; every absent key takes {@link ApiConfig#DEFAULTS}. */
final class ApiReader {

    static final List<String> API_KEYS = List.of("maxSellersPerRequest", "maxRangePerRequest", "maxBodyBytes", "exports");
    static final List<String> EXPORT_KEYS = List.of("heartbeatTimeout", "ttl", "resultUrlExpiry");
    private static final String DEFAULT_RANGE_KEY = "default";
    private static final Duration MAX_RANGE = Duration.ofDays(366);

    private final Problems problems;

    ApiReader(Problems problems) {
        this.problems = problems;
    }

    /** The section's settings, or empty after reporting its problems; {@code markets} are the file's market names. */
    Optional<ApiConfig> read(Mapping api, Set<String> markets) {
        int before = problems.count();
        ApiConfig d = ApiConfig.DEFAULTS;
        long sellers = api.integer("maxSellersPerRequest", OPTIONAL).orElse((long) d.maxSellersPerRequest());
        if (sellers < 1 || sellers > ApiConfig.MAX_SELLERS_PER_REQUEST) {
            api.problem("maxSellersPerRequest", "must be between 1 and " + ApiConfig.MAX_SELLERS_PER_REQUEST + ", was " + sellers);
        }
        long body = api.integer("maxBodyBytes", OPTIONAL).orElse((long) d.maxBodyBytes());
        if (body < 1 || body > ApiConfig.MAX_BODY_BYTES) {
            api.problem("maxBodyBytes", "must be between 1 and " + ApiConfig.MAX_BODY_BYTES
                    + " (API Gateway's 10 MB payload limit), was " + body);
        }
        Duration defaultRange = d.defaultMaxRange();
        Map<String, Duration> byMarket = new LinkedHashMap<>();
        Optional<Map<String, com.fasterxml.jackson.databind.JsonNode>> ranges =
                api.entries("maxRangePerRequest", OPTIONAL, "durations by market name, or 'default'");
        if (ranges.isPresent()) {
            for (var entry : ranges.get().entrySet()) {
                String path = api.pathOf("maxRangePerRequest") + "." + entry.getKey();
                if (!entry.getKey().equals(DEFAULT_RANGE_KEY) && !markets.contains(entry.getKey())) {
                    problems.add(path, "unknown market '" + entry.getKey() + "'; keys here: " + DEFAULT_RANGE_KEY
                            + " or a market: " + Messages.list(markets));
                    continue;
                }
                Optional<Duration> range = Values.duration(entry.getValue(), path, problems);
                range.filter(r -> r.isZero() || r.compareTo(MAX_RANGE) > 0).ifPresent(r -> problems.add(path,
                        "must be between 1s and " + Durations.format(MAX_RANGE) + ", was " + Durations.format(r)));
                if (range.isPresent()) {
                    if (entry.getKey().equals(DEFAULT_RANGE_KEY)) {
                        defaultRange = range.get();
                    } else {
                        byMarket.put(entry.getKey(), range.get());
                    }
                }
            }
        }
        ExportLimits exports = api.mapping("exports", OPTIONAL, EXPORT_KEYS).map(this::exports).orElse(d.exports());
        if (problems.count() != before) {
            return Optional.empty();
        }
        return Optional.of(new ApiConfig((int) sellers, defaultRange, byMarket, (int) body, exports));
    }

    private ExportLimits exports(Mapping exports) {
        ExportLimits d = ExportLimits.DEFAULTS;
        Duration heartbeat = positive(exports, "heartbeatTimeout", d.heartbeatTimeout(), Duration.ofSeconds(1));
        Duration ttl = positive(exports, "ttl", d.ttl(), Duration.ofMinutes(1));
        Duration urlExpiry = positive(exports, "resultUrlExpiry", d.resultUrlExpiry(), Duration.ofSeconds(1));
        if (urlExpiry.compareTo(ApiConfig.MAX_RESULT_URL_EXPIRY) > 0) {
            exports.problem("resultUrlExpiry", "must be at most 7d (a presigned URL's longest validity), was " + Durations.format(urlExpiry));
        }
        if (heartbeat.compareTo(ttl) >= 0) {
            exports.problem("heartbeatTimeout", "must be shorter than ttl (" + Durations.format(ttl)
                    + "): a stale job is reported failed before its record expires, was " + Durations.format(heartbeat));
        }
        return new ExportLimits(heartbeat, ttl, urlExpiry);
    }

    private static Duration positive(Mapping section, String key, Duration defaultValue, Duration min) {
        Duration value = section.duration(key, OPTIONAL).orElse(defaultValue);
        if (value.compareTo(min) < 0) {
            section.problem(key, "must be at least " + Durations.format(min) + ", was " + Durations.format(value));
        }
        return value;
    }
}
