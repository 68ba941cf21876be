package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValkeyStoreOptionsTest {

    @Test
    void defaults_are_documented_values() {
        ValkeyStoreOptions o = ValkeyStoreOptions.defaults();

        assertThat(o.keyPrefix()).isEqualTo("mg");
        assertThat(o.commandTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(o.username()).isEmpty();
        assertThat(o.password()).isEmpty();
        assertThat(o.coalesce()).isTrue();
    }

    @Test
    void coalescing_can_be_switched_off() {
        ValkeyStoreOptions o = ValkeyStoreOptions.builder().coalesce(false).build();

        assertThat(o.coalesce()).isFalse();
        assertThat(o.toString()).contains("coalesce=false");
    }

    @Test
    void a_key_prefix_with_braces_is_rejected_because_it_would_change_the_hash_tag() {
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().keyPrefix("mg{x}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no braces");
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().keyPrefix(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ValkeyStoreOptions.builder().keyPrefix("mg-prod:v2").build().keyPrefix()).isEqualTo("mg-prod:v2");
    }

    @Test
    void timeouts_must_be_between_1_ms_and_60_s() {
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().commandTimeout(Duration.ZERO))
                .hasMessageContaining("commandTimeout is PT0S, must be between 1 ms and 60 s");
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().connectTimeout(Duration.ofMinutes(2)))
                .hasMessageContaining("connectTimeout is PT2M");
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().commandTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void a_user_needs_a_password_and_the_password_is_never_printed() {
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().username("limiter").build())
                .hasMessageContaining("without a password");
        assertThatThrownBy(() -> ValkeyStoreOptions.builder().username(" ")).hasMessageContaining("username");

        ValkeyStoreOptions o = ValkeyStoreOptions.builder().username("limiter").password("s3cret").build();

        assertThat(o.username()).contains("limiter");
        assertThat(o.password()).contains("s3cret");
        assertThat(o.toString()).doesNotContain("s3cret").contains("***");
    }
}
