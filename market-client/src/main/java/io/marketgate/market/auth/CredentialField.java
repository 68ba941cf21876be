package io.marketgate.market.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One field of a market's seller credentials.
 *
 * @param name the field's name in the API and the secret ({@code secretKey})
 * @param secret whether it is secret: stored only in the secret store, never in a table, a log or an error
 * @param required whether registration needs it (an optional field may still be required by another one's value,
 *     which {@link CredentialSchema}'s extra rule checks)
 * @param pattern what a valid value looks like
 * @param rule the pattern in words, for the error that names the field ("8 to 40 letters or digits")
 */
public record CredentialField(String name, boolean secret, boolean required, Pattern pattern, String rule) {

    public CredentialField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(rule, "rule");
    }

    /** A required secret field. */
    public static CredentialField secret(String name, String regex, String rule) {
        return new CredentialField(name, true, true, Pattern.compile(regex), rule);
    }

    /** A required field that is not secret (an id the market prints in its own console). */
    public static CredentialField id(String name, String regex, String rule) {
        return new CredentialField(name, false, true, Pattern.compile(regex), rule);
    }

    /** This field, optional. */
    public CredentialField optional() {
        return new CredentialField(name, secret, false, pattern, rule);
    }
}
