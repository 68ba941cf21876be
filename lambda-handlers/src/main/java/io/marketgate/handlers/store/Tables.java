package io.marketgate.handlers.store;

/**
 * The DynamoDB table names of one environment. Attributes: see {@link io.marketgate.handlers.store.TableSchemas}.
 *
 * <pre>{@code
 * Tables tables = Tables.withPrefix("mg-dev-");   // mg-dev-orders, mg-dev-requests, …
 * }</pre>
 */
public record Tables(String orders, String requests, String sellers, String idempotency) {

    public Tables {
        check("orders", orders);
        check("requests", requests);
        check("sellers", sellers);
        check("idempotency", idempotency);
    }

    /** {@code prefix} + orders, requests, sellers, idempotency. */
    public static Tables withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new Tables(p + "orders", p + "requests", p + "sellers", p + "idempotency");
    }

    private static void check(String which, String name) {
        // DynamoDB's rule for table names: 3 to 255 of a-z, A-Z, 0-9, '_', '-', '.'
        if (name == null || !name.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new IllegalArgumentException("tables." + which + " '" + name
                    + "' must be 3 to 255 letters, digits, '_', '-' or '.'");
        }
    }
}
