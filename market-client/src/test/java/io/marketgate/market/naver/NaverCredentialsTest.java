package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.market.MarketAdapters;
import io.marketgate.market.auth.Credentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a Naver seller may register: each rule refused naming the field, never echoing the secret. */
class NaverCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void a_self_application_registers_with_client_id_secret_and_type() {
        Credentials c = NaverAdapter.CREDENTIALS.validate(fields("SELF", null));

        assertThat(c.publicFields()).containsExactly(Map.entry("clientId", "app-1"), Map.entry("type", "SELF"));
        assertThat(c.isSecret("clientSecret")).isTrue();
        assertThat(c.toString()).doesNotContain(SIM_SECRET);
    }

    @Test
    void a_solution_application_registers_with_the_sellers_account_id() {
        Credentials c = NaverAdapter.CREDENTIALS.validate(fields("SELLER", "ncp_2sRZTWJVbDtHPoz9O"));

        assertThat(c.get("accountId")).isEqualTo("ncp_2sRZTWJVbDtHPoz9O");
    }

    @Test
    void type_seller_without_an_account_id_is_refused_naming_the_field() {
        assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(fields("SELLER", null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("credentials.accountId is missing: type SELLER");
    }

    @Test
    void an_account_id_with_type_self_is_refused_because_naver_punishes_that_token_request() {
        assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(fields("SELF", "ncp_1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("credentials.accountId must not be set with type SELF")
                .hasMessageContaining("1 call per hour");
    }

    @Test
    void a_secret_that_is_not_a_bcrypt_salt_is_refused_without_echoing_it() {
        for (String bad : new String[] {"plain-secret-123", "$2b$10$abcdefghijklmnopqrstuv", "$2a$10$abcdefghijklmnopqrstu",
                "$2a$31$abcdefghijklmnopqrstuv", "$2a$03$abcdefghijklmnopqrstuv", "$2a$10$abcdefghijklmnopqrst!v"}) {
            Map<String, String> f = fields("SELF", null);
            f.put("clientSecret", bad);
            assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(f)).as(bad)
                    .hasMessageStartingWith("credentials.clientSecret must be the application secret as Naver issues it")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad));
        }
    }

    @Test
    void an_unknown_type_or_field_and_a_missing_client_id_are_refused_naming_the_field() {
        Map<String, String> lower = fields("self", null);
        Map<String, String> unknown = fields("SELF", null);
        unknown.put("sellerId", "s-1");
        Map<String, String> noClient = fields("SELF", null);
        noClient.remove("clientId");

        assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(lower)).hasMessageStartingWith("credentials.type must be SELF");
        assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(unknown)).hasMessageStartingWith("credentials.sellerId is not a field");
        assertThatThrownBy(() -> NaverAdapter.CREDENTIALS.validate(noClient)).hasMessageStartingWith("credentials.clientId is missing");
    }

    @Test
    void the_factory_offers_the_schema_to_the_sellers_api() throws Exception {
        NaverFixture fx = NaverFixture.of(dir, "http://127.0.0.1:9/naver", Clock.systemUTC());

        assertThat(new NaverAdapterFactory().credentialSchema()).isSameAs(NaverAdapter.CREDENTIALS);
        assertThat(MarketAdapters.credentialSchema(fx.environment, "naver")).isSameAs(NaverAdapter.CREDENTIALS);
        assertThat(MarketAdapters.forMarket(fx.environment, "naver", fx.context())).isInstanceOf(NaverAdapter.class);
    }

    private static Map<String, String> fields(String type, String accountId) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("clientId", "app-1");
        f.put("clientSecret", SIM_SECRET);
        f.put("type", type);
        if (accountId != null) {
            f.put("accountId", accountId);
        }
        return f;
    }
}
