package io.marketgate.marketsim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.mindrot.jbcrypt.BCrypt;

/**
 * A test's Naver Commerce client: signs token requests with jBCrypt (another bcrypt implementation than the
 * simulator's) and sends them as form posts, as the market documents.
 */
final class NaverCommerce {

    static final String ORDERS = "/external/v1/pay-order/seller/product-orders";

    private final String baseUrl;
    private final NaverCredentials credentials;
    private final SimClock clock;

    NaverCommerce(String baseUrl, NaverCredentials credentials, SimClock clock) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.clock = clock;
    }

    static String sign(String clientId, String clientSecret, long timestamp) {
        String hashed = BCrypt.hashpw(clientId + "_" + timestamp, clientSecret);
        return Base64.getEncoder().encodeToString(hashed.getBytes(StandardCharsets.UTF_8));
    }

    long nowMillis() {
        return Math.floorDiv(clock.epochNanos(), 1_000_000L);
    }

    /** The standard token parameters for now (account_id for SELLER apps). */
    Map<String, String> tokenParams() {
        long ts = nowMillis();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", credentials.clientId());
        p.put("timestamp", Long.toString(ts));
        p.put("grant_type", "client_credentials");
        p.put("client_secret_sign", sign(credentials.clientId(), credentials.clientSecret(), ts));
        p.put("type", credentials.type());
        if (credentials.accountId() != null) {
            p.put("account_id", credentials.accountId());
        }
        return p;
    }

    MarketClient.Reply token(Map<String, String> params) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/external/v1/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(params))).build());
    }

    MarketClient.Reply token() {
        return token(tokenParams());
    }

    String accessToken() {
        MarketClient.Reply r = token();
        if (r.status() != 200) {
            throw new IllegalStateException("token request answered " + r.status() + " " + r.body());
        }
        return r.body().get("access_token").asText();
    }

    MarketClient.Reply lastChanged(String token, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + ORDERS + "/last-changed-statuses?" + query)).GET();
        return send(bearer(b, token).build());
    }

    MarketClient.Reply post(String token, String action, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + ORDERS + "/" + action))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        return send(bearer(b, token).build());
    }

    private static HttpRequest.Builder bearer(HttpRequest.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    static MarketClient.Reply send(HttpRequest request) {
        return MarketClient.send(HttpRequest.newBuilder(request, (k, v) -> true).timeout(Duration.ofSeconds(30)).build());
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** {@code 2026-11-22T09:00:00.000+09:00}, URL-encoded. */
    static String kst(java.time.Instant t) {
        return URLEncoder.encode(t.atOffset(java.time.ZoneOffset.ofHours(9))
                .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX")), StandardCharsets.UTF_8);
    }
}
