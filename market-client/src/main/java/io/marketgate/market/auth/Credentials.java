package io.marketgate.market.auth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A seller's credentials at one market: named fields as the market issues them ({@code vendorId}, {@code accessKey},
 * {@code secretKey} for Coupang), some of them secret. Built only through a {@link CredentialSchema}, which checks
 * every field; {@link #toString()} prints the secret fields as {@code ****}, and {@link #mask(String)} removes every
 * secret value from a text (a market's error body that echoes a key, for example).
 *
 * <pre>{@code
 * Credentials c = CoupangAdapter.CREDENTIALS.validate(Map.of("vendorId", "A00012345", "accessKey", ak, "secretKey", sk));
 * String secret = c.get("secretKey");
 * }</pre>
 */
public final class Credentials {

    /** What a masked secret looks like in any text. */
    public static final String MASK = "****";

    private final Map<String, String> fields;
    private final Set<String> secretFields;

    Credentials(Map<String, String> fields, Set<String> secretFields) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.secretFields = Collections.unmodifiableSet(new LinkedHashSet<>(secretFields));
    }

    /**
     * The value of {@code field}.
     *
     * @throws IllegalStateException naming the field when these credentials do not have it (a schema with the
     *     field optional, or a caller asking for a field its market does not issue)
     */
    public String get(String field) {
        String value = fields.get(field);
        if (value == null) {
            throw new IllegalStateException("credential field " + field + " is not set (fields: " + fields.keySet() + ")");
        }
        return value;
    }

    /** The value of {@code field}, when set. */
    public Optional<String> find(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    /** The names of the fields that are set, in the schema's order. */
    public Set<String> fieldNames() {
        return fields.keySet();
    }

    /** Whether {@code field} is secret (stored only in the secret store, never printed). */
    public boolean isSecret(String field) {
        return secretFields.contains(field);
    }

    /** The fields that are not secret (ids that may be stored beside the seller and printed), in order. */
    public Map<String, String> publicFields() {
        Map<String, String> open = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (!secretFields.contains(k)) {
                open.put(k, v);
            }
        });
        return open;
    }

    /** Every field, secret ones included: for the secret store only. */
    public Map<String, String> allFields() {
        return fields;
    }

    /** {@code text} with every secret value replaced by {@link #MASK}; null stays null. */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String field : secretFields) {
            String value = fields.get(field);
            if (value != null && !value.isEmpty()) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials other && fields.equals(other.fields) && secretFields.equals(other.secretFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields, secretFields);
    }

    /** The fields with every secret one shown as {@link #MASK}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Credentials[");
        String sep = "";
        for (Map.Entry<String, String> e : fields.entrySet()) {
            s.append(sep).append(e.getKey()).append('=').append(secretFields.contains(e.getKey()) ? MASK : e.getValue());
            sep = ", ";
        }
        return s.append(']').toString();
    }
}
