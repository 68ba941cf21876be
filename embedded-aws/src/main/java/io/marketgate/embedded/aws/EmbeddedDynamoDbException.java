package io.marketgate.embedded.aws;

/**
 * The embedded DynamoDB-compatible server could not be found, installed, started or stopped; the message names what
 * is missing and how to get it.
 */
public class EmbeddedDynamoDbException extends RuntimeException {
    public EmbeddedDynamoDbException(String message) {
        super(message);
    }

    public EmbeddedDynamoDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
