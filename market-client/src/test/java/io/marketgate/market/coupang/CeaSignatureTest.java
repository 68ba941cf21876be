package io.marketgate.market.coupang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Coupang's CEA signature against vectors that did not come from this code: two from public clients ([O] in
 * market-protocols.md, section 1) and two computed by hand with Python's {@code hmac} ([I], the same section).
 */
class CeaSignatureTest {

    @Test
    void the_public_get_vector_with_a_query_is_reproduced() {
        // GIVEN [O] IDX:71049263342
        String signature = CeaSignature.signature("fake-secret", "261005T080000Z", "GET", "/test", "x=1");

        // THEN
        assertThat(signature).isEqualTo("4d8be5a4550bef38dc2b105f2073090df0f1560f06141ff8ea9c1bb554e248b9");
    }

    @Test
    void the_public_post_vector_without_a_query_is_reproduced() {
        // GIVEN [O] IDX:57571957874: no query signs as ""
        String signature = CeaSignature.signature("secret-test", "250102T030405Z", "POST",
                "/v2/providers/affiliate_open_api/apis/openapi/v1/deeplink", "");

        assertThat(signature).isEqualTo("166af09dd0d38cb9309d92d7c9271228d1b546b972f6627c61804dbf332bd18b");
    }

    @Test
    void the_hand_computed_ordersheets_vector_is_reproduced() {
        String signature = CeaSignature.signature("sim-secret-key", "260101T000000Z", "GET",
                "/v2/providers/openapi/apis/api/v4/vendors/A00012345/ordersheets",
                "createdAtFrom=2025-12-31&createdAtTo=2026-01-01&maxPerPage=50&status=ACCEPT");

        assertThat(signature).isEqualTo("f0507d0a3108e32b8ac523018209b428c0c52df18fe39135cf757979f8609662");
    }

    @Test
    void the_hand_computed_invoice_vector_is_reproduced() {
        String signature = CeaSignature.signature("sim-secret-key", "260101T000000Z", "POST",
                "/v2/providers/openapi/apis/api/v4/vendors/A00012345/orders/invoices", "");

        assertThat(signature).isEqualTo("9fdea92d7866b578bba60a8cc439698332513725217a402e13eb0cf88f624909");
    }

    @Test
    void the_signed_date_is_utc_to_the_second_as_yyMMdd_T_HHmmss_Z() {
        assertThat(CeaSignature.signedDate(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo("260101T000000Z");
        assertThat(CeaSignature.signedDate(Instant.parse("2025-12-31T23:59:59.999Z"))).isEqualTo("251231T235959Z");
        assertThat(CeaSignature.signedDate(Instant.parse("2026-10-05T08:00:00Z"))).isEqualTo("261005T080000Z");
    }

    @Test
    void the_authorization_header_has_coupangs_documented_form() {
        String header = CeaSignature.authorization("ak-1", "260101T000000Z", "f0507d0a");

        assertThat(header).isEqualTo("CEA algorithm=HmacSHA256, access-key=ak-1, signed-date=260101T000000Z, signature=f0507d0a");
    }

    @Test
    void a_query_signed_decoded_is_not_the_query_sent_encoded() {
        // GIVEN the same request, its query once as sent and once decoded: Coupang answers 401 to the second
        String sent = CeaSignature.signature("fake-secret", "261005T080000Z", "GET", "/test", "q=%ED%95%9C");
        String decoded = CeaSignature.signature("fake-secret", "261005T080000Z", "GET", "/test", "q=한");

        assertThat(sent).isNotEqualTo(decoded).matches("[0-9a-f]{64}");
    }

    @Test
    void a_missing_key_is_refused_naming_it() {
        assertThatThrownBy(() -> CeaSignature.signature("", "260101T000000Z", "GET", "/x", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secretKey is missing");
        assertThatThrownBy(() -> CeaSignature.authorization(null, "260101T000000Z", "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("accessKey is missing");
    }
}
