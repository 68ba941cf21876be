package io.marketgate.config.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Parses one YAML document into a tree, turning syntax errors and duplicate keys into problems with their line. */
public final class YamlTree {

    /**
     * Duplicate keys are an error, not "last one wins": two budgets of the same name would otherwise silently
     * become one ({@link StreamReadFeature#STRICT_DUPLICATE_DETECTION} is {@code JsonParser.Feature.STRICT_DUPLICATE_DETECTION}).
     */
    private static final YAMLMapper MAPPER =
            YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private YamlTree() {}

    /**
     * The document's tree, or empty after adding the problem (empty file, syntax error, duplicate key) to {@code problems}.
     *
     * @param topKeys the keys the document's top mapping allows, named when the file is empty
     */
    public static Optional<JsonNode> parse(String content, List<String> topKeys, Problems problems) {
        try (JsonParser parser = MAPPER.createParser(content)) {
            JsonNode root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode() || root.isNull()) {
                problems.add("", "is empty; expected a mapping with keys " + String.join(", ", topKeys));
                return Optional.empty();
            }
            JsonToken next = parser.nextToken();
            if (next != null && next != JsonToken.VALUE_NULL) {
                problems.add(at(parser.currentLocation()),
                        "a second YAML document (after '---') is not allowed; keep the whole file in one document");
            }
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            String original = e.getOriginalMessage();
            String where = at(e.getLocation());
            if (original != null && original.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser parser) {
                String path = dotted(parser.getParsingContext().pathAsPointer());
                String key = parser.getParsingContext().getCurrentName();
                problems.add(path, "duplicate key '" + key + "'" + (where.isEmpty() ? "" : " (" + where + ")")
                        + "; each key may appear once in a mapping");
            } else {
                problems.add(where, "YAML syntax error: " + condense(original));
            }
            return Optional.empty();
        } catch (IOException e) {
            problems.add("", "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** SnakeYAML's message quotes the offending lines with carets below them; keep only its sentences. */
    private static String condense(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        String sentences = message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
        return sentences.isEmpty() ? message.strip() : sentences;
    }

    /** {@code /markets/coupang/budgets/vendor} → {@code markets.coupang.budgets.vendor}; list indexes as {@code [0]}. */
    private static String dotted(JsonPointer pointer) {
        StringBuilder path = new StringBuilder();
        for (JsonPointer p = pointer; p != null && !p.matches(); p = p.tail()) {
            if (p.mayMatchElement() && !p.mayMatchProperty()) {
                path.append('[').append(p.getMatchingIndex()).append(']');
            } else {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(p.getMatchingProperty());
            }
        }
        return path.toString();
    }
}
