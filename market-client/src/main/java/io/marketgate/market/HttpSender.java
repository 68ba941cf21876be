package io.marketgate.market;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.function.Function;

/**
 * Sends a planned call's request. Package-private on purpose: {@link MarketClient} is the only way to reach a
 * market, and it sends only what the limiter admitted.
 */
final class HttpSender {
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Function<HttpHeaders, Charset> charset;

    /** {@code charset} picks the charset of each answer's body from its headers ({@link MarketAdapter#answerCharset}). */
    HttpSender(HttpClient http, Duration requestTimeout, Function<HttpHeaders, Charset> charset) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.charset = charset;
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
        return http.send(request, info -> HttpResponse.BodySubscribers.ofString(charset.apply(info.headers())));
    }
}
