package io.marketgate.deployed.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.auth.CachedToken;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenEncryptionTest {

    private static final String KEY = "naver:app:SELF:-";
    private static final String MATERIAL = "Zq3o9v1kWc7TmRb2XyA5hN8dLs4PjUe6fGi0KtQ";
    private static final CachedToken TOKEN = new CachedToken("the-access-token-value",
            Instant.parse("2026-11-22T04:00:00.123456789Z"), Instant.parse("2026-11-22T03:30:00Z"));

    private final TokenEncryption encryption = TokenEncryption.of(TokenKey.fromText(MATERIAL));

    @Test
    void a_sealed_token_opens_to_the_same_value_and_times_to_the_nanosecond() {
        assertThat(encryption.open(KEY, encryption.seal(KEY, TOKEN))).isEqualTo(TOKEN);
    }

    @Test
    void the_same_material_gives_the_same_key_on_every_instance() {
        byte[] blob = encryption.seal(KEY, TOKEN);

        assertThat(TokenEncryption.of(TokenKey.fromText(MATERIAL)).open(KEY, blob)).isEqualTo(TOKEN);
        assertThat(TokenKey.fromText(MATERIAL).idHex()).isEqualTo(encryption.current().idHex());
    }

    @Test
    void every_seal_has_its_own_nonce_so_equal_tokens_never_look_alike() {
        byte[] one = encryption.seal(KEY, TOKEN);
        byte[] two = encryption.seal(KEY, TOKEN);

        assertThat(Arrays.copyOfRange(one, TokenEncryption.HEADER, TokenEncryption.HEADER + TokenEncryption.NONCE))
                .isNotEqualTo(Arrays.copyOfRange(two, TokenEncryption.HEADER, TokenEncryption.HEADER + TokenEncryption.NONCE));
        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void the_blob_names_its_format_and_key_in_the_clear() {
        byte[] blob = encryption.seal(KEY, TOKEN);

        assertThat(blob[0]).isEqualTo(TokenEncryption.FORMAT);
        assertThat(encryption.current().hasId(blob, 1)).isTrue();
    }

    @Test
    void every_altered_byte_makes_the_blob_unreadable() {
        byte[] blob = encryption.seal(KEY, TOKEN);
        for (int i = 0; i < blob.length; i++) {
            byte[] altered = blob.clone();
            altered[i] ^= 0x40;
            assertThatThrownBy(() -> encryption.open(KEY, altered)).as("byte " + i)
                    .isInstanceOf(UnreadableTokenException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN.value()));
        }
    }

    @Test
    void a_blob_of_another_cache_key_does_not_open() {
        byte[] blob = encryption.seal(KEY, TOKEN);

        assertThatThrownBy(() -> encryption.open("naver:app:SELLER:other", blob))
                .isInstanceOf(UnreadableTokenException.class).hasMessageContaining("another cache key");
    }

    @Test
    void a_blob_of_an_unknown_key_names_both_key_ids_and_nothing_else() {
        TokenEncryption other = TokenEncryption.generated();
        byte[] blob = other.seal(KEY, TOKEN);

        assertThatThrownBy(() -> encryption.open(KEY, blob)).isInstanceOf(UnreadableTokenException.class)
                .hasMessageContaining(other.current().idHex()).hasMessageContaining(encryption.current().idHex())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN.value()).doesNotContain(MATERIAL));
    }

    @Test
    void a_truncated_or_foreign_blob_is_unreadable() {
        assertThatThrownBy(() -> encryption.open(KEY, new byte[] {1, 2, 3})).isInstanceOf(UnreadableTokenException.class)
                .hasMessageContaining("too short");
        byte[] future = encryption.seal(KEY, TOKEN);
        future[0] = 2;
        assertThatThrownBy(() -> encryption.open(KEY, future)).isInstanceOf(UnreadableTokenException.class)
                .hasMessageContaining("format 2");
    }

    @Test
    void after_a_rotation_the_previous_key_still_opens_and_the_new_one_seals() {
        TokenKey before = TokenKey.fromText(MATERIAL);
        byte[] old = TokenEncryption.of(before).seal(KEY, TOKEN);
        TokenEncryption rotated = TokenEncryption.of(TokenKey.generate(), before);

        assertThat(rotated.open(KEY, old)).isEqualTo(TOKEN);
        assertThat(rotated.current().hasId(rotated.seal(KEY, TOKEN), 1)).isTrue();
        assertThat(before.hasId(rotated.seal(KEY, TOKEN), 1)).isFalse();
    }

    @Test
    void short_key_material_is_refused_without_showing_it() {
        assertThatThrownBy(() -> TokenKey.fromText("short-secret")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32").satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret"));
    }

    @Test
    void no_description_shows_key_material() {
        assertThat(encryption.toString()).contains(encryption.current().idHex()).doesNotContain(MATERIAL);
        assertThat(encryption.current().toString()).isEqualTo("TokenKey[id=" + encryption.current().idHex() + "]");
    }
}
