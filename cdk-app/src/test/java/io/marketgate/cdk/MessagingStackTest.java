package io.marketgate.cdk;

import static io.marketgate.cdk.Resources.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class MessagingStackTest {

    private final Synthesized dev = Synthesized.environment("dev");
    private final Template messaging = dev.template(dev.stacks.messaging());

    @Test
    void each_market_has_a_collection_queue_and_a_fifo_action_queue_each_with_its_dead_letter_queue() {
        List<Map<String, Object>> queues = Resources.properties(messaging, "AWS::SQS::Queue");
        int markets = dev.deployment.infrastructure().markets().size();
        assertThat(queues).hasSize(4 * markets);
        for (String market : dev.deployment.infrastructure().markets().keySet()) {
            String prefix = "dev-" + market;
            assertThat(queues).extracting(q -> q.get("QueueName"))
                    .contains(prefix + "-collect", prefix + "-collect-dlq", prefix + "-actions.fifo", prefix + "-actions-dlq.fifo");
        }
        assertThat(queues).filteredOn(q -> String.valueOf(q.get("QueueName")).endsWith(".fifo"))
                .allSatisfy(q -> assertThat(q.get("FifoQueue")).isEqualTo(true));
    }

    @Test
    void the_environment_has_an_actions_event_bus_of_its_own() {
        List<Map<String, Object>> buses = Resources.properties(messaging, "AWS::Events::EventBus");
        assertThat(buses).extracting(b -> b.get("Name")).containsExactly("dev-actions");
    }

    @Test
    void every_queue_that_is_not_a_dlq_redrives_to_one_after_the_configured_receives() {
        List<Map<String, Object>> queues = Resources.properties(messaging, "AWS::SQS::Queue");
        assertThat(queues).filteredOn(q -> !String.valueOf(q.get("QueueName")).contains("-dlq")).isNotEmpty().allSatisfy(q -> {
            assertThat(at(q, "RedrivePolicy", "maxReceiveCount")).isEqualTo(20);
            assertThat(at(q, "RedrivePolicy", "deadLetterTargetArn")).isNotNull();
        });
    }

    @Test
    void every_queue_is_encrypted_and_refuses_plain_http() {
        List<Map<String, Object>> queues = Resources.properties(messaging, "AWS::SQS::Queue");
        assertThat(queues).allSatisfy(q -> assertThat(q.get("SqsManagedSseEnabled")).isEqualTo(true));
        List<Map<String, Object>> policies = Resources.properties(messaging, "AWS::SQS::QueuePolicy");
        assertThat(policies).hasSize(queues.size()).allSatisfy(p -> assertThat(String.valueOf(p.get("PolicyDocument")))
                .contains("Deny").contains("aws:SecureTransport=false"));
    }

    @Test
    void visibility_is_the_configured_multiple_of_at_least_six_times_the_consumers_timeout() {
        List<Map<String, Object>> queues = Resources.properties(messaging, "AWS::SQS::Queue");
        for (MarketInfrastructure m : dev.deployment.infrastructure().markets().values()) {
            assertThat(m.queues().visibilityMultiplier()).isGreaterThanOrEqualTo(6);
            assertThat(visibility(queues, "dev-" + m.market() + "-collect"))
                    .isEqualTo(m.collector().size().timeout().toSeconds() * m.queues().visibilityMultiplier());
            assertThat(visibility(queues, "dev-" + m.market() + "-actions.fifo"))
                    .isEqualTo(m.actions().size().timeout().toSeconds() * m.queues().visibilityMultiplier());
        }
    }

    private static long visibility(List<Map<String, Object>> queues, String name) {
        return queues.stream().filter(q -> name.equals(q.get("QueueName"))).map(q -> ((Number) q.get("VisibilityTimeout")).longValue())
                .findFirst().orElseThrow();
    }
}
