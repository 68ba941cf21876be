package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentLoader;
import io.marketgate.marketsim.Endpoint;
import io.marketgate.marketsim.MarketBudget;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compliance check's view of a market's budgets: each counts the simulator's endpoints its calls reach. */
class ConfiguredBudgetsTest {

    @Test
    void a_budget_drawn_by_the_list_of_another_kind_counts_that_lists_endpoint() {
        // GIVEN dev's Cafe24, whose sales report budget only the daily sales list (listSettlements) draws from, and whose
        // mall budget the lists of orders, Q&A, reviews, products and sales draw from
        var cafe24 = EnvironmentLoader.load(Path.of("..", "environments", "dev.yaml")).market("cafe24");

        // WHEN its budgets are read for the compliance check
        List<MarketBudget> budgets = LocalPlatform.configuredBudgets(cafe24);

        // THEN the sales report budget counts the settlements list alone, and the mall budget every list
        MarketBudget salesReport = budgets.stream().filter(b -> b.name().equals("salesreport")).findFirst().orElseThrow();
        assertThat(salesReport.endpoints()).containsExactly(Endpoint.LIST_SETTLEMENTS);
        MarketBudget mall = budgets.stream().filter(b -> b.name().equals("mall")).findFirst().orElseThrow();
        assertThat(mall.endpoints()).contains(Endpoint.LIST_ORDERS, Endpoint.LIST_INQUIRIES, Endpoint.LIST_REVIEWS,
                Endpoint.LIST_PRODUCTS, Endpoint.LIST_SETTLEMENTS);
    }

    @Test
    void a_budget_drawn_by_an_action_counts_that_actions_endpoints_alone() {
        // GIVEN dev's Naver, whose Q&A answer budget only the answer call draws from, and whose claim decisions' budget
        // the confirm and reject calls draw from
        var naver = EnvironmentLoader.load(Path.of("..", "environments", "dev.yaml")).market("naver");

        // WHEN its budgets are read for the compliance check
        List<MarketBudget> budgets = LocalPlatform.configuredBudgets(naver);

        // THEN each counts its own calls' endpoints, not every arrival of the market
        assertThat(budgets.stream().filter(b -> b.name().equals("qna-answers")).findFirst().orElseThrow().endpoints())
                .containsExactly(Endpoint.ANSWER_INQUIRY);
        assertThat(budgets.stream().filter(b -> b.name().equals("claim-decisions")).findFirst().orElseThrow().endpoints())
                .containsExactlyInAnyOrder(Endpoint.CONFIRM_CLAIM, Endpoint.REJECT_CLAIM, Endpoint.DECIDE_CLAIM);
        assertThat(budgets.stream().filter(b -> b.name().equals("dispatch")).findFirst().orElseThrow().endpoints())
                .containsExactly(Endpoint.CREATE_SHIPMENT);
    }
}
