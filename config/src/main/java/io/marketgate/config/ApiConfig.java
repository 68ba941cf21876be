package io.marketgate.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The limits of the environment's HTTP API ({@code api:} in {@code environments/<env>.yaml}); every key is optional
 * and {@link #DEFAULTS} holds what an absent key gets.
 *
 * <pre>{@code
 * ApiConfig api = environment.api();
 * api.maxRange("coupang");             // the market's own maximum, else maxRangePerRequest.default
 * api.exports().heartbeatTimeout();    // a running export whose heartbeat is older is reported failed
 * }</pre>
 *
 * @param maxSellersPerRequest the most sellers one {@code POST /v1/collections} may name (default 100)
 * @param defaultMaxRange the longest time range of one collection request (default 31 days)
 * @param maxRangeByMarket markets whose maximum differs from {@code defaultMaxRange}
 * @param maxBodyBytes the largest request body accepted (default 64 KiB; API Gateway itself stops at 10 MB)
 * @param exports the limits of background export jobs
 */
public record ApiConfig(int maxSellersPerRequest, Duration defaultMaxRange, Map<String, Duration> maxRangeByMarket,
        int maxBodyBytes, ExportLimits exports) {

    /**
     * The limits of background export jobs.
     *
     * @param heartbeatTimeout a running job whose last heartbeat is older is reported failed (default 2 min)
     * @param ttl how long a job's record and result are kept (default 1 day)
     * @param resultUrlExpiry how long a result's presigned URL stays valid (default 15 min, at most 7 days)
     */
    public record ExportLimits(Duration heartbeatTimeout, Duration ttl, Duration resultUrlExpiry) {

        /** Defaults of every export limit. */
        public static final ExportLimits DEFAULTS = new ExportLimits(Duration.ofMinutes(2), Duration.ofDays(1), Duration.ofMinutes(15));

        public ExportLimits {
            Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(resultUrlExpiry, "resultUrlExpiry");
        }
    }

    /** A presigned (SigV4) URL is valid for at most 7 days. */
    public static final Duration MAX_RESULT_URL_EXPIRY = Duration.ofDays(7);
    /** The most {@code maxBodyBytes} may be: API Gateway REST APIs accept payloads up to 10 MB. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** The most {@code maxSellersPerRequest} may be. */
    public static final int MAX_SELLERS_PER_REQUEST = 10_000;

    /** What an environment without an {@code api} section (or with some keys absent) gets. */
    public static final ApiConfig DEFAULTS = new ApiConfig(100, Duration.ofDays(31), Map.of(), 64 * 1024, ExportLimits.DEFAULTS);

    public ApiConfig {
        Objects.requireNonNull(defaultMaxRange, "defaultMaxRange");
        Objects.requireNonNull(exports, "exports");
        maxRangeByMarket = Collections.unmodifiableMap(new LinkedHashMap<>(maxRangeByMarket));
    }

    /** The longest range of one collection request for {@code market}. */
    public Duration maxRange(String market) {
        return maxRangeByMarket.getOrDefault(market, defaultMaxRange);
    }
}
