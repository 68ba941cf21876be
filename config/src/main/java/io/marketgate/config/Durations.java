package io.marketgate.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in configuration and on the command line: a whole number and a unit
 * ({@code 500ms}, {@code 1s}, {@code 15m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT1S}, {@code PT0.5S},
 * {@code P1D}).
 *
 * <pre>{@code
 * Duration window = Durations.parse("15m");   // PT15M
 * String shown = Durations.format(window);     // "15m"
 * }</pre>
 */
public final class Durations {

    /** What {@link #parse(String)} accepts, for error messages. */
    public static final String ACCEPTED_FORMS =
            "a whole number and a unit (500ms, 1s, 15m, 2h, 1d) or ISO-8601 (PT1S)";

    private static final Pattern SHORT_FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses {@code text}; throws {@link IllegalArgumentException} naming the accepted forms when it is not a
     * duration, or when it is negative. Zero is accepted; callers check their own ranges.
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is missing; use " + ACCEPTED_FORMS);
        }
        String trimmed = text.trim();
        Duration parsed;
        try {
            parsed = trimmed.toUpperCase(Locale.ROOT).startsWith("P") || trimmed.startsWith("-")
                    ? Duration.parse(trimmed.toUpperCase(Locale.ROOT))
                    : parseShortForm(trimmed);
        } catch (DateTimeParseException | ArithmeticException e) {
            parsed = null;
        }
        if (parsed == null) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use " + ACCEPTED_FORMS);
        }
        if (parsed.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; a duration must be ≥ 0");
        }
        return parsed;
    }

    /** The shortest exact form {@link #parse(String)} reads back: {@code 1d}, {@code 2h}, {@code 15m}, {@code 1s}, {@code 500ms}, else ISO-8601. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        long ms = duration.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    /** Null when the text is not of the form; throws ArithmeticException on overflow. */
    private static Duration parseShortForm(String text) {
        Matcher m = SHORT_FORM.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLarge) {
            throw new ArithmeticException("too large");
        }
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalStateException("unit " + m.group(2));
        };
    }
}
