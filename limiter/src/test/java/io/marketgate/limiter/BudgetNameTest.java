package io.marketgate.limiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BudgetNameTest {

    @Test
    void parses_and_prints_a_configured_budget() {
        BudgetName name = BudgetName.parse("coupang/vendor");

        assertThat(name.market()).isEqualTo("coupang");
        assertThat(name.budget()).isEqualTo("vendor");
        assertThat(name.instance()).isEmpty();
        assertThat(name.isInstance()).isFalse();
        assertThat(name).hasToString("coupang/vendor").isEqualTo(BudgetName.of("coupang", "vendor"));
        assertThat(name.configured()).isSameAs(name);
    }

    @Test
    void parses_and_prints_an_instance_and_drops_it_for_the_configured_budget() {
        BudgetName v1 = BudgetName.parse("coupang/vendor:V1");

        assertThat(v1.market()).isEqualTo("coupang");
        assertThat(v1.budget()).isEqualTo("vendor");
        assertThat(v1.instance()).contains("V1");
        assertThat(v1).hasToString("coupang/vendor:V1");
        assertThat(v1.configured()).isEqualTo(BudgetName.parse("coupang/vendor"));
        assertThat(v1.configured().withInstance("V2")).hasToString("coupang/vendor:V2");
        assertThat(v1.withInstance("V3")).isEqualTo(new BudgetName("coupang", "vendor", Optional.of("V3")));
    }

    @Test
    void a_key_may_hold_what_seller_ids_hold() {
        assertThat(BudgetName.parse("cafe24/mall:shop.42@x_Y-1").instance()).contains("shop.42@x_Y-1");
    }

    @Test
    void names_the_rule_a_malformed_name_breaks() {
        String rule = "must be market/name, each part lower-case letters, digits, '-', '_' or '.' (for example coupang/vendor),"
                + " optionally followed by :key for one seller's or mall's instance";
        for (String bad : new String[] {"vendor", "Coupang/vendor", "coupang/", "/vendor", "coupang:V1/vendor", "coupang/ven dor"}) {
            assertThatThrownBy(() -> BudgetName.parse(bad)).as(bad).hasMessage("budget name '" + bad + "' " + rule);
        }
        assertThatThrownBy(() -> BudgetName.parse(null)).hasMessage("budget name is missing");
        assertThatThrownBy(() -> BudgetName.of("coupang", "Vendor")).hasMessage("budget name 'coupang/Vendor' " + rule);
    }

    @Test
    void names_the_rule_a_malformed_key_breaks() {
        String rule = "the key after ':' must be 1 to 128 letters, digits, '_', '.', '@' or '-'";
        assertThatThrownBy(() -> BudgetName.parse("coupang/vendor:")).hasMessage("budget name 'coupang/vendor:': " + rule);
        assertThatThrownBy(() -> BudgetName.parse("coupang/vendor:a:b")).hasMessage("budget name 'coupang/vendor:a:b': " + rule);
        assertThatThrownBy(() -> BudgetName.parse("coupang/vendor").withInstance("a b"))
                .hasMessage("budget name 'coupang/vendor:a b': " + rule);
    }

    @Test
    void a_budget_carries_its_parsed_name() {
        Budget mall = Budget.named("cafe24/mall").limit(40).build().forKey("shop42");

        assertThat(mall.budgetName()).isEqualTo(BudgetName.parse("cafe24/mall:shop42"));
        assertThat(mall.name()).isEqualTo("cafe24/mall:shop42");
        assertThat(mall.market()).isEqualTo("cafe24");
        assertThat(mall.shortName()).isEqualTo("mall");
        assertThat(mall.template()).isEqualTo("cafe24/mall");
        assertThat(mall.key()).contains("shop42");
        assertThat(mall).isEqualTo(new Budget("cafe24/mall:shop42", 40, Budget.DEFAULT_WINDOW, Ceilings.DEFAULT,
                ThrottleRecovery.DEFAULT));
    }
}
