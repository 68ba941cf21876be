package io.marketgate.market.cafe24;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.market.auth.Credentials;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One answer of Cafe24, read once: the status, the JSON body if it is one, the error in either of Cafe24's envelopes
 * (the Admin API's {@code {"error":{"code":…,"message":…}}}, the token endpoint's OAuth2
 * {@code {"error":"invalid_grant","error_description":…}}), and excerpts fit for a failure reason (tokens and the
 * client's Basic credentials masked, at most {@link #EXCERPT} characters).
 */
final class Cafe24Answer {

    /** Strict: a body with anything after its JSON value is not JSON. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final int EXCERPT = 300;

    private static final Pattern TOKEN_FIELD = Pattern.compile("(\"(?:access_token|refresh_token|code)\"\\s*:\\s*\")[^\"]*(\")");
    private static final Pattern BEARER = Pattern.compile("(?i)((?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]+");

    private final int status;
    private final String raw;
    private final Optional<JsonNode> body;
    private final HttpHeaders headers;
    private final List<String> secrets;

    private Cafe24Answer(int status, String raw, Optional<JsonNode> body, HttpHeaders headers, List<String> secrets) {
        this.status = status;
        this.raw = raw == null ? "" : raw;
        this.body = body;
        this.headers = headers;
        this.secrets = secrets;
    }

    /** The answer of {@code response}; the credentials the request carried are masked in every excerpt. */
    static Cafe24Answer of(HttpResponse<String> response) {
        List<String> secrets = new ArrayList<>();
        response.request().headers().firstValue("Authorization")
                .map(v -> v.indexOf(' ') > 0 ? v.substring(v.indexOf(' ') + 1).strip() : v)
                .filter(v -> !v.isEmpty())
                .ifPresent(secrets::add);
        return new Cafe24Answer(response.statusCode(), response.body(), parse(response.body()), response.headers(), secrets);
    }

    int status() {
        return status;
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * Whether the body is not JSON at all: empty, cut off, a proxy's page, or JSON followed by anything. Such a body
     * broke on its way; it says nothing Cafe24 decided.
     */
    boolean malformed() {
        return body.isEmpty();
    }

    /** The body when it is a JSON object. */
    Optional<JsonNode> object() {
        return body.filter(JsonNode::isObject);
    }

    /**
     * The error's code: the Admin API's {@code error.code} ({@code 422}) or the token endpoint's {@code error}
     * ({@code invalid_grant}); {@code ""} when there is none.
     */
    String code() {
        JsonNode error = object().map(b -> b.get("error")).orElse(null);
        if (error == null) {
            return "";
        }
        if (error.isTextual()) {
            return error.textValue();
        }
        JsonNode code = error.get("code");
        return code != null && (code.isTextual() || code.isNumber()) ? code.asText() : "";
    }

    /** The error's message: {@code error.message} or {@code error_description}; {@code ""} when there is none. */
    String message() {
        JsonNode b = object().orElse(null);
        if (b == null) {
            return "";
        }
        JsonNode error = b.get("error");
        if (error != null && error.isObject() && error.path("message").isTextual()) {
            return error.get("message").textValue();
        }
        JsonNode description = b.get("error_description");
        return description != null && description.isTextual() ? description.textValue() : "";
    }

    Optional<String> header(String name) {
        return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    /** What Cafe24 said, for a reason: {@code HTTP 422 (422): message} for an error, else the status and an excerpt. */
    String describe() {
        StringBuilder s = new StringBuilder("HTTP ").append(status);
        if (!code().isEmpty() || !message().isEmpty()) {
            if (!code().isEmpty()) {
                s.append(' ').append(mask(code()));
            }
            if (!message().isEmpty()) {
                s.append(": ").append(mask(message()));
            }
            return s.toString();
        }
        return s.append(detail()).toString();
    }

    /** {@code ": <excerpt of the body>"}, or {@code ""} for an empty body. */
    String detail() {
        return excerpt(raw);
    }

    /** {@code ": <excerpt of text>"}, or {@code ""} when it is blank; secrets masked. */
    String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String masked = mask(text.strip());
        return ": " + (masked.length() > EXCERPT ? masked.substring(0, EXCERPT) + "…" : masked);
    }

    /** {@code text} with the request's credentials, token fields and Bearer/Basic values masked. */
    String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, Credentials.MASK);
        }
        masked = TOKEN_FIELD.matcher(masked).replaceAll("$1" + Credentials.MASK + "$2");
        return BEARER.matcher(masked).replaceAll("$1" + Credentials.MASK);
    }

    private static Optional<JsonNode> parse(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
