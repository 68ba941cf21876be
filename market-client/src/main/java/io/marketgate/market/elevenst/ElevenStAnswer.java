package io.marketgate.market.elevenst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.xml.XmlFactory;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import io.marketgate.market.auth.Credentials;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One answer of 11st, read: its status, its body as text (already decoded with the charset its {@code Content-Type}
 * names, else EUC-KR), and, when the body is XML, the local name of its root element and its content as a tree
 * (namespace prefixes dropped: {@code ns2:order} is {@code order}). Never throws: a body that is not XML keeps
 * {@link #unreadable()}'s reason, so the adapter can quote the market's words in a final outcome.
 */
final class ElevenStAnswer {

    /** XML without DTDs or external entities: a market answer needs neither, and both are ways to attack a parser. */
    static final XmlMapper XML;
    /** Orders become JSON objects of their elements' texts. */
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 300;

    static {
        XMLInputFactory input = XMLInputFactory.newFactory();
        input.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        input.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        input.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        XML = new XmlMapper(new XmlFactory(input));
    }

    private final int status;
    private final String raw;
    private final String root;
    private final JsonNode body;
    private final String unreadable;
    private final Credentials keys;

    private ElevenStAnswer(int status, String raw, String root, JsonNode body, String unreadable, Credentials keys) {
        this.status = status;
        this.raw = raw;
        this.root = root;
        this.body = body;
        this.unreadable = unreadable;
        this.keys = keys;
    }

    /** {@code response} read; {@code keys} (null: none) are masked in every text taken from it. */
    static ElevenStAnswer of(HttpResponse<String> response, Credentials keys) {
        String raw = response.body() == null ? "" : response.body();
        return read(response.statusCode(), raw, keys);
    }

    static ElevenStAnswer read(int status, String raw, Credentials keys) {
        if (raw.isBlank()) {
            return new ElevenStAnswer(status, raw, null, null, "the body is empty", keys);
        }
        XMLStreamReader reader = null;
        try {
            reader = XML.getFactory().getXMLInputFactory().createXMLStreamReader(new StringReader(raw));
            reader.nextTag();
            String root = reader.getLocalName();
            JsonNode tree = XML.readValue(reader, JsonNode.class);
            return new ElevenStAnswer(status, raw, root, tree == null || tree.isNull() ? JSON.createObjectNode() : tree, null, keys);
        } catch (XMLStreamException | IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ");
            return new ElevenStAnswer(status, raw, null, null, "not XML (" + (why.length() > 160 ? why.substring(0, 160) + "…" : why)
                    + ")", keys);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    // nothing was held open: the reader read a string
                }
            }
        }
    }

    int status() {
        return status;
    }

    /** The root element's local name ({@code orders}, {@code ResultOrder}, {@code AuthMessage}); empty when not XML. */
    Optional<String> root() {
        return Optional.ofNullable(root);
    }

    /** Why the body could not be read as XML; empty when it was. */
    Optional<String> unreadable() {
        return Optional.ofNullable(unreadable);
    }

    /** Whether the body is a web page (a maintenance notice or a block page in place of the API's XML). */
    boolean html() {
        String head = raw.stripLeading();
        if (head.startsWith("\uFEFF")) {
            head = head.substring(1);
        }
        String lower = head.substring(0, Math.min(head.length(), 200)).toLowerCase(Locale.ROOT);
        return lower.startsWith("<!doctype html") || lower.startsWith("<html") || "html".equalsIgnoreCase(root);
    }

    /** The result code: {@code result_code} of the order APIs, else {@code resultCode} (the gateway's, the product APIs'). */
    Optional<String> code() {
        return text("result_code").or(() -> text("resultCode"));
    }

    /** The result text: {@code result_text}, else {@code resultMessage}, else {@code message}; {@code ""} when there is none. */
    String message() {
        return mask(text("result_text").or(() -> text("resultMessage")).or(() -> text("message")).orElse(""));
    }

    /** The root element's content as a tree (namespace prefixes dropped); null when not XML. */
    JsonNode body() {
        return body;
    }

    /** The root's child {@code name} as trimmed text, when it is a non-empty text. */
    Optional<String> text(String name) {
        JsonNode value = body == null ? null : body.get(name);
        if (value == null || !value.isValueNode()) {
            return Optional.empty();
        }
        String text = value.asText().strip();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** Every child element of the root called {@code name}, in order (one element, or the list of repeated ones). */
    List<JsonNode> children(String name) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode value = body == null ? null : body.get(name);
        if (value == null) {
            return out;
        }
        if (value.isArray()) {
            value.forEach(out::add);
        } else {
            out.add(value);
        }
        return out;
    }

    /** Whether the root has children other than {@code allowed} (an order list that is not one). */
    List<String> otherChildren(List<String> allowed) {
        List<String> other = new ArrayList<>();
        if (body != null && body.isObject()) {
            body.fieldNames().forEachRemaining(n -> {
                if (!allowed.contains(n)) {
                    other.add(n);
                }
            });
        }
        return other;
    }

    /** {@code text} with the call's keys masked. */
    String mask(String text) {
        return keys == null || text == null ? text : keys.mask(text);
    }

    /** {@code "HTTP 200, <root>: <excerpt>"}: what 11st answered, in its words, keys masked. */
    String describe() {
        return "HTTP " + status + (root == null ? "" : ", <" + root + ">") + excerpt(raw);
    }

    /** {@code ": <excerpt>"} of {@code text}, whitespace folded, at most 300 characters, keys masked; empty for an empty text. */
    String excerpt(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String folded = mask(text.strip()).replaceAll("\\s+", " ");
        return ": " + (folded.length() > EXCERPT ? folded.substring(0, EXCERPT) + "…" : folded);
    }

    /** An order element as a JSON object of its child elements' trimmed texts (nested elements kept as they are). */
    static ObjectNode flat(JsonNode order) {
        ObjectNode out = JSON.createObjectNode();
        order.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isValueNode()) {
                out.put(e.getKey(), v.asText().strip());
            } else {
                out.set(e.getKey(), v);
            }
        });
        return out;
    }
}
