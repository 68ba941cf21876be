package io.marketgate.market.elevenst;

import io.marketgate.market.MarketAdapter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * 11st's answer as the market client hands it to the adapter: the body's bytes decoded with the charset the adapter
 * picks from the headers ({@link MarketAdapter#answerCharset}), exactly as the client's sender does.
 */
record XmlAnswer(HttpRequest request, int statusCode, HttpHeaders headers, String body) implements HttpResponse<String> {

    /** {@code text} encoded in {@code encoding} and sent with {@code contentType} (null: no Content-Type header). */
    static XmlAnswer of(MarketAdapter adapter, int status, String contentType, String text, Charset encoding) {
        return ofBytes(adapter, status, contentType, text.getBytes(encoding));
    }

    static XmlAnswer ofBytes(MarketAdapter adapter, int status, String contentType, byte[] bytes) {
        HttpHeaders headers = HttpHeaders.of(contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType)),
                (name, value) -> true);
        String decoded = new String(bytes, adapter.answerCharset(headers));
        return new XmlAnswer(HttpRequest.newBuilder(URI.create("http://127.0.0.1:9/11st/rest")).build(), status, headers, decoded);
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return request.uri();
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }
}
