package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.ValkeyServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token store's keys, commands and script on a real server; the token cache's contract is deployed-store's. */
class ValkeyTokenStoreTest {

    private static final String KEY = "naver:app:SELF:-";
    private static ValkeyServer server;
    private ValkeyTokenStore store;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void open() {
        server.command("FLUSHALL");
        store = ValkeyTokenStore.standalone(server.uri(), ValkeyStoreOptions.builder().keyPrefix("mg-dev").build());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keys_start_with_the_prefix_and_share_a_hash_tag_of_the_hashed_key() {
        assertThat(store.valueKeyName(KEY)).matches("mg-dev:\\{token:[0-9a-f]{64}}:value");
        assertThat(store.leaseKeyName(KEY)).isEqualTo(store.valueKeyName(KEY).replace(":value", ":lease"));
        assertThat(store.valueKeyName(KEY)).doesNotContain("naver");
        // (that a cluster takes the put script's two keys, one slot, is deployed-store's TlsClusterTokenCacheTest)
    }

    @Test
    void a_value_is_stored_with_its_time_to_live_and_the_holders_lease_ends_with_it() {
        byte[] holder = ValkeyTokenStore.newHolder();
        assertThat(store.tryLease(KEY, holder, Duration.ofSeconds(10))).isTrue();

        boolean ended = store.put(KEY, bytes("blob"), Duration.ofMinutes(5), holder);

        assertThat(ended).isTrue();
        assertThat(store.get(KEY)).hasValueSatisfying(v -> assertThat(v).isEqualTo(bytes("blob")));
        assertThat((Long) server.command("PTTL", store.valueKeyName(KEY))).isBetween(Duration.ofMinutes(5).minusSeconds(5).toMillis(),
                Duration.ofMinutes(5).toMillis());
        assertThat(server.command("EXISTS", store.leaseKeyName(KEY))).isEqualTo(0L);
    }

    @Test
    void another_holders_lease_survives_a_put_and_a_release() {
        byte[] mine = ValkeyTokenStore.newHolder();
        byte[] theirs = ValkeyTokenStore.newHolder();
        assertThat(store.tryLease(KEY, theirs, Duration.ofSeconds(10))).isTrue();
        assertThat(store.tryLease(KEY, mine, Duration.ofSeconds(10))).isFalse();

        assertThat(store.put(KEY, bytes("blob"), Duration.ofMinutes(5), mine)).isFalse();
        assertThat(store.releaseLease(KEY, mine)).isFalse();

        assertThat(store.tryLease(KEY, mine, Duration.ofSeconds(10))).isFalse();
        assertThat(store.releaseLease(KEY, theirs)).isTrue();
        assertThat(store.tryLease(KEY, mine, Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void delete_if_deletes_only_the_same_bytes() {
        store.put(KEY, bytes("new"), Duration.ofMinutes(5), new byte[0]);

        assertThat(store.deleteIf(KEY, bytes("old"))).isFalse();
        assertThat(store.get(KEY)).isPresent();
        assertThat(store.deleteIf(KEY, bytes("new"))).isTrue();
        assertThat(store.get(KEY)).isEmpty();
    }

    @Test
    void a_server_that_lost_the_script_gets_it_again_through_eval() {
        server.command("SCRIPT", "FLUSH");

        store.put(KEY, bytes("blob"), Duration.ofMinutes(5), new byte[0]);

        assertThat(store.get(KEY)).isPresent();
    }

    @Test
    void durations_under_a_millisecond_and_empty_holders_are_refused_by_name() {
        assertThatThrownBy(() -> store.tryLease(KEY, ValkeyTokenStore.newHolder(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
        assertThatThrownBy(() -> store.put(KEY, bytes("blob"), Duration.ofNanos(10), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
        assertThatThrownBy(() -> store.tryLease(KEY, new byte[0], Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holder");
        assertThatThrownBy(() -> store.get("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
    }
}
