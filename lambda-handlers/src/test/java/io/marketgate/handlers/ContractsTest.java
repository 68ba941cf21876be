package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.handlers.observability.HandlerMetrics;
import io.marketgate.handlers.sqs.ActionMessage;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.HandBack;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.sqs.ScheduleEvent;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** The JSON contracts shared with the local runtime, hand-back arithmetic and wiring from environment variables. No network. */
class ContractsTest {

    @Test
    void a_collection_message_is_json_with_iso_instants_and_reads_back_equal() {
        // GIVEN
        CollectionMessage message = new CollectionMessage("r-1", "coupang", "A001", DataKind.ORDERS,
                Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-22T01:00:00Z"), Priority.MEDIUM);

        // WHEN
        String json = Messages.write(message);

        // THEN
        assertThat(json).isEqualTo("{\"requestId\":\"r-1\",\"market\":\"coupang\",\"sellerId\":\"A001\",\"kind\":\"ORDERS\","
                + "\"from\":\"2026-11-22T00:00:00Z\",\"to\":\"2026-11-22T01:00:00Z\",\"priority\":\"MEDIUM\"}");
        assertThat(Messages.read(json, CollectionMessage.class)).isEqualTo(message);
    }

    @Test
    void an_action_message_names_its_fifo_group_by_market_seller_and_order() {
        ActionMessage message = new ActionMessage("a-1", "k-1", "coupang", "A001", ActionMessage.ActionType.SHIP_ORDER, "O-9", "CJ", "123");
        assertThat(message.messageGroupId()).isEqualTo("coupang:A001:O-9");
        assertThat(Messages.read(Messages.write(message), ActionMessage.class)).isEqualTo(message);
    }

    @Test
    void a_schedule_event_reads_iso_durations() {
        ScheduleEvent event = Messages.read("{\"market\":\"coupang\",\"kind\":\"ORDERS\",\"lookback\":\"PT30M\","
                + "\"spreadOver\":\"PT10M\",\"priority\":\"LOW\"}", ScheduleEvent.class);
        assertThat(event).isEqualTo(new ScheduleEvent("coupang", DataKind.ORDERS, Duration.ofMinutes(30), Duration.ofMinutes(10), Priority.LOW));
    }

    @Test
    void bad_messages_are_refused_naming_the_problem() {
        assertThatThrownBy(() -> Messages.read("{\"requestId\":\"r\",\"market\":\"m\",\"sellerId\":\"s\",\"kind\":\"ORDERS\","
                + "\"from\":\"2026-11-22T01:00:00Z\",\"to\":\"2026-11-22T00:00:00Z\",\"priority\":\"LOW\"}", CollectionMessage.class))
                .isInstanceOf(Messages.BadMessageException.class).hasMessageContaining("must be after from");
        assertThatThrownBy(() -> Messages.read("{\"requestId\":\"r\",\"market\":\"m\",\"sellerId\":\"s\",\"kind\":\"ORDERS\","
                + "\"from\":\"2026-11-22T00:00:00Z\",\"to\":\"2026-11-22T01:00:00Z\",\"priority\":\"LOW\",\"unknown\":1}", CollectionMessage.class))
                .isInstanceOf(Messages.BadMessageException.class).hasMessageContaining("unknown");
        assertThatThrownBy(() -> Messages.read("", CollectionMessage.class))
                .isInstanceOf(Messages.BadMessageException.class).hasMessageContaining("empty");
    }

    @Test
    void a_hand_back_rounds_up_to_whole_seconds_and_is_capped_at_twelve_hours() {
        assertThat(HandBack.visibilitySeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(HandBack.visibilitySeconds(Duration.ofMillis(2001))).isEqualTo(3);
        assertThat(HandBack.visibilitySeconds(Duration.ofSeconds(30))).isEqualTo(30);
        assertThat(HandBack.visibilitySeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(HandBack.visibilitySeconds(Duration.ofDays(2))).isEqualTo(43_200);
        assertThat(HandBack.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(HandBack.backoff(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(HandBack.backoff(1000)).isEqualTo(HandBack.MAX_BACKOFF);
    }

    @Test
    void a_queue_is_found_by_the_last_segment_of_its_arn() {
        QueueDirectory queues = QueueDirectory.builder()
                .market("coupang", "http://127.0.0.1:9324/000000000000/mg-dev-coupang-collect",
                        "http://127.0.0.1:9324/000000000000/mg-dev-coupang-actions.fifo")
                .build();
        assertThat(queues.urlOfQueueName(QueueDirectory.queueName("arn:aws:sqs:ap-northeast-2:123456789012:mg-dev-coupang-actions.fifo")))
                .hasValue("http://127.0.0.1:9324/000000000000/mg-dev-coupang-actions.fifo");
        assertThat(queues.urlOfQueueName("other")).isEmpty();
    }

    @Test
    void the_lambda_wiring_reads_the_bundled_environment_tables_and_queues_from_variables() {
        // GIVEN the variables of a dev Lambda without Valkey
        Map<String, String> variables = Map.of(
                "MARKETGATE_ENV", "dev",
                "AWS_REGION", "ap-northeast-2",
                "MARKETGATE_TABLE_ORDERS", "mg-dev-orders",
                "MARKETGATE_TABLE_REQUESTS", "mg-dev-requests",
                "MARKETGATE_TABLE_SELLERS", "mg-dev-sellers",
                "MARKETGATE_TABLE_IDEMPOTENCY", "mg-dev-idempotency",
                "MARKETGATE_QUEUE_COUPANG_COLLECT", "https://sqs.ap-northeast-2.amazonaws.com/123456789012/mg-dev-coupang-collect");

        // WHEN
        HandlerDependencies deps = HandlerDependencies.fromVariables(variables::get);

        // THEN
        assertThat(deps.environment().name()).isEqualTo("dev");
        assertThat(deps.tables()).isEqualTo(new Tables("mg-dev-orders", "mg-dev-requests", "mg-dev-sellers", "mg-dev-idempotency"));
        assertThat(deps.queues().market("coupang").collect()).endsWith("/mg-dev-coupang-collect");
        assertThat(deps.maxLimiterWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(deps.maxActionWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(deps.lowMaxAttempts()).isEqualTo(5);
        assertThat(HandlerDependencies.queueVariable("11st", "ACTIONS")).isEqualTo("MARKETGATE_QUEUE_11ST_ACTIONS");
        deps.dynamoDb().close();
        deps.sqs().close();
    }

    @Test
    void a_missing_variable_is_named() {
        assertThatThrownBy(() -> HandlerDependencies.fromVariables(Map.of("MARKETGATE_ENV", "dev")::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("MARKETGATE_TABLE_ORDERS");
        assertThatThrownBy(() -> HandlerDependencies.fromVariables(Map.of("MARKETGATE_ENV", "nowhere")::get))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("environments/nowhere.yaml");
    }

    @Test
    void a_lambda_of_an_environment_with_a_consent_market_refuses_to_start_without_the_token_key() {
        // GIVEN a dev Lambda's variables (dev's cafe24 connects malls by consent) without MARKETGATE_TOKEN_KEY_SECRET
        Map<String, String> variables = Map.of(
                "MARKETGATE_ENV", "dev",
                "AWS_REGION", "ap-northeast-2",
                "AWS_LAMBDA_FUNCTION_NAME", "mg-dev-cafe24-collector",
                "MARKETGATE_TABLE_ORDERS", "mg-dev-orders",
                "MARKETGATE_TABLE_REQUESTS", "mg-dev-requests",
                "MARKETGATE_TABLE_SELLERS", "mg-dev-sellers",
                "MARKETGATE_TABLE_IDEMPOTENCY", "mg-dev-idempotency");

        // WHEN / THEN it stops at cold start instead of sealing connections with a key no other instance has
        assertThatThrownBy(() -> HandlerDependencies.fromVariables(variables::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MARKETGATE_TOKEN_KEY_SECRET is not set, but market cafe24 connects its sellers by consent");
    }

    @Test
    void powertools_metrics_flush_without_a_lambda_context() {
        // GIVEN Powertools' own metrics instance, outside Lambda
        HandlerMetrics metrics = HandlerMetrics.powertools();
        metrics.count("LimiterGrants", MetricUnit.COUNT, 2, Map.of("market", "coupang", "priority", "HIGH"));

        // WHEN
        metrics.flush();

        // THEN it was written (to stdout as EMF) and cleared, without failing
        assertThat(metrics.pending()).isEmpty();
    }
}
