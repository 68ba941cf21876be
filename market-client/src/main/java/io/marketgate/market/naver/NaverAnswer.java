package io.marketgate.market.naver;

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
 * One answer of Naver, read once: the status, the JSON body if it is one, the gateway's or the API's error code and
 * message, and excerpts of it fit for a failure reason (secrets masked, at most {@link #EXCERPT} characters).
 */
final class NaverAnswer {

    /** Strict: a body with anything after its JSON value (two values, garbage) is not JSON. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    static final int EXCERPT = 300;

    /** A bcrypt salt or hash (a client secret, or the bcrypt inside a sign). */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{22,53}");
    /** The Base64 of a bcrypt string ({@code $2a$} is {@code JDJh}): a client_secret_sign, standard or URL-safe. */
    private static final Pattern SIGN = Pattern.compile("JDJ[A-Za-z0-9+/_-]{16,}={0,2}");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("(\"access_token\"\\s*:\\s*\")[^\"]*(\")");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");

    private final int status;
    private final String raw;
    private final Optional<JsonNode> body;
    private final HttpHeaders headers;
    private final List<String> secrets;

    private NaverAnswer(int status, String raw, Optional<JsonNode> body, HttpHeaders headers, List<String> secrets) {
        this.status = status;
        this.raw = raw == null ? "" : raw;
        this.body = body;
        this.headers = headers;
        this.secrets = secrets;
    }

    /** The answer of {@code response}; the access token the request carried is masked in every excerpt. */
    static NaverAnswer of(HttpResponse<String> response) {
        List<String> secrets = new ArrayList<>();
        response.request().headers().firstValue("Authorization")
                .map(v -> v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).strip() : v)
                .filter(v -> !v.isEmpty())
                .ifPresent(secrets::add);
        return new NaverAnswer(response.statusCode(), response.body(), parse(response.body()), response.headers(), secrets);
    }

    int status() {
        return status;
    }

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * Whether the body is not JSON at all: empty, cut off, a proxy's page, or JSON followed by anything. Such a body
     * broke on its way; it says nothing Naver decided.
     */
    boolean malformed() {
        return body.isEmpty();
    }

    /** The body when it is a JSON object. */
    Optional<JsonNode> object() {
        return body.filter(JsonNode::isObject);
    }

    /** The error code of the body ({@code GW.RATE_LIMIT}, {@code 104442}, …), {@code ""} when there is none. */
    String code() {
        return object().map(b -> b.get("code")).filter(c -> c.isTextual() || c.isNumber()).map(JsonNode::asText).orElse("");
    }

    String message() {
        return object().map(b -> b.get("message")).filter(JsonNode::isTextual).map(JsonNode::textValue).orElse("");
    }

    Optional<String> header(String name) {
        return headers.firstValue(name).map(String::strip).filter(v -> !v.isEmpty());
    }

    /**
     * What Naver said, for a reason: {@code HTTP 400 104133: message (traceId …)} for a JSON error, else the status and
     * an excerpt of the body; secrets masked.
     */
    String describe() {
        StringBuilder s = new StringBuilder("HTTP ").append(status);
        if (!code().isEmpty() || !message().isEmpty()) {
            if (!code().isEmpty()) {
                s.append(' ').append(mask(code()));
            }
            if (!message().isEmpty()) {
                s.append(": ").append(mask(message()));
            }
            object().map(b -> b.get("traceId")).filter(JsonNode::isTextual)
                    .ifPresent(t -> s.append(" (traceId ").append(t.textValue()).append(')'));
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

    /** {@code text} with the request's token, bcrypt strings, signs, access tokens and bearer values masked. */
    String mask(String text) {
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, Credentials.MASK);
        }
        masked = BCRYPT.matcher(masked).replaceAll(Credentials.MASK);
        masked = SIGN.matcher(masked).replaceAll(Credentials.MASK);
        masked = ACCESS_TOKEN.matcher(masked).replaceAll("$1" + Credentials.MASK + "$2");
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
