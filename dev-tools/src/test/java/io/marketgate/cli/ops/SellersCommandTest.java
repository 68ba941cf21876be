package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.EmbeddedSecretsManager;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.sellers.SellerRegistry;
import io.marketgate.sellers.SellerStatus;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * {@code marketgate sellers …} with {@code --local} against dynalite and the embedded Secrets Manager, found through the
 * local platform's endpoints file; market coupang with a signing market's credential fields.
 */
class SellersCommandTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CredentialSchema SCHEMA = CredentialSchema.of(List.of(
            CredentialField.id("vendorId", "A[0-9]{8}", "A and 8 digits"),
            CredentialField.secret("accessKey", "[0-9a-f-]{36}", "a UUID"),
            CredentialField.secret("secretKey", "[0-9a-f]{40}", "40 hex digits")));
    private static final String ACCESS_KEY = "0f8e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String SECRET_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    private static EmbeddedDynamoDb dynamoServer;
    private static EmbeddedSecretsManager secretsServer;
    private static DynamoDbClient dynamoDb;
    private static SecretsManagerClient secrets;

    @TempDir
    Path home;

    private String previousHome;
    private String stdin = "";
    private Answering terminal = new Answering(false);

    /** A terminal that answers in the operator's place and remembers what it was asked. */
    static final class Answering implements Terminal {
        final boolean interactive;
        final List<String> answers;
        final List<String> prompts = new ArrayList<>();

        Answering(boolean interactive, String... answers) {
            this.interactive = interactive;
            this.answers = new ArrayList<>(List.of(answers));
        }

        @Override
        public boolean interactive() {
            return interactive;
        }

        @Override
        public String readLine(String prompt) {
            prompts.add(prompt);
            return answers.isEmpty() ? null : answers.remove(0);
        }
    }

    @BeforeAll
    static void startServers() {
        dynamoServer = EmbeddedDynamoDb.start();
        secretsServer = EmbeddedSecretsManager.start();
        dynamoDb = dynamoServer.client();
        secrets = secretsServer.client();
        TableSchemas.createAll(dynamoDb, Tables.withPrefix("dev-"));
    }

    @AfterAll
    static void stopServers() {
        dynamoDb.close();
        secrets.close();
        dynamoServer.close();
        secretsServer.close();
    }

    @BeforeEach
    void endpoints() {
        previousHome = System.getProperty("marketgate.home");
        System.setProperty("marketgate.home", home.toString());
        LocalEndpoints.write(LocalEndpoints.defaultFile(), new LocalEndpoints("dev", URI.create("http://127.0.0.1:1"), Optional.empty(),
                URI.create("http://127.0.0.1:1"), dynamoServer.endpoint(), Optional.empty(), Optional.empty(),
                ProcessHandle.current().pid(), Optional.of(secretsServer.endpoint())));
    }

    @AfterEach
    void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("marketgate.home");
        } else {
            System.setProperty("marketgate.home", previousHome);
        }
    }

    /** {@code marketgate sellers <args>} with the test's schema, standard input and terminal. */
    private CliRun sellers(String... args) {
        List<String> all = new ArrayList<>(List.of("sellers"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS));
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof SellersCommand.Base base) {
                    base.schemas = (env, market) -> SCHEMA;
                }
                if (k instanceof SellersCommand.Add add) {
                    add.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (k instanceof SellersCommand.Remove remove) {
                    remove.terminal = terminal;
                }
                return k;
            }
        };
        return CliRun.of(factory, all);
    }

    private Path credentials(String json) throws Exception {
        return Files.writeString(home.resolve("credentials-" + System.nanoTime() + ".json"), json);
    }

    private static boolean secretExists(String seller) {
        try {
            secrets.describeSecret(b -> b.secretId("dev/marketgate/sellers/coupang/" + seller));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static SellerRegistry registry() {
        return new SellerRegistry(dynamoDb, "dev-sellers");
    }

    @Test
    void add_takes_the_secret_fields_from_a_file_and_prints_only_the_public_ones() throws Exception {
        Path file = credentials("{\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}");

        CliRun run = sellers("add", "--market", "coupang", "--seller", "cli-1", "--field", "vendorId=A00012345",
                "--credentials-file", file.toString(), "--local");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("registered seller cli-1 of coupang: status active, public fields {vendorId=A00012345}")
                .contains("secret dev/marketgate/sellers/coupang/cli-1");
        assertThat(run.out() + run.err()).doesNotContain(SECRET_KEY).doesNotContain(ACCESS_KEY);
        assertThat(secrets.getSecretValue(b -> b.secretId("dev/marketgate/sellers/coupang/cli-1")).secretString()).contains(SECRET_KEY);
        assertThat(registry().record("coupang", "cli-1").orElseThrow().publicFields()).containsEntry("vendorId", "A00012345");
    }

    @Test
    void add_reads_the_credentials_from_standard_input_with_a_dash() {
        stdin = "{\"vendorId\":\"A00000002\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}";

        CliRun run = sellers("add", "--market", "coupang", "--seller", "cli-2", "--credentials-file", "-", "--local", "--json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"status\" : \"active\"").contains("\"vendorId\" : \"A00000002\"").doesNotContain(SECRET_KEY);
        assertThat(secretExists("cli-2")).isTrue();
    }

    @Test
    void a_secret_field_on_the_command_line_is_refused_without_echoing_it_and_nothing_is_written() {
        CliRun run = sellers("add", "--market", "coupang", "--seller", "cli-3", "--field", "vendorId=A00000003",
                "--field", "secretKey=" + SECRET_KEY, "--local");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--field secretKey: a secret field is never taken from the command line")
                .doesNotContain(SECRET_KEY);
        assertThat(registry().record("coupang", "cli-3")).isEmpty();
        assertThat(secretExists("cli-3")).isFalse();
    }

    @Test
    void credentials_that_break_the_markets_rules_are_refused_naming_the_field_without_the_value() throws Exception {
        // the secret key pasted into the vendorId field, and a file that is not JSON right at a secret
        Path pasted = credentials("{\"vendorId\":\"" + SECRET_KEY + "\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}");
        Path broken = credentials("{\"secretKey\": " + SECRET_KEY + "}");

        CliRun wrongField = sellers("add", "--market", "coupang", "--seller", "cli-4", "--credentials-file", pasted.toString(), "--local");
        CliRun notJson = sellers("add", "--market", "coupang", "--seller", "cli-4", "--credentials-file", broken.toString(), "--local");

        assertThat(wrongField.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(wrongField.err()).contains("credentials.vendorId must be A and 8 digits")
                .contains("fields of coupang: vendorId, accessKey (secret), secretKey (secret)").doesNotContain(SECRET_KEY);
        assertThat(notJson.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notJson.err()).contains("not valid JSON at line 1").doesNotContain(SECRET_KEY);
        assertThat(registry().record("coupang", "cli-4")).isEmpty();
        assertThat(secretExists("cli-4")).isFalse();
    }

    @Test
    void list_shows_each_sellers_status_and_can_show_only_the_rejected_ones() throws Exception {
        Path file = credentials("{\"vendorId\":\"A00000005\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}");
        assertThat(sellers("add", "--market", "coupang", "--seller", "cli-5", "--credentials-file", file.toString(), "--local").exitCode()).isZero();
        assertThat(sellers("add", "--market", "coupang", "--seller", "cli-6", "--credentials-file", file.toString(), "--local").exitCode()).isZero();
        registry().markCredentialsRejected("coupang", "cli-6", "HTTP 401: invalid signature", Instant.parse("2026-11-02T03:04:05Z"), Optional.empty());

        CliRun all = sellers("list", "--market", "coupang", "--local");
        CliRun rejected = sellers("list", "--market", "coupang", "--status", "credentials-rejected", "--local", "--json");

        assertThat(all.exitCode()).as(all.toString()).isZero();
        assertThat(all.out()).containsPattern("cli-5 +active").containsPattern("cli-6 +credentials-rejected +2026-11-02T03:04:05Z")
                .contains("HTTP 401: invalid signature").doesNotContain(SECRET_KEY);
        JsonNode doc = JSON.readTree(rejected.out());
        assertThat(doc.get("sellers").findValuesAsText("sellerId")).containsExactly("cli-6");
        assertThat(doc.get("sellers").get(0).get("statusReason").asText()).isEqualTo("HTTP 401: invalid signature");
        assertThat(registry().record("coupang", "cli-6").orElseThrow().status()).isEqualTo(SellerStatus.CREDENTIALS_REJECTED);
        assertThat(sellers("list", "--market", "coupang", "--status", "sleepy", "--local").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void remove_of_a_deployed_environment_asks_first_and_without_a_terminal_or_with_a_no_changes_nothing() throws Exception {
        Path file = credentials("{\"vendorId\":\"A00000007\",\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\"}");
        assertThat(sellers("add", "--market", "coupang", "--seller", "cli-7", "--credentials-file", file.toString(), "--local").exitCode()).isZero();

        // no terminal, no --yes: the plan is shown and refused before any store is touched
        CliRun refused = sellers("remove", "--market", "coupang", "--seller", "cli-7", "--env", "dev");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(refused.out()).contains("remove seller cli-7 of coupang: its row in dev-sellers, then its secret "
                + "dev/marketgate/sellers/coupang/cli-7 (recoverable for 7 days)");
        assertThat(refused.err()).contains("confirmation needs a terminal");
        // a terminal that answers no
        terminal = new Answering(true, "n");
        CliRun cancelled = sellers("remove", "--market", "coupang", "--seller", "cli-7", "--env", "dev");
        assertThat(cancelled.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(cancelled.err()).contains("cancelled: nothing was changed");
        assertThat(terminal.prompts).containsExactly("Remove it from environment dev? [y/N] ");
        assertThat(registry().record("coupang", "cli-7")).isPresent();

        // the local platform is changed without a question; row and secret go
        CliRun removed = sellers("remove", "--market", "coupang", "--seller", "cli-7", "--local");
        assertThat(removed.exitCode()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("removed seller cli-7 of coupang; its secret dev/marketgate/sellers/coupang/cli-7 is deleted");
        assertThat(registry().record("coupang", "cli-7")).isEmpty();
        assertThat(secretExists("cli-7")).isFalse();
        CliRun again = sellers("remove", "--market", "coupang", "--seller", "cli-7", "--local");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(again.err()).contains("seller cli-7 of coupang is not registered");
    }
}
