package io.marketgate.marketsim;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/**
 * A test's 11st client, written apart from the simulator's code: a GET of {@code /rest/…} with the key in the
 * {@code openapikey} header, the answer's bytes decoded with the charset its Content-Type names (EUC-KR read as MS949)
 * and parsed with the JDK's own DOM parser.
 */
final class ElevenSt {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** One answer: status, Content-Type, raw bytes, text and (when XML) the root element. */
    record Reply(int status, String contentType, byte[] bytes, String text, Element root) {

        /** The root's local name. */
        String rootName() {
            return root == null ? null : root.getLocalName();
        }

        /** The text of the root's first child element with this local name; null when there is none. */
        String child(String name) {
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && name.equals(e.getLocalName())) {
                    return e.getTextContent();
                }
            }
            return null;
        }

        /** {@code result_code}, or {@code resultCode} under {@code AuthMessage}. */
        String code() {
            return child(child("result_code") != null ? "result_code" : "resultCode");
        }

        String message() {
            return child(child("result_text") != null ? "result_text" : "resultMessage");
        }

        /** Each {@code <order>} child as its children's texts by local name. */
        List<Map<String, String>> orders() {
            return rows("order");
        }

        /** Each child element {@code row} of the root as its children's texts by local name. */
        List<Map<String, String>> rows(String row) {
            List<Map<String, String>> out = new ArrayList<>();
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && row.equals(e.getLocalName())) {
                    Map<String, String> fields = new LinkedHashMap<>();
                    for (Node f = e.getFirstChild(); f != null; f = f.getNextSibling()) {
                        if (f instanceof Element field) {
                            fields.put(field.getLocalName(), field.getTextContent());
                        }
                    }
                    out.add(fields);
                }
            }
            return out;
        }
    }

    private final String baseUrl;
    private final String key;

    /** {@code baseUrl} as a client sets it ({@code …/11st/rest}); {@code key} null sends no header. */
    ElevenSt(String baseUrl, String key) {
        this.baseUrl = baseUrl;
        this.key = key;
    }

    Reply get(String path) {
        return send("GET", path);
    }

    Reply list(String stage, String from, String to) {
        return get("/ordservices/" + stage + "/" + from + "/" + to);
    }

    Reply ship(String sendDt, String carrier, String invoice, String dlvNo) {
        return get("/ordservices/reqdelivery/" + sendDt + "/01/" + carrier + "/" + invoice + "/" + dlvNo);
    }

    Reply send(String method, String path) {
        return send(method, path, null);
    }

    /** {@code method} of {@code path} with {@code body} (null: none). */
    Reply send(String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/xml; charset=euc-kr")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            b.header("openapikey", key);
        }
        try {
            HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            String contentType = r.headers().firstValue("Content-Type").orElse("");
            String text = new String(r.body(), charset(contentType));
            return new Reply(r.statusCode(), contentType, r.body(), text, parse(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The Content-Type's charset; EUC-KR as MS949, its superset. */
    static Charset charset(String contentType) {
        String lower = contentType.toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf("charset=");
        String name = at < 0 ? "utf-8" : lower.substring(at + 8).trim();
        return name.equals("euc-kr") ? Charset.forName("x-windows-949") : Charset.forName(name);
    }

    /**
     * The root element of the decoded text, namespace-aware; null when the body is not XML. Parsed from characters, so
     * the declaration's EUC-KR (which the JDK's parser would take literally, refusing MS949's extra syllables) is moot.
     */
    private static Element parse(String text) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
            return d.getDocumentElement();
        } catch (Exception e) {
            return null;
        }
    }
}
