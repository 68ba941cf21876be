package io.marketgate.sellers;

import io.marketgate.market.auth.Credentials;
import java.util.Collection;
import java.util.Comparator;

/** Removing values that were sent as credentials from a text, in one place. */
final class Redaction {

    /**
     * Values shorter than this are not replaced: no key is that short, and replacing a letter or two would garble the
     * rest of the message.
     */
    static final int MIN_LENGTH = 4;

    private Redaction() {}

    /** {@code text} with every value of {@code values} (of {@link #MIN_LENGTH} or more characters) as {@link Credentials#MASK}. */
    static String withoutValues(String text, Collection<String> values) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String value : values.stream().filter(v -> v != null && v.length() >= MIN_LENGTH)
                .sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(value, Credentials.MASK);
        }
        return out;
    }
}
