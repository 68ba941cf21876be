package io.marketgate.sellers;

import static io.marketgate.sellers.TestSchemas.ACCESS_KEY;
import static io.marketgate.sellers.TestSchemas.SECRET_KEY;
import static io.marketgate.sellers.TestSchemas.SIGNED;
import static io.marketgate.sellers.TestSchemas.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.market.auth.Credentials;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/** The store against the embedded Secrets Manager, which keeps versions, stages and scheduled deletions as AWS does. */
class SellerCredentialStoreTest {

    private static EmbeddedSecretsManager server;
    private static SecretsManagerClient client;
    private static SellerCredentialStore store;

    @BeforeAll
    static void start() {
        server = EmbeddedSecretsManager.start();
        client = server.client();
        store = new SellerCredentialStore(client, "test", SecretDeletion.DEFAULT);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static Credentials credentials(String vendorId, String secretKey) {
        return SIGNED.validate(fields(vendorId, ACCESS_KEY, secretKey));
    }

    @Test
    void a_sellers_secret_is_named_by_environment_market_and_seller_and_holds_every_field() {
        // WHEN credentials are put for the first time
        SellerCredentialStore.Written w = store.put("shop", "named-1", credentials("A00000001", SECRET_KEY));
        // THEN one secret <env>/marketgate/sellers/<market>/<seller> holds the JSON of all fields, tagged with the market
        assertThat(w.secretName()).isEqualTo("test/marketgate/sellers/shop/named-1");
        assertThat(w.change()).isEqualTo(SellerCredentialStore.Change.CREATED);
        assertThat(client.getSecretValue(b -> b.secretId("test/marketgate/sellers/shop/named-1")).secretString())
                .isEqualTo("{\"vendorId\":\"A00000001\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}");
        assertThat(client.describeSecret(b -> b.secretId(w.secretName())).tags()).contains(
                Tag.builder().key("marketgate:market").value("shop").build(),
                Tag.builder().key("marketgate:seller").value("named-1").build());
        // AND they are read back, checked against the schema, with their version
        StoredCredentials read = store.get("shop", "named-1", SIGNED).orElseThrow();
        assertThat(read.credentials().get("secretKey")).isEqualTo(SECRET_KEY);
        assertThat(read.versionId()).isEqualTo(w.versionId());
        assertThat(SellerCredentialStore.secretPrefix("prod", "coupang")).isEqualTo("prod/marketgate/sellers/coupang/");
    }

    @Test
    void undoing_a_replacement_makes_the_value_before_current_again() {
        // GIVEN a seller's credentials, replaced by new ones
        String first = store.put("shop", "replaced-1", credentials("A00000001", SECRET_KEY)).versionId();
        SellerCredentialStore.Written second = store.put("shop", "replaced-1", credentials("A00000002", TestSchemas.secretKey(2)));
        assertThat(second.change()).isEqualTo(SellerCredentialStore.Change.REPLACED);
        assertThat(second.replacedVersion()).contains(first);
        assertThat(store.get("shop", "replaced-1", SIGNED).orElseThrow().credentials().get("vendorId")).isEqualTo("A00000002");
        // WHEN the replacement is undone
        store.undo(second);
        // THEN the first credentials are current again
        StoredCredentials now = store.get("shop", "replaced-1", SIGNED).orElseThrow();
        assertThat(now.credentials().get("vendorId")).isEqualTo("A00000001");
        assertThat(now.versionId()).isEqualTo(first);
    }

    @Test
    void undoing_a_creation_deletes_the_secret_at_once() {
        SellerCredentialStore.Written w = store.put("shop", "created-1", credentials("A00000001", SECRET_KEY));
        store.undo(w);
        assertThat(store.get("shop", "created-1", SIGNED)).isEmpty();
        // AND the name is free at once: a new registration creates it again
        assertThat(store.put("shop", "created-1", credentials("A00000001", SECRET_KEY)).change())
                .isEqualTo(SellerCredentialStore.Change.CREATED);
    }

    @Test
    void a_removed_sellers_secret_stays_recoverable_for_the_window_and_a_new_registration_restores_it() {
        // GIVEN a seller whose secret was deleted with the deployment's 7-day recovery window
        store.put("shop", "removed-1", credentials("A00000001", SECRET_KEY));
        SellerCredentialStore.Deleted deleted = store.delete("shop", "removed-1").orElseThrow();
        assertThat(deleted.recoverableUntil()).hasValueSatisfying(t -> assertThat(t).isAfter(Instant.now().plus(Duration.ofDays(6))));
        // THEN it reads as missing, and deleting it again finds nothing to delete
        assertThat(store.get("shop", "removed-1", SIGNED)).isEmpty();
        assertThat(store.delete("shop", "removed-1")).isEmpty();
        // WHEN the seller is registered again within the window
        SellerCredentialStore.Written again = store.put("shop", "removed-1", credentials("A00000003", TestSchemas.secretKey(3)));
        // THEN the secret is restored with the new value
        assertThat(again.change()).isEqualTo(SellerCredentialStore.Change.RESTORED);
        assertThat(store.get("shop", "removed-1", SIGNED).orElseThrow().credentials().get("vendorId")).isEqualTo("A00000003");
        // AND undoing that puts the old value back and schedules the deletion again
        store.undo(again);
        assertThat(store.get("shop", "removed-1", SIGNED)).isEmpty();
        assertThat(client.describeSecret(b -> b.secretId(again.secretName())).deletedDate()).isNotNull();
    }

    @Test
    void locally_a_removed_sellers_secret_is_deleted_at_once() {
        SellerCredentialStore local = new SellerCredentialStore(client, "local", SecretDeletion.immediately());
        local.put("shop", "gone-1", credentials("A00000001", SECRET_KEY));
        assertThat(local.delete("shop", "gone-1")).hasValueSatisfying(d -> assertThat(d.recoverableUntil()).isEmpty());
        assertThat(client.listSecrets(b -> b.includePlannedDeletion(true)).secretList())
                .noneMatch(s -> s.name().equals("local/marketgate/sellers/shop/gone-1"));
    }

    @Test
    void a_secret_that_does_not_hold_the_markets_credentials_is_reported_without_its_values() {
        // GIVEN secrets written by hand: one not JSON, one with a secret pasted into the public field
        client.createSecret(b -> b.name("test/marketgate/sellers/shop/broken-1").secretString("not json " + SECRET_KEY));
        client.createSecret(b -> b.name("test/marketgate/sellers/shop/broken-2").secretString(
                "{\"vendorId\":\"" + SECRET_KEY + "\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}"));
        // THEN reading them fails naming the secret and the field, never a value
        assertThatThrownBy(() -> store.get("shop", "broken-1", SIGNED)).isInstanceOf(SellerStoreException.class)
                .hasMessageContaining("broken-1 is not a JSON object").hasMessageNotContaining(SECRET_KEY);
        assertThatThrownBy(() -> store.get("shop", "broken-2", SIGNED)).isInstanceOf(SellerStoreException.class)
                .hasMessageContaining("credentials.vendorId must be A and 8 digits").hasMessageNotContaining(SECRET_KEY);
    }

    @Test
    void a_name_part_that_secrets_manager_does_not_allow_is_refused_naming_it() {
        assertThatThrownBy(() -> store.secretName("shop", "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sellerId 'a/b'");
        assertThat(store.get("shop", "never-registered", SIGNED)).isEqualTo(Optional.empty());
    }
}
