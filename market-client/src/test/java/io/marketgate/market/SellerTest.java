package io.marketgate.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.config.BudgetScope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SellerTest {

    @Test
    void a_coupang_seller_is_counted_by_the_vendor_id_of_its_public_credential_fields() {
        Seller seller = Seller.of("seller-1", Map.of("vendorId", "A00012345", "clientId", "c-1"));
        assertThat(seller.instanceKey(BudgetScope.VENDOR)).isEqualTo("A00012345");
        assertThat(seller.instanceKey(BudgetScope.SELLER)).isEqualTo("seller-1");
        assertThat(seller.instanceKey(BudgetScope.MALL)).isEqualTo("seller-1");
    }

    @Test
    void a_seller_whose_market_issues_no_vendor_id_is_its_own_vendor() {
        Seller seller = Seller.of("seller-2", Map.of("clientId", "c-2", "accountId", "acc"));
        assertThat(seller.vendorId()).isEmpty();
        assertThat(seller.instanceKey(BudgetScope.VENDOR)).isEqualTo("seller-2");
    }

    @Test
    void a_vendor_id_that_cannot_name_a_budget_instance_is_refused_naming_the_field() {
        assertThatThrownBy(() -> Seller.of("seller-3", Map.of("vendorId", "has space")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seller.vendorId");
    }
}
