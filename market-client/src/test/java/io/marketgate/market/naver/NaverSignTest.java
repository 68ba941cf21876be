package io.marketgate.market.naver;

import static io.marketgate.market.naver.NaverFixture.DOC_CLIENT_ID;
import static io.marketgate.market.naver.NaverFixture.DOC_SECRET;
import static io.marketgate.market.naver.NaverFixture.SIM_CLIENT_ID;
import static io.marketgate.market.naver.NaverFixture.SIM_SECRET;
import static io.marketgate.market.naver.NaverFixture.SIM_SIGN;
import static io.marketgate.market.naver.NaverFixture.SIM_TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** client_secret_sign against vectors computed elsewhere (market-protocols.md section 2), never by this code. */
class NaverSignTest {

    @Test
    void navers_documented_example_gives_the_documented_sign() {
        // GIVEN / WHEN Naver's example of its authentication page: aaaabbbbcccc, $2a$10$abcdefghijklmnopqrstuv, 1643961623299
        String sign = NaverAccount.sign(DOC_CLIENT_ID, 1_643_961_623_299L, DOC_SECRET);

        // THEN the sign printed there (Java, Python and Node.js samples alike)
        assertThat(sign).isEqualTo("JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy");
    }

    @Test
    void the_hand_computed_vector_of_a_cost_4_secret_gives_its_sign() {
        // GIVEN / WHEN the [I] vector, computed with libxcrypt's crypt()
        String sign = NaverAccount.sign(SIM_CLIENT_ID, SIM_TIMESTAMP, SIM_SECRET);

        // THEN
        assertThat(sign).isEqualTo(SIM_SIGN);
    }

    @Test
    void the_sign_is_the_standard_base64_of_the_bcrypt_string_salted_with_the_secret() {
        // WHEN
        String sign = new NaverAccount(DOC_CLIENT_ID, DOC_SECRET, "SELF", Optional.empty()).sign(1_643_961_623_299L);

        // THEN 60 characters of bcrypt, the salt's last character normalised (v -> u) as bcrypt does
        String bcrypt = new String(Base64.getDecoder().decode(sign), StandardCharsets.US_ASCII);
        assertThat(bcrypt).hasSize(60).isEqualTo("$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2");
    }

    @Test
    void another_timestamp_gives_another_sign() {
        assertThat(NaverAccount.sign(SIM_CLIENT_ID, SIM_TIMESTAMP + 1, SIM_SECRET)).isNotEqualTo(SIM_SIGN);
    }

    @Test
    void an_account_prints_without_its_secret() {
        NaverAccount account = new NaverAccount(SIM_CLIENT_ID, SIM_SECRET, "SELLER", Optional.of("ncp_1"));

        assertThat(account.toString()).doesNotContain(SIM_SECRET).contains("sim-client-01:SELLER:ncp_1");
        assertThat(account.tokenKey("naver")).isEqualTo("naver:sim-client-01:SELLER:ncp_1");
        assertThat(new NaverAccount(SIM_CLIENT_ID, SIM_SECRET, "SELF", Optional.empty()).account()).isEqualTo("sim-client-01:SELF:-");
    }
}
