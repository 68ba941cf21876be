package io.marketgate.market;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends a planned call's request. Package-private on purpose: {@link MarketClient} is the only way to reach a
 * market, and it sends only what the limiter admitted.
 */
final class HttpSender {
    private final HttpClient http;
    private final Duration requestTimeout;

    HttpSender(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A copy of {@code call}'s request to authorize before it is sent, with the client's request timeout unless the
     * adapter planned the call with its own (a token call that must not be cut short, for example).
     */
    HttpRequest.Builder prepare(PlannedCall call) {
        return HttpRequest.newBuilder(call.request(), (name, value) -> true)
                .timeout(call.request().timeout().orElse(requestTimeout));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
