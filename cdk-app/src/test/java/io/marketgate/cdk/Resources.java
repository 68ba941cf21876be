package io.marketgate.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads a synthesized template's resources as plain maps, for assertions over every resource of a type. */
final class Resources {

    private Resources() {}

    /** Every resource of {@code type}: its whole definition ({@code Properties}, {@code DeletionPolicy}, …). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Template template, String type) {
        return new ArrayList<>(template.findResources(type).values().stream().map(r -> (Map<String, Object>) r).toList());
    }

    /** The {@code Properties} of every resource of {@code type}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> properties(Template template, String type) {
        return of(template, type).stream().map(r -> (Map<String, Object>) r.getOrDefault("Properties", Map.of())).toList();
    }

    /** The value at {@code path} (keys of nested maps) in {@code map}, or null. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> map, String... path) {
        Object current = map;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }

    /** {@code value} as a list: a single value becomes a list of one. */
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? new ArrayList<>(l) : value == null ? List.of() : List.of(value);
    }
}
