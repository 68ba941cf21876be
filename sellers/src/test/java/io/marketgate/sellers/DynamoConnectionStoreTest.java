package io.marketgate.sellers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.deployed.tokens.TokenEncryption;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.market.auth.CachedToken;
import io.marketgate.market.auth.ConnectionTokens;
import io.marketgate.market.auth.MallConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The connections in the sellers table on dynalite: sealed tokens, and every condition of the refresh protocol. */
class DynamoConnectionStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String TABLE = "conn-sellers";

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;
    private static DynamoConnectionStore store;

    @BeforeAll
    static void start() {
        server = EmbeddedDynamoDb.start();
        dynamoDb = server.client();
        TestSchemas.createSellersTable(dynamoDb, TABLE);
        store = new DynamoConnectionStore(dynamoDb, TABLE, TokenEncryption.generated());
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        server.close();
    }

    private static ConnectionTokens pair(String access, String refresh, Instant refreshExpires) {
        return new ConnectionTokens(new CachedToken(access, T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofMinutes(110))),
                new CachedToken(refresh, refreshExpires, refreshExpires.minus(Duration.ofDays(1))));
    }

    @Test
    void a_consent_is_stored_sealed_and_read_back_and_a_new_consent_raises_the_version() {
        // WHEN a seller connects, then connects again
        MallConnection first = store.connect("cafe24", "seal-1", pair("ACCESS-PLAIN-1", "REFRESH-PLAIN-1", T0.plus(Duration.ofDays(14))), T0);
        MallConnection second = store.connect("cafe24", "seal-1", pair("ACCESS-PLAIN-2", "REFRESH-PLAIN-2", T0.plus(Duration.ofDays(14))), T0);

        // THEN versions 1 and 2, the tokens read back, and none of them readable in the table
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        MallConnection read = store.read("cafe24", "seal-1").orElseThrow();
        assertThat(read.tokens().orElseThrow().access().value()).isEqualTo("ACCESS-PLAIN-2");
        assertThat(read.tokens().orElseThrow().refresh()).isEqualTo(pair("x", "REFRESH-PLAIN-2", T0.plus(Duration.ofDays(14))).refresh());
        assertThat(dynamoDb.scan(b -> b.tableName(TABLE)).items().toString()).doesNotContain("PLAIN");
        assertThat(read.toString()).doesNotContain("PLAIN");
        // AND another environment's key does not open them
        DynamoConnectionStore otherKey = new DynamoConnectionStore(dynamoDb, TABLE, TokenEncryption.generated());
        assertThatThrownBy(() -> otherKey.read("cafe24", "seal-1")).isInstanceOf(SellerStoreException.class)
                .hasMessageContaining("does not open with this environment's token key").hasMessageNotContaining("PLAIN");
    }

    @Test
    void one_claim_of_a_version_wins_until_its_lease_ends_and_a_refreshed_pair_is_written_over_that_version_only() {
        store.connect("cafe24", "claim-1", pair("A0", "R0", T0.plus(Duration.ofDays(14))), T0);

        boolean first = store.claim("cafe24", "claim-1", 1, "a", T0.plus(Duration.ofMinutes(2)), T0);
        boolean second = store.claim("cafe24", "claim-1", 1, "b", T0.plus(Duration.ofMinutes(2)), T0.plusSeconds(60));
        boolean afterLease = store.claim("cafe24", "claim-1", 1, "b", T0.plus(Duration.ofMinutes(4)), T0.plusSeconds(120));
        boolean written = store.refreshed("cafe24", "claim-1", 1, pair("A1", "R1", T0.plus(Duration.ofDays(14))), T0);
        boolean stale = store.refreshed("cafe24", "claim-1", 1, pair("A9", "R9", T0.plus(Duration.ofDays(14))), T0);

        assertThat(first).isTrue();
        assertThat(second).as("the lease holds").isFalse();
        assertThat(afterLease).as("the lease ended").isTrue();
        assertThat(written).isTrue();
        assertThat(stale).as("version 1 is gone").isFalse();
        MallConnection now = store.read("cafe24", "claim-1").orElseThrow();
        assertThat(now.version()).isEqualTo(2);
        assertThat(now.lease()).isEmpty();
        assertThat(now.tokens().orElseThrow().refresh().value()).isEqualTo("R1");
    }

    @Test
    void a_release_ends_only_its_owners_lease_and_a_mark_removes_the_tokens() {
        store.connect("cafe24", "mark-1", pair("A0", "R0", T0.plus(Duration.ofDays(14))), T0);
        store.claim("cafe24", "mark-1", 1, "a", T0.plus(Duration.ofMinutes(2)), T0);

        store.release("cafe24", "mark-1", 1, "b");
        boolean heldAfterOthersRelease = store.read("cafe24", "mark-1").orElseThrow().lease().isPresent();
        store.release("cafe24", "mark-1", 1, "a");
        boolean marked = store.markReconnectRequired("cafe24", "mark-1", 1, "invalid_grant: revoked", T0);
        boolean markedTwice = store.markReconnectRequired("cafe24", "mark-1", 1, "again", T0);

        assertThat(heldAfterOthersRelease).isTrue();
        assertThat(marked).isTrue();
        assertThat(markedTwice).isFalse();
        MallConnection c = store.read("cafe24", "mark-1").orElseThrow();
        assertThat(c.status()).isEqualTo(MallConnection.Status.RECONNECT_REQUIRED);
        assertThat(c.tokens()).isEmpty();
        assertThat(c.reason()).contains("invalid_grant: revoked");
        assertThat(c.reconnectFrom()).contains(1L);
        // AND the pair a refresh of version 1 did get still goes over the mark
        assertThat(store.refreshed("cafe24", "mark-1", 1, pair("A1", "R1", T0.plus(Duration.ofDays(14))), T0)).isTrue();
        assertThat(store.read("cafe24", "mark-1").orElseThrow().connected()).isTrue();
    }

    @Test
    void the_keep_alive_finds_connected_malls_whose_refresh_token_ends_soon() {
        store.connect("keep", "soon-1", pair("A", "R", T0.plus(Duration.ofHours(20))), T0);
        store.connect("keep", "later-1", pair("A", "R", T0.plus(Duration.ofDays(10))), T0);
        store.connect("keep", "gone-1", pair("A", "R", T0.plus(Duration.ofHours(5))), T0);
        store.markReconnectRequired("keep", "gone-1", 1, "revoked", T0);

        assertThat(store.expiringBefore("keep", T0.plus(Duration.ofDays(1)), 100)).containsExactly("soon-1");
    }
}
