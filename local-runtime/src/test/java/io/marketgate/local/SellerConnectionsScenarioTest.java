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
 * The shipped {@code scenarios/seller-connections.yaml} end to end on Valkey and dynalite with the real handlers: 40
 * Cafe24 malls connected by consent, collected three times while the simulated Cafe24 expires every access token twice
 * (the second time with its token endpoint answering 503) and four malls' owners remove the app.
 */
@Tag("e2e")
class SellerConnectionsScenarioTest {

    @TempDir
    Path reportDir;

    @Test
    @SuppressWarnings("unchecked")
    void malls_keep_their_connections_through_expiries_and_an_outage_and_only_the_revoked_ones_end_reconnect_required() {
        // GIVEN the dev environment and the shipped scenario
        EnvironmentConfig env = EnvironmentLoader.load(Path.of("..", "environments"), "dev");
        Set<String> markets = env.markets().values().stream().filter(m -> m.adapter().isPresent())
                .map(m -> m.name()).collect(Collectors.toSet());
        Scenario scenario = ScenarioLoader.load(Path.of("..", "scenarios", "seller-connections.yaml"), markets);
        int malls = scenario.markets().get("cafe24").sellers();
        int revoked = scenario.markets().get("cafe24").connections().revokedMalls();

        // WHEN it runs to completion
        SimulationReport report = new SimulationRun(env, scenario, LocalPlatform.StoreKind.VALKEY, new PrintStream(System.err),
                (done, total) -> {}).run();
        report.write(reportDir);
        Map<String, Object> cafe24 = report.market("cafe24");
        Map<String, Object> connections = (Map<String, Object>) cafe24.get("connections");
        System.err.println(connections);

        // THEN every mall connected by consent, and no connection was lost but the revoked ones, which ended
        // reconnect-required exactly
        assertThat(connections.get("connected")).isEqualTo((long) malls);
        assertThat(connections.get("revokedOnPurpose")).isEqualTo((long) revoked);
        assertThat(connections.get("connectionsLost")).as("lost: %s", connections.get("lostMalls")).isEqualTo(0L);
        assertThat(report.connectionsLost()).isZero();
        assertThat(connections.get("reconnectRequired")).isEqualTo((long) revoked);
        assertThat(connections.get("revokedReconnectRequired")).isEqualTo((long) revoked);
        // AND no refresh token was ever sent again after its refresh rotated it
        assertThat(connections.get("invalidGrantsFromReuse")).isEqualTo(0L);
        // AND every kept mall refreshed (at least once: two expiries may meet one collection), some through 503s
        assertThat((long) connections.get("refreshes")).isGreaterThanOrEqualTo(malls - revoked);
        assertThat((long) connections.get("tokenEndpointFailures")).isPositive();
        // AND the revoked malls' collections failed for good with that reason, once each (no retries), every other
        // collection and every action completed, and Cafe24 never answered 429
        Map<String, Object> medium = report.priority(Priority.MEDIUM);
        long failed = (long) medium.get("failed");
        assertThat(medium.get("requests")).isEqualTo((long) scenario.expectedCollectionRequests());
        assertThat(medium.get("lost")).isEqualTo(0L);
        assertThat(failed).isPositive().isEqualTo(connections.get("requestsFailedReconnectRequired"));
        assertThat(connections.get("requestsFailedOtherMalls")).isEqualTo(0L);
        assertThat(medium.get("succeeded")).isEqualTo(scenario.expectedCollectionRequests() - failed);
        assertThat(medium.get("duplicates")).isEqualTo(0L);
        Map<String, Object> high = report.priority(Priority.HIGH);
        assertThat(high.get("succeeded")).isEqualTo((long) scenario.expectedActions());
        assertThat(high.get("duplicates")).isEqualTo(0L);
        assertThat(cafe24.get("answered429")).isEqualTo(0L);
        assertThat(report.cafe24Answered429()).isZero();
        assertThat(report.callsOverBudget()).isZero();
        assertThat(report.tree().get("deadLetters")).isEqualTo(0L);
    }
}
