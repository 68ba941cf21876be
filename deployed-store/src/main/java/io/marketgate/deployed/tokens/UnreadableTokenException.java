package io.marketgate.deployed.tokens;

/**
 * A stored token that cannot be opened: sealed with a key this instance does not have, altered, moved to another
 * key, or not a token at all. The message says which, never anything of the blob's content.
 */
public final class UnreadableTokenException extends RuntimeException {

    UnreadableTokenException(String message) {
        super(message);
    }
}
