package io.marketgate.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.config.ConfigName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML mapping at a known path whose keys are fixed (the keys of one section of the file). Creating it
 * reports every key outside the allowed set; each getter reports a missing required key or a wrong type and
 * then returns empty, so that a reader walks the whole file and reports every problem.
 */
final class Mapping {
    private final JsonNode node;
    private final String path;
    private final Problems problems;

    private Mapping(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /**
     * The mapping at {@code path}, after reporting each key outside {@code allowedKeys} (the allowed keys are still
     * read); empty after reporting that the value is not a mapping at all.
     */
    static Optional<Mapping> of(JsonNode node, String path, List<String> allowedKeys, Problems problems) {
        if (!node.isObject()) {
            return Values.wrongType(node, path, Values.MAPPING, problems);
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!allowedKeys.contains(key)) {
                problems.add(Values.child(path, key), "unknown key '" + key + "'; allowed keys here: " + String.join(", ", allowedKeys));
            }
        });
        return Optional.of(new Mapping(node, path, problems));
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return Values.child(path, key);
    }

    void problem(String key, String rule) {
        problems.add(pathOf(key), rule);
    }

    /** The value of {@code key}, or empty (reporting it when required) when it is absent or null. */
    Optional<JsonNode> value(String key, Presence presence, String expected) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (presence == Presence.REQUIRED) {
                problems.add(pathOf(key), "missing; required: " + expected);
            }
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<String> text(String key, Presence presence) {
        return value(key, presence, Values.TEXT).flatMap(v -> Values.text(v, pathOf(key), problems));
    }

    Optional<Boolean> bool(String key, Presence presence) {
        return value(key, presence, Values.BOOLEAN).flatMap(v -> Values.bool(v, pathOf(key), problems));
    }

    Optional<Long> integer(String key, Presence presence) {
        return value(key, presence, Values.INTEGER).flatMap(v -> Values.integer(v, pathOf(key), problems));
    }

    Optional<Double> number(String key, Presence presence) {
        return value(key, presence, Values.NUMBER).flatMap(v -> Values.number(v, pathOf(key), problems));
    }

    Optional<Duration> duration(String key, Presence presence) {
        return value(key, presence, Values.DURATION).flatMap(v -> Values.duration(v, pathOf(key), problems));
    }

    <E extends Enum<E> & ConfigName> Optional<E> choice(String key, Class<E> type, Presence presence) {
        return value(key, presence, "one of " + Values.names(type)).flatMap(v -> Values.choice(v, pathOf(key), type, problems));
    }

    Optional<List<JsonNode>> list(String key, Presence presence) {
        return value(key, presence, Values.LIST).flatMap(v -> Values.list(v, pathOf(key), problems));
    }

    /** The required {@code environment} key, which must equal the file's base name {@code expectedName}. */
    Optional<String> environmentName(String key, String expectedName) {
        Optional<String> name = text(key, Presence.REQUIRED);
        name.filter(n -> !n.equals(expectedName)).ifPresent(n ->
                problem(key, "must equal the file's base name '" + expectedName + "', was '" + n + "'"));
        return name;
    }

    /**
     * An http or https URL with a host and without query, fragment or user info, trailing '/' removed: user info
     * would put credentials into every logged URL, and a query would be lost when paths are appended.
     *
     * @param example a URL that the message shows as the expected form
     */
    Optional<URI> httpUrl(String key, Presence presence, String example) {
        return text(key, presence).flatMap(url -> {
            String rule = "must be an http or https URL with a host and without query, fragment or user info, "
                    + "such as " + example + ", was '" + url + "'";
            URI uri;
            try {
                uri = new URI(url.strip());
            } catch (URISyntaxException e) {
                problem(key, rule);
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problem(key, rule);
                return Optional.empty();
            }
            String text = uri.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            return Optional.of(URI.create(text));
        });
    }

    /** A nested section with its own fixed keys. */
    Optional<Mapping> mapping(String key, Presence presence, List<String> allowedKeys) {
        return value(key, presence, Values.MAPPING + " with keys " + String.join(", ", allowedKeys))
                .flatMap(v -> Mapping.of(v, pathOf(key), allowedKeys, problems));
    }

    /**
     * A mapping whose keys the file's author chooses (markets, budgets, calls), in file order; {@code what}
     * describes one entry for the missing-key message.
     */
    Optional<Map<String, JsonNode>> entries(String key, Presence presence, String what) {
        return value(key, presence, Values.MAPPING + " of " + what).flatMap(v -> {
            if (!v.isObject()) {
                return Values.wrongType(v, pathOf(key), Values.MAPPING + " of " + what, problems);
            }
            Map<String, JsonNode> entries = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
            return Optional.of(entries);
        });
    }
}
