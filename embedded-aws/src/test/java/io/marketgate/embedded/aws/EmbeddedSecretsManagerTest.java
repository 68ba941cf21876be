package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

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
    void a_new_value_becomes_current_and_the_one_before_previous() {
        // GIVEN a secret with a first value
        String first = secrets.createSecret(b -> b.name("rotated").secretString("old")).versionId();
        // WHEN a second and a third value are put
        String second = secrets.putSecretValue(b -> b.secretId("rotated").secretString("new")).versionId();
        String third = secrets.putSecretValue(b -> b.secretId("rotated").secretString("newest")).versionId();
        // THEN the newest is AWSCURRENT, the one before AWSPREVIOUS, and the first (unlabelled) is gone
        GetSecretValueResponse value = secrets.getSecretValue(b -> b.secretId("rotated"));
        assertThat(value.secretString()).isEqualTo("newest");
        assertThat(value.versionId()).isEqualTo(third);
        assertThat(secrets.getSecretValue(b -> b.secretId("rotated").versionStage("AWSPREVIOUS")).secretString()).isEqualTo("new");
        assertThat(secrets.describeSecret(b -> b.secretId("rotated")).versionIdsToStages())
                .containsOnlyKeys(second, third).containsEntry(third, List.of("AWSCURRENT")).containsEntry(second, List.of("AWSPREVIOUS"));
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("rotated").versionId(first)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void moving_awscurrent_back_undoes_a_put() {
        // GIVEN a secret whose value was replaced
        String first = secrets.createSecret(b -> b.name("undone").secretString("old")).versionId();
        String second = secrets.putSecretValue(b -> b.secretId("undone").secretString("new")).versionId();
        // WHEN AWSCURRENT moves back to the first version
        secrets.updateSecretVersionStage(b -> b.secretId("undone").versionStage("AWSCURRENT").moveToVersionId(first)
                .removeFromVersionId(second));
        // THEN the first value is current again, and the second is AWSPREVIOUS
        assertThat(secrets.getSecretValue(b -> b.secretId("undone")).secretString()).isEqualTo("old");
        assertThat(secrets.describeSecret(b -> b.secretId("undone")).versionIdsToStages())
                .containsEntry(first, List.of("AWSCURRENT")).containsEntry(second, List.of("AWSPREVIOUS"));
    }

    @Test
    void moving_a_label_from_a_version_that_has_not_got_it_is_refused() {
        String first = secrets.createSecret(b -> b.name("stages").secretString("a")).versionId();
        String second = secrets.putSecretValue(b -> b.secretId("stages").secretString("b")).versionId();
        assertThatThrownBy(() -> secrets.updateSecretVersionStage(b -> b.secretId("stages").versionStage("AWSCURRENT")
                .moveToVersionId(first).removeFromVersionId(first)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining(second);
    }

    @Test
    void tags_given_at_creation_and_later_are_described() {
        secrets.createSecret(b -> b.name("tagged").secretString("x").tags(Tag.builder().key("market").value("coupang").build()));
        secrets.tagResource(b -> b.secretId("tagged").tags(Tag.builder().key("seller").value("S1").build()));
        assertThat(secrets.describeSecret(b -> b.secretId("tagged")).tags()).extracting(Tag::key, Tag::value)
                .containsExactly(tuple("market", "coupang"), tuple("seller", "S1"));
    }

    @Test
    void a_secret_in_its_recovery_window_can_be_neither_read_nor_created_again_until_restored() {
        // GIVEN a secret deleted with a recovery window
        secrets.createSecret(b -> b.name("recoverable").secretString("kept"));
        DeleteSecretResponse deleted = secrets.deleteSecret(b -> b.secretId("recoverable").recoveryWindowInDays(7L));
        assertThat(deleted.deletionDate()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        // THEN it is described with its deletion date, not listed, and neither read, written nor created again
        assertThat(secrets.describeSecret(b -> b.secretId("recoverable")).deletedDate()).isEqualTo(deleted.deletionDate());
        assertThat(secrets.listSecrets().secretList()).extracting(SecretListEntry::name).doesNotContain("recoverable");
        assertThat(secrets.listSecrets(b -> b.includePlannedDeletion(true)).secretList()).extracting(SecretListEntry::name)
                .contains("recoverable");
        assertThatThrownBy(() -> secrets.getSecretValue(b -> b.secretId("recoverable")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("marked for deletion");
        assertThatThrownBy(() -> secrets.putSecretValue(b -> b.secretId("recoverable").secretString("new")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("marked for deletion");
        assertThatThrownBy(() -> secrets.createSecret(b -> b.name("recoverable").secretString("new")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("scheduled for deletion");
        // WHEN it is restored THEN its value is back
        secrets.restoreSecret(b -> b.secretId("recoverable"));
        assertThat(secrets.getSecretValue(b -> b.secretId("recoverable")).secretString()).isEqualTo("kept");
        assertThat(secrets.describeSecret(b -> b.secretId("recoverable")).deletedDate()).isNull();
    }

    @Test
    void a_recovery_window_outside_7_to_30_days_or_with_force_is_refused() {
        secrets.createSecret(b -> b.name("window").secretString("x"));
        assertThatThrownBy(() -> secrets.deleteSecret(b -> b.secretId("window").recoveryWindowInDays(6L)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("between 7 and 30");
        assertThatThrownBy(() -> secrets.deleteSecret(b -> b.secretId("window").recoveryWindowInDays(7L).forceDeleteWithoutRecovery(true)))
                .isInstanceOf(InvalidParameterException.class);
        assertThat(secrets.getSecretValue(b -> b.secretId("window")).secretString()).isEqualTo("x");
    }

    @Test
    void forcing_the_deletion_of_a_secret_that_does_not_exist_is_no_error() {
        assertThat(secrets.deleteSecret(b -> b.secretId("never-was").forceDeleteWithoutRecovery(true)).name()).isEqualTo("never-was");
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
