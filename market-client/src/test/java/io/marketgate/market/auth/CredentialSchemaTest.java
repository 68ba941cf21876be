package io.marketgate.market.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Registration input is checked field by field, and a secret is never printed. */
class CredentialSchemaTest {

    private static final CredentialSchema SCHEMA = CredentialSchema.of(List.of(
            CredentialField.id("vendorId", "A[0-9]{8}", "A and 8 digits"),
            CredentialField.secret("secretKey", "[0-9a-f]{40}", "40 hex digits")));
    private static final String SECRET = "0123456789abcdef0123456789abcdef01234567";

    @Test
    void valid_fields_become_credentials_whose_text_masks_the_secret() {
        Credentials c = SCHEMA.validate(Map.of("vendorId", "A00012345", "secretKey", SECRET));

        assertThat(c.get("secretKey")).isEqualTo(SECRET);
        assertThat(c.publicFields()).containsExactly(Map.entry("vendorId", "A00012345"));
        assertThat(c.toString()).contains("A00012345").doesNotContain(SECRET);
        assertThat(c.mask("the market said: bad key " + SECRET)).isEqualTo("the market said: bad key ****");
    }

    @Test
    void a_missing_field_is_named_with_its_rule() {
        assertThatThrownBy(() -> SCHEMA.validate(Map.of("vendorId", "A00012345")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("credentials.secretKey is missing (40 hex digits)");
    }

    @Test
    void a_malformed_secret_is_named_without_echoing_it() {
        assertThatThrownBy(() -> SCHEMA.validate(Map.of("vendorId", "A00012345", "secretKey", "not-hex-secret-value")))
                .hasMessage("credentials.secretKey must be 40 hex digits")
                .message().doesNotContain("not-hex-secret-value");
    }

    @Test
    void a_malformed_id_is_named_with_its_value_and_an_unknown_field_is_refused() {
        assertThatThrownBy(() -> SCHEMA.validate(Map.of("vendorId", "B1", "secretKey", SECRET)))
                .hasMessage("credentials.vendorId must be A and 8 digits, not 'B1'");
        assertThatThrownBy(() -> SCHEMA.validate(Map.of("vendorId", "A00012345", "secretKey", SECRET, "pin", "1")))
                .hasMessageStartingWith("credentials.pin is not a field of this market");
    }
}
