package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/** The SDK's own Secrets Manager client against {@link EmbeddedSecretsManager}. */
class EmbeddedSecretsManagerTest {

    private static EmbeddedSecretsManager server;
    private static SecretsManagerClient secrets;

    @BeforeAll
    static void start() {
        server = EmbeddedSecretsManager.start();
        secrets = server.client();
    }

    @AfterAll
    static void stop() {
        secrets.close();
        server.close();
    }

    @Test
    void a_created_secret_is_read_by_name_and_by_arn() {
        // GIVEN a secret as the CDK app makes the limiter's
        CreateSecretResponse created = secrets.createSecret(b -> b.name("dev-limiter-valkey").description("the limiter's user")
                .secretString("{\"username\":\"marketgate\",\"password\":\"p\"}"));
        // THEN its ARN has Secrets Manager's shape, and both the name and the ARN find it
        assertThat(created.arn()).matches("arn:aws:secretsmanager:ap-northeast-2:\\d{12}:secret:dev-limiter-valkey-[A-Za-z0-9]{6}");
        for (String id : new String[] {"dev-limiter-valkey", created.arn()}) {
            GetSecretValueResponse value = secrets.getSecretValue(b -> b.secretId(id));
            assertThat(value.secretString()).isEqualTo("{\"username\":\"marketgate\",\"password\":\"p\"}");
            assertThat(value.arn()).isEqualTo(created.arn());
            assertThat(value.versionId()).isEqualTo(created.versionId());
            assertThat(value.versionStages()).containsExactly("AWSCURRENT");
        }
        assertThat(secrets.describeSecret(b -> b.secretId(created.arn())).description()).isEqualTo("the limiter's user");
    }

    @Test
    void a_new_value_replaces_the_current_one() {
        secrets.createSecret(b -> b.name("rotated").secretString("old"));
        String version = secrets.putSecretValue(b -> b.secretId("rotated").secretString("new")).versionId();
        GetSecretValueResponse value = secrets.getSecretValue(b -> b.secretId("rotated"));
        assertThat(value.secretString()).isEqualTo("new");
        assertThat(value.versionId()).isEqualTo(version);
        assertThat(secrets.describeSecret(b -> b.secretId("rotated")).versionIdsToStages()).containsOnlyKeys(version);
    }

    @Test
    void the_sdk_sees_secrets_managers_own_errors() {
        secrets.createSecret(b -> b.name("twice").secretString("x"));
        assertThatThrownBy(() -> secrets.createSecret(b -> b.name("twice").secretString("y")))
                .isInstanceOf(ResourceExistsException.class).hasMessageContaining("twice already exists");
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("nowhere")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("can't find the specified secret");
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("")))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("SecretId");
    }

    @Test
    void a_deleted_secret_is_gone_and_listed_no_more() {
        secrets.createSecret(b -> b.name("short-lived").secretString("x"));
        assertThat(secrets.listSecrets().secretList()).extracting(SecretListEntry::name).contains("short-lived");
        secrets.deleteSecret(b -> b.secretId("short-lived").forceDeleteWithoutRecovery(true));
        assertThat(secrets.listSecrets().secretList()).extracting(SecretListEntry::name).doesNotContain("short-lived");
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("short-lived"))).isInstanceOf(ResourceNotFoundException.class);
    }
}
