package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/** The alarm names the runbooks use, exactly, and the dashboard on-call opens. */
class ObservabilityStackTest {

    @ParameterizedTest
    @ValueSource(strings = {"dev", "staging"})
    void every_alarm_the_runbooks_name_exists(String env) {
        Synthesized s = Synthesized.environment(env);
        Template observability = s.template(s.stacks.observability());
        List<String> expected = new ArrayList<>();
        for (String m : s.deployment.infrastructure().markets().keySet()) {
            for (String alarm : List.of("queue-age", "dlq-depth", "collector-throttles", "market-429", "limiter-denials",
                    "credentials-rejected", "ip-rejected")) {
                expected.add(env + "-" + m + "-" + alarm);
            }
            // a market whose sellers connect by consent (Cafe24ConnectionsTest shows one)
            if (s.deployment.connectsByConsent(m)) {
                expected.add(env + "-" + m + "-reconnect-required");
            }
        }
        expected.addAll(List.of(env + "-valkey-cpu", env + "-valkey-store-failures"));
        List<Map<String, Object>> alarms = Resources.properties(observability, "AWS::CloudWatch::Alarm");
        assertThat(alarms).extracting(a -> a.get("AlarmName")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(alarms).allSatisfy(a -> assertThat(Resources.list(a.get("AlarmActions"))).hasSize(1));
        assertThat(Resources.properties(observability, "AWS::CloudWatch::Dashboard")).singleElement()
                .satisfies(d -> assertThat(d.get("DashboardName")).isEqualTo(env + "-marketgate"));
        // each function's errors alarm, which CodeDeploy rolls back on and which pages as well
        List<Object> functionAlarms = Resources.properties(s.template(s.stacks.functions()), "AWS::CloudWatch::Alarm").stream()
                .map(a -> a.get("AlarmName")).toList();
        assertThat(functionAlarms).contains(env + "-api-errors", env + "-job-worker-errors", env + "-scheduler-errors");
        for (String m : s.deployment.infrastructure().markets().keySet()) {
            assertThat(functionAlarms).contains(env + "-" + m + "-collector-errors", env + "-" + m + "-actions-errors");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev"})
    void the_market_alarms_read_what_the_handlers_publish(String env) {
        Synthesized s = Synthesized.environment(env);
        List<Map<String, Object>> alarms = Resources.properties(s.template(s.stacks.observability()), "AWS::CloudWatch::Alarm");
        assertThat(expression(alarms, env + "-coupang-market-429"))
                .isEqualTo("SELECT SUM(MarketCalls) FROM marketgate WHERE market = 'coupang' AND outcome = 'throttled'");
        assertThat(expression(alarms, env + "-coupang-limiter-denials"))
                .isEqualTo("SELECT SUM(LimiterDenials) FROM marketgate WHERE market = 'coupang'");
        assertThat(expression(alarms, env + "-valkey-store-failures")).isEqualTo("SELECT SUM(LimiterStoreFailures) FROM marketgate");
        // lambda-handlers' HandlerMetrics.CREDENTIALS_REJECTED and IP_REJECTED, with the market dimension
        assertThat(expression(alarms, env + "-coupang-credentials-rejected"))
                .isEqualTo("SELECT SUM(CredentialsRejected) FROM marketgate WHERE market = 'coupang'");
        assertThat(expression(alarms, env + "-naver-ip-rejected"))
                .isEqualTo("SELECT SUM(IpRejected) FROM marketgate WHERE market = 'naver'");
    }

    private static String expression(List<Map<String, Object>> alarms, String name) {
        Map<String, Object> alarm = alarms.stream().filter(a -> name.equals(a.get("AlarmName"))).findFirst().orElseThrow();
        return Resources.list(alarm.get("Metrics")).stream().map(m -> at(castMap(m), "Expression")).filter(e -> e != null)
                .map(String::valueOf).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }
}
