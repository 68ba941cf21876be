package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class SchedulesStackTest {

    private final Synthesized dev = Synthesized.environment("dev");
    private final Template schedules = dev.template(dev.stacks.schedules());

    @Test
    void each_configured_schedule_invokes_the_fan_out_with_its_payload() {
        int configured = dev.deployment.infrastructure().markets().values().stream().mapToInt(m -> m.schedules().size()).sum();
        List<Map<String, Object>> all = Resources.properties(schedules, "AWS::Scheduler::Schedule");
        assertThat(all).hasSize(configured);
        Map<String, Object> recent = all.stream().filter(s -> "dev-coupang-recent-orders".equals(s.get("Name"))).findFirst().orElseThrow();
        assertThat(recent.get("ScheduleExpression")).isEqualTo("rate(10 minutes)");
        assertThat(at(recent, "Target", "Input"))
                .isEqualTo("{\"market\":\"coupang\",\"kind\":\"ORDERS\",\"lookback\":\"PT30M\",\"spreadOver\":\"PT10M\",\"priority\":\"MEDIUM\"}");
        assertThat(String.valueOf(at(recent, "Target", "Arn"))).contains("Scheduler").contains("Alias");
        // the unfinished orders are tracked one by one, not collected again over a long lookback
        Map<String, Object> unfinished = all.stream().filter(s -> "dev-coupang-unfinished-orders".equals(s.get("Name"))).findFirst().orElseThrow();
        assertThat(at(unfinished, "Target", "Input")).isEqualTo("{\"market\":\"coupang\",\"kind\":\"ORDERS\",\"track\":\"UNFINISHED\","
                + "\"maxAge\":\"PT336H\",\"spreadOver\":\"PT30M\",\"priority\":\"LOW\"}");
    }

    @Test
    void every_schedule_retries_and_dead_letters_to_the_schedules_dlq() {
        assertThat(Resources.properties(schedules, "AWS::SQS::Queue")).singleElement().satisfies(q -> {
            assertThat(q.get("QueueName")).isEqualTo("dev-schedules-dlq");
            assertThat(q.get("SqsManagedSseEnabled")).isEqualTo(true);
        });
        assertThat(Resources.properties(schedules, "AWS::Scheduler::Schedule")).allSatisfy(s -> {
            assertThat(at(s, "Target", "RetryPolicy", "MaximumRetryAttempts")).isEqualTo(SchedulesStack.RETRY_ATTEMPTS);
            assertThat(String.valueOf(at(s, "Target", "DeadLetterConfig", "Arn"))).contains("DeadLetters");
        });
    }
}
