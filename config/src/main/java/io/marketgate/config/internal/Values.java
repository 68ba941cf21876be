package io.marketgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.ConfigName;
import io.marketgate.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Converts one YAML value to a Java value, or reports at its path that it has the wrong type. Every method
 * returns empty after reporting, so a reader can go on and find further problems.
 */
final class Values {
    private Values() {}

    static final String TEXT = "a text";
    static final String INTEGER = "a whole number";
    static final String BOOLEAN = "true or false";
    static final String NUMBER = "a number";
    static final String DURATION = "a duration: " + Durations.ACCEPTED_FORMS;
    static final String MAPPING = "a mapping (key: value lines)";
    static final String LIST = "a list ([a, b] or '- a' lines)";

    static Optional<String> text(JsonNode node, String path, Problems problems) {
        if (!node.isTextual()) {
            return wrongType(node, path, TEXT, problems);
        }
        if (node.textValue().isBlank()) {
            problems.add(path, "must not be empty");
            return Optional.empty();
        }
        return Optional.of(node.textValue());
    }

    static Optional<Boolean> bool(JsonNode node, String path, Problems problems) {
        if (node.isBoolean()) {
            return Optional.of(node.booleanValue());
        }
        return wrongType(node, path, BOOLEAN, problems);
    }

    static Optional<Long> integer(JsonNode node, String path, Problems problems) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Optional.of(node.longValue());
        }
        if (node.isIntegralNumber()) {
            problems.add(path, "must be " + INTEGER + " within ±" + Long.MAX_VALUE + ", was " + describe(node));
            return Optional.empty();
        }
        return wrongType(node, path, INTEGER, problems);
    }

    static Optional<Double> number(JsonNode node, String path, Problems problems) {
        if (node.isNumber()) {
            return Optional.of(node.doubleValue());
        }
        return wrongType(node, path, NUMBER, problems);
    }

    static Optional<Duration> duration(JsonNode node, String path, Problems problems) {
        if (node.isNumber()) {
            problems.add(path, "must be " + DURATION + "; a number needs a unit, was " + describe(node));
            return Optional.empty();
        }
        if (!node.isTextual()) {
            return wrongType(node, path, DURATION, problems);
        }
        try {
            return Optional.of(Durations.parse(node.textValue()));
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return Optional.empty();
        }
    }

    static <E extends Enum<E> & ConfigName> Optional<E> choice(JsonNode node, String path, Class<E> type, Problems problems) {
        String allowed = names(type);
        if (!node.isTextual()) {
            return wrongType(node, path, "one of " + allowed, problems);
        }
        for (E value : type.getEnumConstants()) {
            if (value.configName().equals(node.textValue())) {
                return Optional.of(value);
            }
        }
        problems.add(path, "must be one of " + allowed + ", was " + describe(node));
        return Optional.empty();
    }

    static Optional<List<JsonNode>> list(JsonNode node, String path, Problems problems) {
        if (!node.isArray()) {
            return wrongType(node, path, LIST, problems);
        }
        List<JsonNode> elements = new ArrayList<>();
        node.elements().forEachRemaining(elements::add);
        return Optional.of(elements);
    }

    static <E extends Enum<E> & ConfigName> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigName::configName).collect(Collectors.joining(", "));
    }

    static <T> Optional<T> wrongType(JsonNode node, String path, String expected, Problems problems) {
        problems.add(path, "must be " + expected + ", was " + describe(node));
        return Optional.empty();
    }

    /** A value as the file's author would recognise it. */
    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "'" + node.textValue() + "'";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull() || node.isMissingNode()) {
            return "empty";
        }
        return node.asText();
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String element(String path, int index) {
        return path + "[" + index + "]";
    }
}
