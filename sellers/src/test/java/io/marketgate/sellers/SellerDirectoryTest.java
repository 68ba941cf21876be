package io.marketgate.sellers;

import static io.marketgate.sellers.TestSchemas.ACCESS_KEY;
import static io.marketgate.sellers.TestSchemas.SECRET_KEY;
import static io.marketgate.sellers.TestSchemas.SIGNED;
import static io.marketgate.sellers.TestSchemas.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CredentialSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Registration, status and removal against dynalite and the embedded Secrets Manager. */
class SellerDirectoryTest {

    private static final Instant NOW = Instant.parse("2026-11-02T00:00:00Z");
    private static final Function<String, CredentialSchema> SCHEMAS = market -> switch (market) {
        case "signed" -> SIGNED;
        case "keyed" -> CredentialSchema.NONE;
        default -> throw new IllegalArgumentException("market: unknown market '" + market + "'");
    };

    private static EmbeddedDynamoDb dynamoServer;
    private static EmbeddedSecretsManager secretsServer;
    private static DynamoDbClient dynamoDb;
    private static SecretsManagerClient secretsClient;
    private static SellerRegistry registry;
    private static SellerCredentialStore secrets;
    private static SellerDirectory directory;

    @BeforeAll
    static void start() {
        dynamoServer = EmbeddedDynamoDb.start();
        secretsServer = EmbeddedSecretsManager.start();
        dynamoDb = dynamoServer.client();
        secretsClient = secretsServer.client();
        TestSchemas.createSellersTable(dynamoDb, "test-sellers");
        registry = new SellerRegistry(dynamoDb, "test-sellers");
        secrets = new SellerCredentialStore(secretsClient, "test", SecretDeletion.immediately());
        directory = new SellerDirectory(registry, Optional.of(secrets), SCHEMAS, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        secretsClient.close();
        dynamoServer.close();
        secretsServer.close();
    }

    @Test
    void a_registered_seller_keeps_its_public_fields_in_the_table_and_every_field_in_its_secret() {
        // WHEN a seller registers credentials
        SellerDirectory.Registration r = directory.register("signed", "reg-1", fields("A00012345", ACCESS_KEY, SECRET_KEY));
        // THEN its row has the public fields, status active, and the secret's version; no secret value
        SellerRecord row = registry.record("signed", "reg-1").orElseThrow();
        assertThat(r.replaced()).isFalse();
        assertThat(row.publicFields()).containsExactly(Map.entry("vendorId", "A00012345"));
        assertThat(row.status()).isEqualTo(SellerStatus.ACTIVE);
        assertThat(row.credentialsVersion()).isPresent();
        assertThat(row.registeredAt()).contains(NOW);
        assertThat(dynamoDb.scan(b -> b.tableName("test-sellers")).items().toString())
                .doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
        // AND the market sees the seller by its vendor id
        assertThat(row.seller().instanceKey(io.marketgate.config.BudgetScope.VENDOR)).isEqualTo("A00012345");
        // AND its secret holds every field at the version the row names
        StoredCredentials stored = secrets.get("signed", "reg-1", SIGNED).orElseThrow();
        assertThat(stored.credentials().get("secretKey")).isEqualTo(SECRET_KEY);
        assertThat(row.credentialsVersion()).contains(stored.versionId());
    }

    @Test
    void bad_credentials_are_refused_naming_the_field_and_the_rule_without_any_value_and_nothing_is_written() {
        // GIVEN the secret key pasted into the public vendorId field
        Map<String, String> wrong = fields(SECRET_KEY, ACCESS_KEY, SECRET_KEY);
        // THEN registration is refused naming credentials.vendorId and its rule, without the value
        assertThatThrownBy(() -> directory.register("signed", "bad-1", wrong))
                .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> {
                    assertThat(e.field()).isEqualTo("credentials.vendorId");
                    assertThat(e.rule()).isEqualTo("format");
                    assertThat(e.getMessage()).contains("A and 8 digits").doesNotContain(SECRET_KEY);
                });
        assertThatThrownBy(() -> directory.register("signed", "bad-1", Map.of("vendorId", "A00012345", "accessKey", ACCESS_KEY)))
                .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> assertThat(e.rule()).isEqualTo("required"));
        assertThatThrownBy(() -> directory.register("signed", "bad-1", Map.of("vendorId", "A00012345", "apiKey", SECRET_KEY)))
                .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> {
                    assertThat(e.field()).isEqualTo("credentials.apiKey");
                    assertThat(e.rule()).isEqualTo("unknown-field");
                    assertThat(e.getMessage()).doesNotContain(SECRET_KEY);
                });
        // AND nothing was written
        assertThat(registry.record("signed", "bad-1")).isEmpty();
        assertThat(secrets.get("signed", "bad-1", SIGNED)).isEmpty();
    }

    @Test
    void when_the_row_cannot_be_written_the_new_secret_is_deleted_again() {
        // GIVEN a directory whose table does not exist
        SellerDirectory broken = new SellerDirectory(new SellerRegistry(dynamoDb, "no-such-table"), Optional.of(secrets), SCHEMAS,
                Clock.systemUTC());
        // WHEN a new seller registers
        assertThatThrownBy(() -> broken.register("signed", "half-1", fields("A00012345", ACCESS_KEY, SECRET_KEY)))
                .isInstanceOf(SellerStoreException.class).hasMessageContaining("its secret was put back as it was")
                .hasMessageNotContaining(SECRET_KEY);
        // THEN no secret is left behind
        assertThat(secrets.get("signed", "half-1", SIGNED)).isEmpty();
    }

    @Test
    void when_the_row_of_a_re_registration_cannot_be_written_the_credentials_before_stay_current() {
        // GIVEN a registered seller
        directory.register("signed", "half-2", fields("A00000001", ACCESS_KEY, SECRET_KEY));
        String before = registry.record("signed", "half-2").orElseThrow().credentialsVersion().orElseThrow();
        SellerDirectory broken = new SellerDirectory(new SellerRegistry(dynamoDb, "no-such-table"), Optional.of(secrets), SCHEMAS,
                Clock.systemUTC());
        // WHEN new credentials cannot be registered completely
        assertThatThrownBy(() -> broken.register("signed", "half-2", fields("A00000002", ACCESS_KEY, TestSchemas.secretKey(2))))
                .isInstanceOf(SellerStoreException.class);
        // THEN the secret's current value is the one the row names
        StoredCredentials current = secrets.get("signed", "half-2", SIGNED).orElseThrow();
        assertThat(current.versionId()).isEqualTo(before);
        assertThat(current.credentials().get("vendorId")).isEqualTo("A00000001");
    }

    @Test
    void rejected_credentials_are_marked_once_and_new_ones_make_the_seller_active_again() {
        // GIVEN a registered seller whose credentials the market rejects
        directory.register("signed", "rej-1", fields("A00000001", ACCESS_KEY, SECRET_KEY));
        String v1 = registry.record("signed", "rej-1").orElseThrow().credentialsVersion().orElseThrow();
        // WHEN a collector that used v1 marks it, and a second one too
        boolean first = registry.markCredentialsRejected("signed", "rej-1", "HTTP 401: bad signature", NOW, Optional.of(v1));
        boolean second = registry.markCredentialsRejected("signed", "rej-1", "HTTP 401 again", NOW.plusSeconds(5), Optional.of(v1));
        // THEN it is credentials-rejected with the first reason and time
        SellerRecord rejected = registry.record("signed", "rej-1").orElseThrow();
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(rejected.status()).isEqualTo(SellerStatus.CREDENTIALS_REJECTED);
        assertThat(rejected.statusReason()).contains("HTTP 401: bad signature");
        assertThat(rejected.statusSince()).contains(NOW);
        // WHEN new credentials are registered
        directory.register("signed", "rej-1", fields("A00000001", ACCESS_KEY, TestSchemas.secretKey(9)));
        // THEN it is active again, and a collector still holding v1 cannot mark the new ones
        SellerRecord again = registry.record("signed", "rej-1").orElseThrow();
        assertThat(again.status()).isEqualTo(SellerStatus.ACTIVE);
        assertThat(again.statusReason()).isEmpty();
        assertThat(registry.markCredentialsRejected("signed", "rej-1", "stale", NOW, Optional.of(v1))).isFalse();
        assertThat(registry.record("signed", "rej-1").orElseThrow().status()).isEqualTo(SellerStatus.ACTIVE);
        // AND an unregistered seller is never created by a mark
        assertThat(registry.markCredentialsRejected("signed", "nobody", "x", NOW, Optional.empty())).isFalse();
        assertThat(registry.record("signed", "nobody")).isEmpty();
    }

    @Test
    void a_market_whose_key_is_the_environments_registers_the_row_only() {
        SellerDirectory.Registration r = directory.register("keyed", "row-1", Map.of());
        assertThat(r.seller().credentialsVersion()).isEmpty();
        assertThat(registry.record("keyed", "row-1")).isPresent();
        assertThatThrownBy(() -> directory.register("keyed", "row-2", Map.of("apiKey", SECRET_KEY)))
                .isInstanceOf(InvalidCredentialsException.class).hasMessageNotContaining(SECRET_KEY);
    }

    @Test
    void a_removed_seller_loses_row_and_secret_and_a_second_removal_finds_nothing() {
        directory.register("signed", "rm-1", fields("A00000001", ACCESS_KEY, SECRET_KEY));
        SellerDirectory.Removal removal = directory.remove("signed", "rm-1");
        assertThat(removal.seller()).isPresent();
        assertThat(removal.secret()).isPresent();
        assertThat(registry.record("signed", "rm-1")).isEmpty();
        assertThat(secrets.get("signed", "rm-1", SIGNED)).isEmpty();
        assertThat(directory.remove("signed", "rm-1").removedAnything()).isFalse();
    }

    @Test
    void a_markets_sellers_are_listed_in_pages_and_rows_seeded_without_credentials_keep_their_vendor() {
        for (int i = 1; i <= 5; i++) {
            registry.put("paged", Seller.of("p-" + i).withVendorId("V" + i), i != 3);
        }
        SellerRegistry.Page first = registry.page("paged", Optional.empty(), 2);
        assertThat(first.sellers()).extracting(SellerRecord::sellerId).containsExactly("p-1", "p-2");
        assertThat(first.next()).contains("p-2");
        SellerRegistry.Page rest = registry.page("paged", first.next(), 10);
        assertThat(rest.sellers()).extracting(SellerRecord::sellerId).containsExactly("p-3", "p-4", "p-5");
        assertThat(rest.next()).isEmpty();
        assertThat(registry.activeSellers("paged")).extracting(Seller::id).containsExactly("p-1", "p-2", "p-4", "p-5");
        assertThat(registry.find("paged", "p-4").orElseThrow().vendorId()).contains("V4");
    }
}
