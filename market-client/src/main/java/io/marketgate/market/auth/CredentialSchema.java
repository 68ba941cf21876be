package io.marketgate.market.auth;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The credential fields a market protocol needs for one seller, and the check that turns what an operator sent into
 * {@link Credentials}. Each protocol's adapter factory offers its schema
 * ({@link io.marketgate.market.MarketAdapterFactory#credentialSchema()}), so the sellers API can refuse a bad
 * registration, naming the field and the rule, before anything is stored.
 *
 * <pre>{@code
 * CredentialSchema coupang = CredentialSchema.of(List.of(
 *         CredentialField.id("vendorId", "A[0-9]{8}", "A and 8 digits"),
 *         CredentialField.secret("accessKey", "[0-9a-f-]{36}", "a UUID"),
 *         CredentialField.secret("secretKey", "[0-9a-f]{40}", "40 hex digits")));
 * Credentials c = coupang.validate(fields);   // IllegalArgumentException: "credentials.secretKey must be 40 hex digits"
 * }</pre>
 *
 * @param fields the fields, in the order errors and listings show them
 * @param extraRule a check across fields (a field required by another's value); throws
 *     {@link IllegalArgumentException} naming the field
 */
public record CredentialSchema(List<CredentialField> fields, Consumer<Map<String, String>> extraRule) {

    /** A protocol without per-seller credentials (its key is in the environment, as the reference protocol's). */
    public static final CredentialSchema NONE = new CredentialSchema(List.of(), m -> {});

    public CredentialSchema {
        fields = List.copyOf(fields);
        Objects.requireNonNull(extraRule, "extraRule");
        Set<String> names = new LinkedHashSet<>();
        for (CredentialField f : fields) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("credential field " + f.name() + " is declared twice");
            }
        }
    }

    public static CredentialSchema of(List<CredentialField> fields) {
        return new CredentialSchema(fields, m -> {});
    }

    /** This schema with a check across fields. */
    public CredentialSchema withRule(Consumer<Map<String, String>> rule) {
        return new CredentialSchema(fields, rule);
    }

    /** Whether the protocol has per-seller credentials at all. */
    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Checks {@code given} field by field: no unknown field, every required one present, every value matching its
     * pattern, then the cross-field rule.
     *
     * @throws IllegalArgumentException naming {@code credentials.<field>} and the rule; the message never contains a
     *     secret field's value
     */
    public Credentials validate(Map<String, String> given) {
        if (given == null) {
            throw new IllegalArgumentException("credentials is missing");
        }
        Map<String, CredentialField> byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
        for (String name : given.keySet()) {
            if (!byName.containsKey(name)) {
                throw new IllegalArgumentException("credentials." + name + " is not a field of this market (fields: "
                        + byName.keySet() + ")");
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> secrets = new LinkedHashSet<>();
        for (CredentialField f : fields) {
            String value = given.get(f.name());
            if (value == null || value.isEmpty()) {
                if (f.required()) {
                    throw new IllegalArgumentException("credentials." + f.name() + " is missing (" + f.rule() + ")");
                }
                continue;
            }
            if (!f.pattern().matcher(value).matches()) {
                throw new IllegalArgumentException("credentials." + f.name() + " must be " + f.rule()
                        + (f.secret() ? "" : ", not '" + value + "'"));
            }
            values.put(f.name(), value);
            if (f.secret()) {
                secrets.add(f.name());
            }
        }
        extraRule.accept(Map.copyOf(values));
        return new Credentials(values, secrets);
    }
}
