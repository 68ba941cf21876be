package io.marketgate.marketsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A market's answer: status, extra headers and a JSON body (null for an answer without one: a redirect). */
public record SimResponse(int status, Map<String, String> headers, JsonNode body) {

    static SimResponse of(int status, JsonNode body) {
        return new SimResponse(status, new LinkedHashMap<>(), body);
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
