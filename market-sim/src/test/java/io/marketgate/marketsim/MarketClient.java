package io.marketgate.marketsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain JDK HttpClient speaking the reference REST market protocol, as a collector would. */
final class MarketClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    record Reply(int status, HttpResponse<String> raw, JsonNode body) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private final String baseUrl;
    private final String apiKey;

    MarketClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    MarketClient withKey(String key) {
        return new MarketClient(baseUrl, key);
    }

    /** GET orders with {@code from}, {@code to} and any extra parameters (null values are left out). */
    Reply orders(String seller, Instant from, Instant to, String... extra) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("from", from.toString());
        q.put("to", to.toString());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] != null) {
                q.put(extra[i], extra[i + 1]);
            }
        }
        return get("/v1/sellers/" + seller + "/orders?" + encode(q));
    }

    Reply get(String pathAndQuery) {
        return send(request(pathAndQuery).GET().build());
    }

    Reply ship(String seller, String orderId, String jsonBody) {
        return send(request("/v1/sellers/" + seller + "/orders/" + orderId + "/shipments")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build());
    }

    Reply ship(String seller, String orderId) {
        return ship(seller, orderId, "{\"carrier\":\"CJ\",\"trackingNumber\":\"T-" + orderId + "\"}");
    }

    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (apiKey != null) {
            b.header("X-Api-Key", apiKey);
        }
        return b;
    }

    static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
            return new Reply(r.statusCode(), r, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String encode(Map<String, String> q) {
        return q.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
