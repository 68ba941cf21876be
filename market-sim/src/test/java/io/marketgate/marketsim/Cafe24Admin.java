package io.marketgate.marketsim;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A test's Cafe24 client of one mall: Basic-authenticated form posts to the token endpoint, Bearer calls to the admin API. */
final class Cafe24Admin {

    static final DateTimeFormatter KST = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX").withZone(ZoneOffset.ofHours(9));
    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final String mallUrl;
    private final Cafe24Credentials credentials;

    Cafe24Admin(String mallUrl, Cafe24Credentials credentials) {
        this.mallUrl = mallUrl;
        this.credentials = credentials;
    }

    static String kst(Instant t) {
        return KST.format(t);
    }

    String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((credentials.clientId() + ":" + credentials.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
    }

    MarketClient.Reply token(Map<String, String> form) {
        return token(form, basic());
    }

    MarketClient.Reply token(Map<String, String> form, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mallUrl + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return MarketClient.send(b.build());
    }

    MarketClient.Reply refresh(String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    /** The consent page as a browser opens it; the answer is the redirect, not followed. */
    HttpResponse<String> authorize(String query) {
        try {
            return NO_REDIRECTS.send(HttpRequest.newBuilder(URI.create(mallUrl + "/oauth/authorize?" + query)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    MarketClient.Reply get(String token, String pathAndQuery) {
        return MarketClient.send(bearer(HttpRequest.newBuilder(URI.create(mallUrl + pathAndQuery)), token).GET().build());
    }

    MarketClient.Reply orders(String token, Instant from, Instant toInclusive, String extra) {
        return get(token, "/admin/orders?start_date=" + encode(kst(from)) + "&end_date=" + encode(kst(toInclusive)) + extra);
    }

    MarketClient.Reply ship(String token, String orderId, String json) {
        return MarketClient.send(bearer(HttpRequest.newBuilder(URI.create(mallUrl + "/admin/orders/" + orderId + "/shipments")), token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A call with a JSON body ({@code POST} or {@code PUT}) to the admin API. */
    MarketClient.Reply send(String token, String method, String pathAndQuery, String json) {
        return MarketClient.send(bearer(HttpRequest.newBuilder(URI.create(mallUrl + pathAndQuery)), token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private static HttpRequest.Builder bearer(HttpRequest.Builder b, String token) {
        return b.header("Authorization", "Bearer " + token).header("X-Cafe24-Api-Version", "2026-03-01");
    }

    static String form(Map<String, String> params) {
        return new LinkedHashMap<>(params).entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
