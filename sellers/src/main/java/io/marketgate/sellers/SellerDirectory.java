package io.marketgate.sellers;

import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.market.auth.Credentials;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registering, listing and removing sellers with their credentials: what the API's {@code /v1/sellers} and the operator's
 * {@code marketgate sellers} do, in one place.
 *
 * <p>A registration is checked against the market's {@link CredentialSchema} first; a bad one is refused with an
 * {@link InvalidCredentialsException} naming the field and the rule, and nothing is written. Then the secret is written
 * (all fields), then the table's row (the public fields, status {@code active}): when the row cannot be written, the
 * secret is put back as it was, so that nothing is half-done. Registering a seller whose credentials were rejected makes
 * it active again. A market whose protocol has no per-seller credentials ({@link CredentialSchema#NONE}) gets the row
 * only.
 *
 * <pre>{@code
 * SellerDirectory sellers = new SellerDirectory(registry, Optional.of(store), m -> MarketAdapters.credentialSchema(env, m), clock);
 * SellerDirectory.Registration r = sellers.register("coupang", "seller-1",
 *         Map.of("vendorId", "A00012345", "accessKey", ak, "secretKey", sk));
 * }</pre>
 */
public final class SellerDirectory {

    private static final Logger log = LoggerFactory.getLogger(SellerDirectory.class);

    /** A registration's outcome: the row written, and whether it replaced one. */
    public record Registration(SellerRecord seller, boolean replaced) {}

    /** A removal's outcome: the row as it was (empty when there was none), and the secret's deletion (empty when none). */
    public record Removal(Optional<SellerRecord> seller, Optional<SellerCredentialStore.Deleted> secret) {
        /** Whether anything was there to remove. */
        public boolean removedAnything() {
            return seller.isPresent() || secret.isPresent();
        }
    }

    private final SellerRegistry registry;
    private final Optional<SellerCredentialStore> secrets;
    private final Function<String, CredentialSchema> schemas;
    private final Clock clock;

    /**
     * @param registry the sellers table
     * @param secrets the secret store; empty where none is configured (then only markets without per-seller
     *     credentials can be registered)
     * @param schemas each market's credential schema; throws {@link IllegalArgumentException} for an unknown market
     * @param clock dates registrations
     */
    public SellerDirectory(SellerRegistry registry, Optional<SellerCredentialStore> secrets,
            Function<String, CredentialSchema> schemas, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The market's credential schema. */
    public CredentialSchema schema(String market) {
        return schemas.apply(market);
    }

    /**
     * Checks {@code fields} against the market's schema without writing anything.
     *
     * @throws InvalidCredentialsException naming the field and the rule, never a value
     */
    public Credentials validate(String market, Map<String, String> fields) {
        CredentialSchema schema = schemas.apply(market);
        try {
            return schema.validate(fields);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage(), fields);
        }
    }

    /**
     * Registers {@code sellerId} of {@code market} with {@code fields}: validates them, writes the secret, then the row;
     * undoes the secret when the row cannot be written.
     *
     * @throws InvalidCredentialsException before anything is written, naming the field and the rule
     * @throws SellerStoreException when a store fails (the secret put back as it was)
     * @throws IllegalStateException when the market has per-seller credentials and no secret store is configured
     */
    public Registration register(String market, String sellerId, Map<String, String> fields) {
        Credentials credentials = validate(market, fields);
        boolean withSecret = !schemas.apply(market).isEmpty();
        if (withSecret && secrets.isEmpty()) {
            throw new IllegalStateException("market " + market + " has per-seller credentials, and no secret store is configured here");
        }
        Instant now = clock.instant();
        Optional<SellerCredentialStore.Written> written = withSecret
                ? Optional.of(secrets.get().put(market, sellerId, credentials))
                : Optional.empty();
        SellerRecord record = new SellerRecord(market, sellerId, credentials.publicFields(), true, SellerStatus.ACTIVE,
                Optional.empty(), Optional.of(now), written.map(SellerCredentialStore.Written::versionId), Optional.of(now));
        boolean replaced;
        try {
            replaced = registry.register(record).isPresent();
        } catch (RuntimeException e) {
            written.ifPresent(w -> {
                try {
                    secrets.get().undo(w);
                } catch (RuntimeException undo) {
                    log.error("the row of seller {} of {} could not be written, and its secret {} could not be put back as it was: {}",
                            sellerId, market, w.secretName(), undo.getMessage());
                    e.addSuppressed(undo);
                }
            });
            throw new SellerStoreException("registering seller " + sellerId + " of " + market + " failed writing its row "
                    + "to " + registry.table() + "; its secret was put back as it was (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
        log.info("{} seller {} of {} (public fields {})", replaced ? "re-registered" : "registered", sellerId, market,
                credentials.publicFields().keySet());
        return new Registration(record, replaced);
    }

    /** The seller's row, if registered. */
    public Optional<SellerRecord> find(String market, String sellerId) {
        return registry.record(market, sellerId);
    }

    /** A page of the market's sellers ({@link SellerRegistry#page}). */
    public SellerRegistry.Page list(String market, Optional<String> after, int limit) {
        return registry.page(market, after, limit);
    }

    /**
     * Removes the seller: its row first (no new work finds it), then its secret as the store's {@link SecretDeletion}
     * says. Either may already be gone; running it again finishes a removal that failed half-way.
     *
     * @throws SellerStoreException when a store fails; the message says what was removed already
     */
    public Removal remove(String market, String sellerId) {
        Optional<SellerRecord> row = registry.delete(market, sellerId);
        if (secrets.isEmpty()) {
            return new Removal(row, Optional.empty());
        }
        try {
            return new Removal(row, secrets.get().delete(market, sellerId));
        } catch (SellerStoreException e) {
            throw new SellerStoreException((row.isPresent() ? "the row of seller " + sellerId + " of " + market + " was removed, but "
                    : "") + e.getMessage() + "; run the removal again to delete the secret", e);
        }
    }

    /** The schema's refusal without any value that was sent, naming {@code credentials.<field>} and a rule. */
    private static InvalidCredentialsException invalid(String message, Map<String, String> fields) {
        String text = Redaction.withoutValues(message == null ? "credentials are invalid" : message,
                fields == null ? java.util.List.of() : fields.values());
        String field = "credentials";
        if (text.startsWith("credentials.")) {
            int end = text.indexOf(' ');
            field = end > 0 ? text.substring(0, end) : text;
        }
        String rule = text.contains(" is not a field") ? "unknown-field"
                : text.contains(" is missing") ? "required"
                : text.contains(" must be ") ? "format"
                : "invalid";
        return new InvalidCredentialsException(field, rule, text);
    }
}
