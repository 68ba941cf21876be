package io.marketgate.sellers;

import static io.marketgate.sellers.TestSchemas.ACCESS_KEY;
import static io.marketgate.sellers.TestSchemas.SIGNED;
import static io.marketgate.sellers.TestSchemas.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.auth.CredentialsUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The cache in front of the secret store, on a fake clock. */
class CachingCredentialSourceTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> loads = new ArrayList<>();
    private final AtomicReference<Optional<StoredCredentials>> stored = new AtomicReference<>(Optional.empty());
    private final CachingCredentialSource source = CachingCredentialSource.builder((market, seller) -> {
        loads.add(market + "/" + seller);
        return stored.get();
    }).ttl(Duration.ofMinutes(5)).nanoTime(nanos::get).build();

    private static StoredCredentials version(String version, int key) {
        return new StoredCredentials(SIGNED.validate(fields("A00000001", ACCESS_KEY, TestSchemas.secretKey(key))), version);
    }

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void credentials_are_read_once_per_time_to_live() {
        // GIVEN stored credentials
        stored.set(Optional.of(version("v1", 1)));
        // WHEN they are asked for three times within 5 minutes, and once after
        source.credentials("shop", "S1");
        advance(Duration.ofMinutes(4));
        source.credentials("shop", "S1");
        source.credentials("shop", "S1");
        advance(Duration.ofMinutes(2));
        source.credentials("shop", "S1");
        // THEN the store was read twice
        assertThat(loads).containsExactly("shop/S1", "shop/S1");
    }

    @Test
    void a_seller_without_credentials_is_missing_and_registering_them_takes_effect_at_the_next_call() {
        assertThatThrownBy(() -> source.credentials("shop", "S2")).isInstanceOf(CredentialsUnavailableException.class)
                .hasMessageContaining("no credentials are registered for seller S2")
                .satisfies(e -> assertThat(((CredentialsUnavailableException) e).isTransient()).isFalse());
        stored.set(Optional.of(version("v1", 1)));
        assertThat(source.credentials("shop", "S2").get("secretKey")).isEqualTo(TestSchemas.secretKey(1));
    }

    @Test
    void a_store_that_fails_makes_the_credentials_unreachable_for_now_without_its_details_leaking_a_value() {
        CachingCredentialSource failing = CachingCredentialSource.builder((market, seller) -> {
            throw new SellerStoreException("reading the secret test/marketgate/sellers/shop/S3 failed (timeout)");
        }).build();
        assertThatThrownBy(() -> failing.credentials("shop", "S3")).isInstanceOf(CredentialsUnavailableException.class)
                .hasMessageContaining("could not be read: SellerStoreException")
                .satisfies(e -> assertThat(((CredentialsUnavailableException) e).isTransient()).isTrue());
    }

    @Test
    void credentials_registered_anew_are_read_at_once_when_the_table_names_their_version() {
        // GIVEN version v1 cached
        stored.set(Optional.of(version("v1", 1)));
        source.credentials("shop", "S4");
        assertThat(source.versionInUse("shop", "S4")).contains("v1");
        // WHEN v2 is registered and a collector reads the row that names it
        stored.set(Optional.of(version("v2", 2)));
        source.expectVersion("shop", "S4", Optional.of("v1"));
        assertThat(source.versionInUse("shop", "S4")).contains("v1");
        source.expectVersion("shop", "S4", Optional.of("v2"));
        // THEN the next call reads v2 although v1's time to live has not passed
        assertThat(source.credentials("shop", "S4").get("secretKey")).isEqualTo(TestSchemas.secretKey(2));
        assertThat(source.versionInUse("shop", "S4")).contains("v2");
        assertThat(loads).hasSize(2);
    }

    @Test
    void a_text_is_masked_with_the_cached_secret_values_and_the_source_prints_none() {
        stored.set(Optional.of(version("v1", 7)));
        source.credentials("shop", "S5");
        assertThat(source.mask("shop", "S5", "bad signature for key " + TestSchemas.secretKey(7)))
                .isEqualTo("bad signature for key ****");
        assertThat(source.mask("shop", "not-cached", "text")).isEqualTo("text");
        assertThat(source.toString()).doesNotContain(TestSchemas.secretKey(7)).doesNotContain(ACCESS_KEY);
    }
}
