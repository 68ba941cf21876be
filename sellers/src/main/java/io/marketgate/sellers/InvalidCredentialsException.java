package io.marketgate.sellers;

/**
 * Credentials sent for registration break a rule of the market's schema. The message names the field
 * ({@code credentials.secretKey}) and the rule, and never contains a value that was sent, secret or not (an operator
 * who pasted a key into the wrong field must not find it echoed in an error, a log or a shell's scrollback).
 */
public final class InvalidCredentialsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;

    InvalidCredentialsException(String field, String rule, String message) {
        super(message);
        this.field = field;
        this.rule = rule;
    }

    /** The field at fault, {@code credentials.<name>} (or {@code credentials} for the whole). */
    public String field() {
        return field;
    }

    /** A short name of the rule: {@code required}, {@code unknown-field}, {@code format} or {@code invalid}. */
    public String rule() {
        return rule;
    }
}
