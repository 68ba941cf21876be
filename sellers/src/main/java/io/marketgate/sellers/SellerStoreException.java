package io.marketgate.sellers;

/**
 * The sellers' table or secret store failed or refused an operation. The message names the operation, the seller and
 * the store's error, never a credential's value.
 */
public final class SellerStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SellerStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public SellerStoreException(String message) {
        super(message);
    }
}
