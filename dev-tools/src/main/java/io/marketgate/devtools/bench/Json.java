package io.marketgate.devtools.bench;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The few JSON values the bench writes: strings, numbers (NaN as null) and flat maps of numbers. */
final class Json {

    private Json() {}

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    static String numbers(Map<String, Double> values) {
        return values.entrySet().stream()
                .map(e -> string(e.getKey()) + ":" + number(e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
