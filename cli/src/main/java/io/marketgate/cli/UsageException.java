package io.marketgate.cli;

/**
 * A command was given a bad or missing value that picocli's parser could not see (an unknown market, a malformed
 * duration, two options that exclude each other). The message names the option and the rule; the command exits
 * with {@link ExitCodes#USAGE}, as for picocli's own parse errors, having done nothing.
 *
 * <pre>{@code
 * throw new UsageException("--for is " + text + ", must be more than 0 and at most 7d");
 * }</pre>
 */
public class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
