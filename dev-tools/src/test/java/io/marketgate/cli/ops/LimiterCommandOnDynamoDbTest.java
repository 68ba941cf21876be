package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.embedded.aws.LocalAws;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Decision;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.dynamodb.DynamoDbLimiterStore;
import io.marketgate.limiter.dynamodb.DynamoDbStoreOptions;
import io.marketgate.limiter.dynamodb.LimiterTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code marketgate limiter …} on a market whose egress group keeps its budgets in DynamoDB (dev's Cafe24, on the
 * dynamic-IP group): the command goes to the limiter table (here on dynalite), where the fleet's Cafe24 functions
 * decide, and not to the Valkey the other markets use, where a pause would change nothing.
 */
class LimiterCommandOnDynamoDbTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedDynamoDb dynamoDb;
    private static ValkeyServer valkey;
    private static EnvironmentConfig dev;
    private static String previousKeyId;
    private static String previousSecret;

    @BeforeAll
    static void start() {
        dev = EnvironmentLoader.load(Path.of(ENVIRONMENTS), "dev");
        dynamoDb = EmbeddedDynamoDb.start();
        try (DynamoDbClient admin = dynamoDb.client()) {
            LimiterTable.create(admin, "dev-limiter");
        }
        valkey = new ValkeyServer().start();
        // the SDK's default credentials, as an operator's profile gives them: here dynalite's dummy keys
        previousKeyId = System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        previousSecret = System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
    }

    @AfterAll
    static void stop() {
        restore("aws.accessKeyId", previousKeyId);
        restore("aws.secretAccessKey", previousSecret);
        valkey.close();
        dynamoDb.close();
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }

    /** The fleet's Cafe24 limiter as its functions open it: dev's budgets in the limiter table. */
    private static PriorityLimiter fleetLimiter() {
        return PriorityLimiter.builder().budgets(dev.market("cafe24").limiterBudgets())
                .store(DynamoDbLimiterStore.create(dynamoDb.client(),
                        DynamoDbStoreOptions.table("dev-limiter").keyPrefix(dev.limiter().keyPrefix()).build()))
                .build();
    }

    private static CliRun limiter(String... args) {
        List<String> all = new ArrayList<>(List.of("limiter"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS, "--valkey", valkey.uri(), "--dynamodb-endpoint", dynamoDb.endpoint().toString()));
        if (!args[0].equals("status")) {
            all.add("--yes");
        }
        return CliRun.of(all);
    }

    @Test
    void status_shows_the_units_that_stand_for_the_markets_own_level_of_a_mall() throws Exception {
        // GIVEN the fleet granted one call on mall shop7 and Cafe24 answered it with its bucket at 30 of 40 (other apps)
        try (PriorityLimiter fleet = fleetLimiter()) {
            Decision grant = fleet.tryAcquire(Call.of(Priority.MEDIUM, "cafe24/mall:shop7", "cafe24/burst:shop7"));
            assertThat(grant.granted()).isTrue();
            fleet.observeMarketLevel("cafe24/mall:shop7", 30, 40, grant);
        }

        // WHEN on-call reads that mall's window
        CliRun text = limiter("status", "--market", "cafe24", "--budget", "mall:shop7");
        CliRun json = limiter("status", "--market", "cafe24", "--budget", "mall:shop7", "--json");

        // THEN it shows the fleet's one call and the market's units beside it, which leave the mall no more room than
        // Cafe24's bucket has (40 - 30, less the 4 the configured 36 keep below it: 6 left of 36)
        assertThat(text.exitCode()).as(text.toString()).isZero();
        JsonNode b = JSON.readTree(json.out()).path("budgets").get(0);
        assertThat(b.at("/usageLastWindow/MEDIUM").asLong()).isEqualTo(1);
        assertThat(b.path("marketUnits").asLong()).isEqualTo(29);
        assertThat(text.out()).contains("+ market 29  (30 of 36)");
    }

    @Test
    void pausing_cafe24_pauses_it_in_the_limiter_table_where_its_functions_decide_and_not_in_valkey() throws Exception {
        // WHEN LOW is paused on Cafe24, whose group keeps its budgets in DynamoDB
        CliRun run = limiter("pause", "--market", "cafe24", "--priority", "low", "--for", "15m");

        // THEN the fleet's Cafe24 limiter on the table refuses LOW on a mall and still grants HIGH
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("paused LOW on cafe24/mall, cafe24/burst, cafe24/token, cafe24/salesreport for 15m");
        try (PriorityLimiter fleet = fleetLimiter()) {
            assertThat(fleet.tryAcquire(Call.of(Priority.LOW, "cafe24/mall:shop1", "cafe24/burst:shop1")).reason().name())
                    .isEqualTo("PAUSED");
            assertThat(fleet.tryAcquire(Call.of(Priority.HIGH, "cafe24/mall:shop1", "cafe24/burst:shop1")).granted()).isTrue();
        }
        // AND nothing was written to Valkey
        assertThat(valkey.command("DBSIZE")).isEqualTo(0L);

        // WHEN the status of every market is read
        CliRun status = limiter("status", "--json");

        // THEN Cafe24's budgets come from the table (LOW paused) and the other markets' from Valkey
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode budgets = JSON.readTree(status.out()).path("budgets");
        List<String> names = new ArrayList<>();
        budgets.forEach(b -> names.add(b.path("budget").asText()));
        assertThat(names).contains("coupang/vendor", "naver/dispatch", "11st/pace", "cafe24/mall", "cafe24/burst");
        budgets.forEach(b -> assertThat(b.at("/pausedUntil/LOW").isTextual()).as(b.path("budget").asText())
                .isEqualTo(b.path("budget").asText().startsWith("cafe24/")));
    }
}
