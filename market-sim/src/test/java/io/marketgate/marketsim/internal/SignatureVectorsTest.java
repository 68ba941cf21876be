package io.marketgate.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The simulator's signature checks against the public vectors of market-protocols.md: they accept the documented
 * examples and refuse near-misses.
 */
class SignatureVectorsTest {

    @Test
    void coupang_hmac_reproduces_the_documented_vectors() {
        assertThat(CoupangProtocol.hmacHex("fake-secret", "261005T080000Z" + "GET" + "/test" + "x=1"))
                .isEqualTo("4d8be5a4550bef38dc2b105f2073090df0f1560f06141ff8ea9c1bb554e248b9");
        assertThat(CoupangProtocol.hmacHex("secret-test", "250102T030405Z" + "POST"
                + "/v2/providers/affiliate_open_api/apis/openapi/v1/deeplink"))
                .isEqualTo("166af09dd0d38cb9309d92d7c9271228d1b546b972f6627c61804dbf332bd18b");
        assertThat(CoupangProtocol.hmacHex("sim-secret-key", "260101T000000Z" + "GET"
                + "/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets"
                + "createdAtFrom=2025-12-31&createdAtTo=2026-01-01&maxPerPage=50&status=ACCEPT"))
                .isEqualTo("f0507d0a3108e32b8ac523018209b428c0c52df18fe39135cf757979f8609662");
        assertThat(CoupangProtocol.hmacHex("sim-secret-key", "260101T000000Z" + "POST"
                + "/v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices"))
                .isEqualTo("9fdea92d7866b578bba60a8cc439698332513725217a402e13eb0cf88f624909");
    }

    @Test
    void coupang_hmac_of_a_near_miss_differs() {
        String documented = "4d8be5a4550bef38dc2b105f2073090df0f1560f06141ff8ea9c1bb554e248b9";
        assertThat(CoupangProtocol.hmacHex("fake-secret", "261005T080000Z" + "GET" + "/test" + "?x=1")).isNotEqualTo(documented);
        assertThat(CoupangProtocol.hmacHex("fake-secret", "261005T080001Z" + "GET" + "/test" + "x=1")).isNotEqualTo(documented);
        assertThat(CoupangProtocol.hmacHex("fake-secreT", "261005T080000Z" + "GET" + "/test" + "x=1")).isNotEqualTo(documented);
    }

    @Test
    void coupang_authorization_is_read_with_or_without_spaces_after_the_commas() {
        assertThat(CoupangProtocol.authorizationFields("CEA algorithm=HmacSHA256, access-key=ak, signed-date=d, signature=s"))
                .containsEntry("access-key", "ak").containsEntry("signature", "s").containsEntry("algorithm", "HmacSHA256");
        assertThat(CoupangProtocol.authorizationFields("CEA algorithm=HmacSHA256,access-key=ak,signed-date=d,signature=s"))
                .containsEntry("access-key", "ak").containsEntry("signed-date", "d");
        assertThat(CoupangProtocol.authorizationFields("HMAC algorithm=HmacSHA256,access-key=ak")).isNull();
        assertThat(CoupangProtocol.authorizationFields("CEA algorithm")).isNull();
    }

    @Test
    void naver_sign_accepts_the_documented_example_in_standard_and_url_safe_base64() {
        String sign = "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy";
        assertThat(new String(NaverSign.bcrypt("aaaabbbbcccc", "1643961623299", "$2a$10$abcdefghijklmnopqrstuv"),
                StandardCharsets.US_ASCII)).isEqualTo("$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2");
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623299", "$2a$10$abcdefghijklmnopqrstuv", sign)).isTrue();
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(Base64.getDecoder().decode(sign));
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623299", "$2a$10$abcdefghijklmnopqrstuv", urlSafe)).isTrue();
        assertThat(NaverSign.matches("sim-client-01", "1767225600000", "$2a$04$J9FW0u6Qh3cXqk1Vq0PCxe",
                "JDJhJDA0JEo5RlcwdTZRaDNjWHFrMVZxMFBDeGVCS0lXTzBlQWJjODhZOUQ5eVhTdFpLQ0JhMlFwbndL")).isTrue();
    }

    @Test
    void naver_sign_refuses_near_misses() {
        String sign = "JDJhJDEwJGFiY2RlZmdoaWprbG1ub3BxcnN0dXVCVldZSk42T0VPdEx1OFY0cDQxa2IuTnpVaUEzbmsy";
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623298", "$2a$10$abcdefghijklmnopqrstuv", sign)).isFalse();
        assertThat(NaverSign.matches("aaaabbbbccc", "1643961623299", "$2a$10$abcdefghijklmnopqrstuv", sign)).isFalse();
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623299", "$2a$10$bbcdefghijklmnopqrstuv", sign)).isFalse();
        // the bcrypt string itself, not Base64-encoded
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623299", "$2a$10$abcdefghijklmnopqrstuv",
                "$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2")).isFalse();
        assertThat(NaverSign.matches("aaaabbbbcccc", "1643961623299", "not-a-salt", sign)).isFalse();
    }

    @Test
    void jbcrypt_of_the_tests_agrees_with_the_documented_example() {
        // the tests sign with jBCrypt; this pins it to the same vector the simulator's bcrypt reproduces
        assertThat(org.mindrot.jbcrypt.BCrypt.hashpw("aaaabbbbcccc_1643961623299", "$2a$10$abcdefghijklmnopqrstuv"))
                .isEqualTo("$2a$10$abcdefghijklmnopqrstuuBVWYJN6OEOtLu8V4p41kb.NzUiA3nk2");
    }
}
