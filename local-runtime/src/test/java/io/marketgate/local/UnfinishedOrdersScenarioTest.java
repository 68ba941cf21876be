package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.limiter.Priority;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped {@code scenarios/unfinished-orders.yaml} end to end on Valkey and dynalite with the real handlers: the
 * simulated Coupang, Naver and Cafe24 move their orders through their stages within seconds while a MEDIUM collection
 * writes the new ones and a LOW tracking run re-collects each unfinished order one by one.
 */
@Tag("e2e")
class UnfinishedOrdersScenarioTest {

    @TempDir
    Path reportDir;

    @Test
    @SuppressWarnings("unchecked")
    void every_order_created_during_the_run_reaches_its_final_state_in_the_store_within_the_budgets() {
        // GIVEN the dev environment and the shipped scenario
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        Set<String> markets = env.markets().values().stream().filter(m -> m.adapter().isPresent())
                .map(m -> m.name()).collect(Collectors.toSet());
        Scenario scenario = ScenarioLoader.load(Path.of("..", "scenarios", "unfinished-orders.yaml"), markets);

        // WHEN it runs to completion
        SimulationReport report = new SimulationRun(env, scenario, LocalPlatform.StoreKind.VALKEY, new PrintStream(System.err),
                (done, total) -> {}).run();
        report.write(reportDir);

        // THEN in every market, every order the market created during the run (and a collection covered) is stored
        // final: none left behind, none given up, none still tracked
        long followed = 0;
        for (String market : scenario.markets().keySet()) {
            Map<String, Object> orders = (Map<String, Object>) report.market(market).get("orders");
            System.err.println(market + " " + orders);
            assertThat((long) orders.get("created")).as(market + " orders created").isPositive();
            assertThat(orders.get("final")).as(market + ": %s", orders.get("notFinalOrders")).isEqualTo(orders.get("created"));
            assertThat(orders.get("notStored")).as(market).isEqualTo(0L);
            assertThat(orders.get("trackingGaveUp")).as(market).isEqualTo(0L);
            assertThat(orders.get("trackedLeft")).as(market).isEqualTo(0L);
            followed += (long) orders.get("followedToFinal");
        }
        assertThat(report.ordersNotFinal()).isZero();
        // AND the tracking brought orders that were unfinished when collected to their end (most of Coupang's: its
        // sheets take four stages after payment, longer than Naver's two)
        assertThat(followed).isPositive();
        assertThat((long) ((Map<String, Object>) report.market("coupang").get("orders")).get("followedToFinal")).isPositive();
        // AND those were re-collected one by one at LOW (at least once each), every request ended, none twice, within
        // every budget
        Map<String, Object> low = report.priority(Priority.LOW);
        assertThat((long) low.get("requests")).isGreaterThanOrEqualTo(followed);
        assertThat(low.get("lost")).isEqualTo(0L);
        assertThat(low.get("failed")).isEqualTo(0L);
        Map<String, Object> medium = report.priority(Priority.MEDIUM);
        assertThat(medium.get("requests")).isEqualTo((long) scenario.expectedCollectionRequests());
        assertThat(medium.get("succeeded")).isEqualTo((long) scenario.expectedCollectionRequests());
        assertThat(medium.get("duplicates")).isEqualTo(0L);
        assertThat(report.callsOverBudget()).isZero();
        assertThat(report.tree().get("deadLetters")).isEqualTo(0L);
    }
}
