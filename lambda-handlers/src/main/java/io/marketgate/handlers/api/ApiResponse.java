package io.marketgate.handlers.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP answer of the API: status, headers and a JSON body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** A JSON answer. */
    public static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }

    /** The problem's document with its status. */
    public static ApiResponse problem(Problem problem) {
        return new ApiResponse(problem.status(), Map.of("Content-Type", Problem.MEDIA_TYPE), problem.toJson());
    }

    /** This answer with one more header. */
    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }
}
