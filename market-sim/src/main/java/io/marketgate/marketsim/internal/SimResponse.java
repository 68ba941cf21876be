package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A market's answer: status, extra headers and a body: JSON ({@code body}), or bytes as the market encodes them
 * ({@code bytes}: 11st's EUC-KR XML, an HTML page), which then win; both null for an answer without a body (a
 * redirect).
 */
public record SimResponse(int status, Map<String, String> headers, JsonNode body, byte[] bytes) {

    public SimResponse(int status, Map<String, String> headers, JsonNode body) {
        this(status, headers, body, null);
    }

    static SimResponse of(int status, JsonNode body) {
        return new SimResponse(status, new LinkedHashMap<>(), body);
    }

    /** An answer of {@code bytes} already encoded, with its {@code Content-Type}. */
    static SimResponse bytes(int status, String contentType, byte[] bytes) {
        SimResponse r = new SimResponse(status, new LinkedHashMap<>(), null, bytes);
        r.headers().put("Content-Type", contentType);
        return r;
    }

    SimResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The {@code Content-Type}: a protocol may set its own spelling with a {@code Content-Type} header. */
    String contentType() {
        return headers.getOrDefault("Content-Type", "application/json; charset=utf-8");
    }
}
