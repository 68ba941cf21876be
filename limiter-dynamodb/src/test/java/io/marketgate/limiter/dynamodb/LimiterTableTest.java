package io.marketgate.limiter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.ManualClock;
import io.marketgate.limiter.Priority;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/** The table and its items look as {@link LimiterTable} documents them. */
class LimiterTableTest {

    private static final String TABLE = "limiter";
    private static final long T0 = 1_800_000_000L;
    private static EmbeddedDynamoDb dynamoDb;
    private static DynamoDbClient client;

    private final ManualClock clock = ManualClock.atEpochSecond(T0);
    private final Budget mall = Budget.named("cafe24/mall").limit(36).window(Duration.ofSeconds(20)).build();
    private final Budget burst = Budget.named("cafe24/burst").limit(10).window(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void startServer() {
        dynamoDb = EmbeddedDynamoDb.start();
        client = dynamoDb.client();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        dynamoDb.close();
    }

    private DynamoDbLimiterStore store(String prefix) {
        return DynamoDbLimiterStore.create(dynamoDb.client(), DynamoDbStoreOptions.table(TABLE).keyPrefix(prefix)
                .clock(clock).denialMemory(Duration.ZERO).build());
    }

    private static Map<String, AttributeValue> item(String pk) {
        return client.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(LimiterTable.PK, AttributeValue.fromS(pk)))).item();
    }

    @Test
    void create_makes_an_on_demand_table_keyed_by_pk_once() {
        LimiterTable.create(client, TABLE);
        LimiterTable.create(client, TABLE);

        TableDescription t = client.describeTable(b -> b.tableName(TABLE)).table();
        assertThat(t.keySchema()).singleElement().satisfies(k -> assertThat(k.attributeName()).isEqualTo("pk"));
        assertThat(t.attributeDefinitions()).singleElement().satisfies(d -> assertThat(d.attributeTypeAsString()).isEqualTo("S"));
        assertThat(t.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void a_mall_s_budgets_share_one_item_and_the_market_s_item_holds_the_configured_budget_s_control() {
        // GIVEN
        LimiterTable.create(client, TABLE);
        try (DynamoDbLimiterStore store = store("layout")) {
            // WHEN a call draws from both budgets of mall shop42, and LOW is paused on the configured mall budget
            store.decide(List.of(mall.forKey("shop42"), burst.forKey("shop42")), Priority.MEDIUM, 1);
            store.pause(mall, Priority.LOW, Duration.ofMinutes(5));
        }

        // THEN one item per mall with both windows, version and expiry (a minute after the 20 s window's last entry)
        Map<String, AttributeValue> shop = item("layout:cafe24#shop42");
        assertThat(shop.keySet()).containsExactlyInAnyOrder("pk", "v", "expiresAt", "log:cafe24/mall:shop42", "log:cafe24/burst:shop42");
        assertThat(shop.get("v").n()).isEqualTo("1");
        assertThat(Long.parseLong(shop.get("expiresAt").n())).isEqualTo(T0 + 20 + 1 + 60);
        assertThat(WindowLog.decode(shop.get("log:cafe24/mall:shop42").b().asByteArray(), "log").entries())
                .singleElement().satisfies(e -> {
                    assertThat(e.stamp()).isEqualTo(T0 * 1_000_000L);
                    assertThat(e.cost()).isEqualTo(1);
                    assertThat(e.priority()).isEqualTo(Priority.MEDIUM.ordinal());
                });
        // AND the market's item holds the pause of the configured budget, in µs, until it ends
        Map<String, AttributeValue> market = item("layout:cafe24");
        assertThat(market.get("ctl:cafe24/mall").m()).containsOnlyKeys("p2");
        assertThat(market.get("ctl:cafe24/mall").m().get("p2").n()).isEqualTo(Long.toString((T0 + 300) * 1_000_000L));
        assertThat(Long.parseLong(market.get("expiresAt").n())).isEqualTo(T0 + 300 + 1 + 60);
    }

    @Test
    void a_write_drops_what_has_left_the_window_and_keeps_attributes_it_does_not_know() {
        // GIVEN a grant, and an attribute some other tool added to the item
        LimiterTable.create(client, TABLE);
        try (DynamoDbLimiterStore store = store("compact")) {
            store.decide(List.of(burst.forKey("shop7")), Priority.HIGH, 1);
            client.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("compact:cafe24#shop7")))
                    .updateExpression("SET note = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromS("kept"))));

            // WHEN the window has passed and another call is granted
            clock.advance(Duration.ofSeconds(1));
            store.decide(List.of(burst.forKey("shop7")), Priority.HIGH, 1);
        }

        // THEN the log holds the new grant only, and the other attribute is still there
        Map<String, AttributeValue> item = item("compact:cafe24#shop7");
        assertThat(WindowLog.decode(item.get("log:cafe24/burst:shop7").b().asByteArray(), "log").entries())
                .singleElement().satisfies(e -> assertThat(e.stamp()).isEqualTo((T0 + 1) * 1_000_000L));
        assertThat(item.get("note").s()).isEqualTo("kept");
        assertThat(item.get("v").n()).isEqualTo("2");
    }

    @Test
    void resuming_or_clearing_what_was_never_set_writes_nothing() {
        LimiterTable.create(client, TABLE);
        try (DynamoDbLimiterStore store = store("nothing")) {
            store.resume(burst.forKey("shop1"), Priority.LOW);
            store.clearOverride(burst.forKey("shop1"));

            assertThat(store.statistics().itemWrites()).isZero();
        }
        assertThat(item("nothing:cafe24#shop1")).isEmpty();
    }
}
