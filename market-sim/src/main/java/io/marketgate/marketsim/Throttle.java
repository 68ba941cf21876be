package io.marketgate.marketsim;

import java.util.Objects;

/**
 * How the market says "over the limit".
 *
 * <ul>
 *   <li>{@link #http429()}: HTTP 429 with {@code Retry-After} (whole seconds, rounded up, at least 1) and the
 *       exact wait in {@code Retry-After-Ms}; body {@code {"code":"RATE_LIMIT",...}}. Coupang, Naver, Cafe24.</li>
 *   <li>{@link #http200(String, String)}: HTTP 200 whose body is only {@code {"code":…,"message":…}}, no
 *       {@code Retry-After}; 11st answers {@code {"code":"004","message":"rate limit"}}.</li>
 * </ul>
 *
 * @param code the body's {@code code} for a rate-limit denial (a penalty block always says {@code PENALTY_BLOCK}
 *             for 429 markets and the same code for 200 markets)
 */
public record Throttle(Style style, String code, String message) {

    /** The transport of a throttle signal. */
    public enum Style { HTTP_429, HTTP_200_ERROR_CODE }

    public Throttle {
        Objects.requireNonNull(style, "style");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Throttle http429() {
        return new Throttle(Style.HTTP_429, "RATE_LIMIT", "rate limit exceeded");
    }

    public static Throttle http200(String code, String message) {
        return new Throttle(Style.HTTP_200_ERROR_CODE, code, message);
    }
}
