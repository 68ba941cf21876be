package io.marketgate.handlers.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A request body read strictly: one JSON object, no duplicate keys, no trailing content, no field outside the
 * endpoint's list, and each field of the type it must have. Every problem is a {@link Problem} naming the field: 400
 * for what cannot be read as it is (syntax, unknown field, wrong type, missing field), 422 is left to the endpoint's
 * own rules.
 *
 * <pre>{@code
 * JsonBody body = JsonBody.parse(request.body(), List.of("market", "sellers", "from", "to"));
 * String market = body.text("market").orElseThrow(() -> JsonBody.missing("market"));
 * }</pre>
 */
public final class JsonBody {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    static {
        // nesting deeper than any of our bodies needs is refused before it costs stack
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /**
     * Reads {@code text} as one JSON object whose fields are all in {@code allowed}.
     *
     * @throws Problem.ProblemException 400 naming {@code body} or the unknown field
     */
    public static JsonBody parse(String text, List<String> allowed) {
        return parse(text, allowed, true);
    }

    /**
     * {@link #parse} for a body that carries secrets: a syntax error names the line and column but not what the parser
     * found there, which its message quotes ({@code Unrecognized token 'a1b2…'}).
     */
    public static JsonBody parseQuietly(String text, List<String> allowed) {
        return parse(text, allowed, false);
    }

    private static JsonBody parse(String text, List<String> allowed, boolean quote) {
        if (text == null || text.isBlank()) {
            throw Problem.badRequest("body", "required", "body: a JSON object is required, the body is empty").exception();
        }
        JsonNode node;
        try {
            node = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw Problem.badRequest("body", "json-syntax", "body: not valid JSON" + where
                    + (quote ? ": " + e.getOriginalMessage() : "")).exception();
        }
        if (node == null || !node.isObject()) {
            throw Problem.badRequest("body", "type", "body: must be a JSON object, was " + describe(node)).exception();
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw Problem.badRequest(name, "unknown-field", name + ": unknown field; the fields here are "
                        + String.join(", ", allowed)).exception();
            }
        }
        return new JsonBody(node);
    }

    /** Whether {@code field} is in the body with a value other than null. */
    public boolean has(String field) {
        return value(field).isPresent();
    }

    /** The problem of a required field that is absent or null. */
    public static Problem.ProblemException missing(String field) {
        return Problem.badRequest(field, "required", field + ": required").exception();
    }

    /** A text field, absent (or null) as empty; blank text is refused. */
    public Optional<String> text(String field) {
        return value(field).map(v -> {
            if (!v.isTextual()) {
                throw wrongType(field, "a string", v);
            }
            if (v.textValue().isBlank()) {
                throw Problem.badRequest(field, "not-blank", field + ": must not be blank").exception();
            }
            return v.textValue();
        });
    }

    /** A text field that must match {@code pattern}; {@code what} describes the pattern for the message. */
    public Optional<String> id(String field, Pattern pattern, String what) {
        return text(field).map(v -> checkId(field, v, pattern, what));
    }

    /**
     * An object of text values ({@code "credentials": {"vendorId": "…"}}), in the order sent; a problem names
     * {@code field.<key>} and never quotes a value.
     */
    public Optional<Map<String, String>> textMap(String field) {
        return value(field).map(v -> {
            if (!v.isObject()) {
                throw wrongType(field, "an object of text values", v);
            }
            Map<String, String> out = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String name = field + "." + e.getKey();
                if (!e.getValue().isTextual()) {
                    throw wrongType(name, "a string", e.getValue());
                }
                out.put(e.getKey(), e.getValue().textValue());
            }
            return out;
        });
    }

    /** A boolean field. */
    public Optional<Boolean> bool(String field) {
        return value(field).map(v -> {
            if (!v.isBoolean()) {
                throw wrongType(field, "true or false", v);
            }
            return v.booleanValue();
        });
    }

    /** A whole number (a JSON integer that fits in a long); a fraction, a string or a number too large is a 400. */
    public Optional<Long> whole(String field) {
        return value(field).map(v -> {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw wrongType(field, "a whole number", v);
            }
            return v.longValue();
        });
    }

    /** An ISO-8601 instant ({@code 2026-11-22T00:00:00Z}). */
    public Optional<Instant> instant(String field) {
        return text(field).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw Problem.badRequest(field, "type", field + ": must be an ISO-8601 instant such as 2026-11-22T00:00:00Z, was '"
                        + abbreviate(v) + "'").exception();
            }
        });
    }

    /** One of an enum's constants, by name (upper case). */
    public <E extends Enum<E>> Optional<E> choice(String field, Class<E> type, Set<E> allowed) {
        return text(field).map(v -> {
            for (E e : allowed) {
                if (e.name().equals(v)) {
                    return e;
                }
            }
            String names = allowed.stream().map(Enum::name).collect(Collectors.joining(", "));
            boolean known = Arrays.stream(type.getEnumConstants()).anyMatch(e -> e.name().equals(v));
            throw (known ? Problem.unprocessable(field, "not-allowed", field + ": " + v + " is not allowed here; use one of " + names)
                    : Problem.badRequest(field, "one-of", field + ": must be one of " + names + ", was '" + abbreviate(v) + "'")).exception();
        });
    }

    /** A list of distinct ids, each matching {@code pattern}, at most {@code max} of them; an element's problem names {@code field[i]}. */
    public Optional<List<String>> ids(String field, Pattern pattern, String what, int max) {
        return value(field).map(v -> {
            if (!v.isArray()) {
                throw wrongType(field, "a list of strings", v);
            }
            if (v.isEmpty()) {
                throw Problem.badRequest(field, "not-empty", field + ": must name at least one").exception();
            }
            if (v.size() > max) {
                throw Problem.unprocessable(field, "max-items", field + ": at most " + max + " per request, was " + v.size()).exception();
            }
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < v.size(); i++) {
                String element = field + "[" + i + "]";
                JsonNode e = v.get(i);
                if (!e.isTextual()) {
                    throw wrongType(element, "a string", e);
                }
                String id = checkId(element, e.textValue(), pattern, what);
                if (!ids.add(id)) {
                    throw Problem.badRequest(element, "unique", element + ": '" + id + "' is named twice").exception();
                }
            }
            return new ArrayList<>(ids);
        });
    }

    /** {@code value} if it matches {@code pattern}, else a 400 naming {@code field}. */
    public static String checkId(String field, String value, Pattern pattern, String what) {
        if (!pattern.matcher(value).matches()) {
            throw Problem.badRequest(field, "format", field + ": must be " + what + ", was '" + abbreviate(value) + "'").exception();
        }
        return value;
    }

    private Optional<JsonNode> value(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    private static Problem.ProblemException wrongType(String field, String expected, JsonNode was) {
        return Problem.badRequest(field, "type", field + ": must be " + expected + ", was " + describe(was)).exception();
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** At most 64 characters of what a client sent, so a huge value cannot blow up a problem document. */
    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 61) + "...";
    }
}
