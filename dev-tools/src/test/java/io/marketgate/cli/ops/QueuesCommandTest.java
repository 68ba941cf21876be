package io.marketgate.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.embedded.aws.EmbeddedSqs;
import io.marketgate.local.LocalQueues;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code marketgate queues …} with {@code --local} against a real SQS-compatible server (ElasticMQ) with the
 * queues the platform creates, found through the local platform's endpoints file.
 */
class QueuesCommandTest {
    private static final String ENVIRONMENTS = Path.of("..", "environments").toString();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedSqs server;
    private static SqsClient sqs;

    @TempDir
    Path home;

    private String previousHome;
    private LocalQueues.QueuePair collect;
    private LocalQueues.QueuePair actions;

    @BeforeAll
    static void startServer() {
        server = EmbeddedSqs.start();
        sqs = server.client();
    }

    @AfterAll
    static void stopServer() {
        sqs.close();
        server.close();
    }

    @BeforeEach
    void freshQueuesAndEndpoints() {
        for (String url : sqs.listQueues().queueUrls()) {
            sqs.deleteQueue(b -> b.queueUrl(url));
        }
        collect = LocalQueues.createWithDlq(sqs, "dev-coupang-collect", Duration.ofSeconds(30), 3);
        actions = LocalQueues.createWithDlq(sqs, "dev-coupang-actions.fifo", Duration.ofSeconds(30), 3);
        previousHome = System.getProperty("marketgate.home");
        System.setProperty("marketgate.home", home.toString());
        LocalEndpoints.write(LocalEndpoints.defaultFile(), new LocalEndpoints("dev", URI.create("http://127.0.0.1:1"), Optional.empty(),
                server.endpoint(), URI.create("http://127.0.0.1:1"), Optional.empty(), Optional.empty(), ProcessHandle.current().pid()));
    }

    @AfterEach
    void restoreHome() {
        if (previousHome == null) {
            System.clearProperty("marketgate.home");
        } else {
            System.setProperty("marketgate.home", previousHome);
        }
    }

    private static CliRun queues(String... args) {
        List<String> all = new ArrayList<>(List.of("queues"));
        all.addAll(List.of(args));
        all.addAll(List.of("--environments", ENVIRONMENTS, "--local"));
        return CliRun.of(all);
    }

    private void deadLetters(int collectCount, String... actionGroups) {
        for (int i = 0; i < collectCount; i++) {
            String body = "{\"n\":" + i + "}";
            sqs.sendMessage(b -> b.queueUrl(collect.dlqUrl()).messageBody(body).messageAttributes(
                    java.util.Map.of("kind", MessageAttributeValue.builder().dataType("String").stringValue("orders").build())));
        }
        for (int i = 0; i < actionGroups.length; i++) {
            String group = actionGroups[i];
            String body = "{\"action\":" + i + ",\"group\":\"" + group + "\"}";
            String dedup = "d" + i;
            sqs.sendMessage(b -> b.queueUrl(actions.dlqUrl()).messageBody(body).messageGroupId(group).messageDeduplicationId(dedup));
        }
    }

    private static long depth(String url) {
        return LocalQueues.depth(sqs, url);
    }

    @Test
    void status_shows_each_queue_with_its_waiting_messages_and_dlq_depth() throws Exception {
        // GIVEN 2 collection requests waiting and 3 collection and 1 action dead letters
        sqs.sendMessage(b -> b.queueUrl(collect.url()).messageBody("{}"));
        sqs.sendMessage(b -> b.queueUrl(collect.url()).messageBody("{}"));
        deadLetters(3, "order-1");
        // WHEN the status is read, as text and as JSON
        CliRun text = queues("status", "--market", "coupang");
        CliRun json = queues("status", "--market", "coupang", "--json");
        // THEN both queues of coupang show their counts and their DLQ's depth
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).containsPattern("coupang\\s+dev-coupang-collect\\s+2\\s+0\\s+0\\s+n/a\\s+3")
                .containsPattern("coupang\\s+dev-coupang-actions.fifo\\s+0\\s+0\\s+0\\s+n/a\\s+1")
                .contains("(oldest-age comes from CloudWatch, which the local platform has not)");
        JsonNode rows = JSON.readTree(json.out()).path("queues");
        assertThat(rows.get(0).path("queue").asText()).isEqualTo("dev-coupang-collect");
        assertThat(rows.get(0).path("waiting").asLong()).isEqualTo(2);
        assertThat(rows.get(0).path("dlqDepth").asLong()).isEqualTo(3);
        assertThat(rows.get(1).path("dlqDepth").asLong()).isEqualTo(1);
    }

    @Test
    void a_dry_run_counts_and_shows_the_dead_letters_and_moves_nothing() {
        // GIVEN 3 collection and 2 action dead letters
        deadLetters(3, "order-1", "order-2");
        // WHEN a dry run is asked for
        CliRun run = queues("redrive", "--market", "coupang", "--dry-run");
        // THEN it says what would move, shows the messages, and every message is still in its DLQ
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("dry run: would move 3 of 3 messages from dev-coupang-collect-dlq to dev-coupang-collect; nothing was moved")
                .contains("dry run: would move 2 of 2 messages from dev-coupang-actions-dlq.fifo to dev-coupang-actions.fifo")
                .contains("group order-1").contains("{\"n\":");
        assertThat(depth(collect.dlqUrl())).isEqualTo(3);
        assertThat(depth(actions.dlqUrl())).isEqualTo(2);
        assertThat(depth(collect.url())).isZero();
    }

    @Test
    void redrive_moves_every_dead_letter_back_with_its_attributes_and_fifo_group_in_order() {
        // GIVEN 12 collection dead letters (more than one batch) and 3 actions of two orders
        deadLetters(12, "order-1", "order-2", "order-1");
        // WHEN they are redriven
        CliRun run = queues("redrive", "--market", "coupang");
        // THEN the exact counts are printed, the DLQs are empty, and the queues hold the messages
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("moved 12 messages from dev-coupang-collect-dlq to dev-coupang-collect (0 failed); 0 left in the DLQ")
                .contains("moved 3 messages from dev-coupang-actions-dlq.fifo to dev-coupang-actions.fifo (0 failed); 0 left in the DLQ");
        assertThat(run.err()).contains("12/12 messages");
        assertThat(depth(collect.dlqUrl())).isZero();
        assertThat(depth(actions.dlqUrl())).isZero();
        List<Message> collected = receiveAll(collect.url());
        assertThat(collected).hasSize(12);
        assertThat(collected).allSatisfy(m -> assertThat(m.messageAttributes().get("kind").stringValue()).isEqualTo("orders"));
        List<Message> acted = receiveAll(actions.url());
        assertThat(acted).extracting(m -> m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID) + " " + m.body())
                .containsExactlyInAnyOrder("order-1 {\"action\":0,\"group\":\"order-1\"}", "order-2 {\"action\":1,\"group\":\"order-2\"}",
                        "order-1 {\"action\":2,\"group\":\"order-1\"}");
        List<String> order1 = acted.stream().filter(m -> m.body().contains("order-1")).map(Message::body).toList();
        assertThat(order1).containsExactly("{\"action\":0,\"group\":\"order-1\"}", "{\"action\":2,\"group\":\"order-1\"}");
    }

    @Test
    void max_moves_exactly_that_many_and_leaves_the_rest() throws Exception {
        // GIVEN 5 collection dead letters
        deadLetters(5);
        // WHEN at most 2 are redriven from the collection DLQ, with JSON output
        CliRun run = queues("redrive", "--market", "coupang", "--queue", "collect", "--max", "2", "--json");
        // THEN exactly 2 moved and 3 are left
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode q = JSON.readTree(run.out()).path("queues").get(0);
        assertThat(q.path("moved").asInt()).isEqualTo(2);
        assertThat(q.path("leftInDlq").asLong()).isEqualTo(3);
        assertThat(depth(collect.url())).isEqualTo(2);
        assertThat(depth(collect.dlqUrl())).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown market   | redrive --market coupnag                | 2 | --market: unknown market 'coupnag' in environment dev",
        "max zero         | redrive --market coupang --max 0        | 2 | --max is 0, must be ≥ 1",
        "unknown queue    | redrive --market coupang --queue orders | 2 | --queue is 'orders', must be collect, actions or all",
        "missing queue    | redrive --market naver                  | 1 | queue dev-naver-collect-dlq does not exist in local SQS",
        "another env      | redrive --market coupang --env prod     | 2 | --env is 'prod' but the local platform runs environment 'dev'; drop --env or --local",
    })
    void bad_input_gets_a_clear_error_and_leaves_the_dead_letters_where_they_are(String scenario, String args, int exitCode, String message) {
        // GIVEN 3 collection and 1 action dead letters
        deadLetters(3, "order-1");
        // WHEN the bad command runs
        CliRun run = queues(args.trim().split("\\s+"));
        // THEN exit 2 (a usage error) or 1 (no such queue) with a clear line, and nothing moved
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
        assertThat(run.err()).contains("marketgate: " + message.trim());
        assertThat(depth(collect.dlqUrl())).isEqualTo(3);
        assertThat(depth(actions.dlqUrl())).isEqualTo(1);
        assertThat(depth(collect.url())).isZero();
    }

    @Test
    void without_a_running_local_platform_local_says_how_to_start_one() throws Exception {
        // GIVEN no endpoints file
        java.nio.file.Files.delete(LocalEndpoints.defaultFile());
        // WHEN a local command runs
        CliRun run = queues("status");
        // THEN it says to start the platform
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no local platform is running").contains("./marketgate local up");
    }

    private static List<Message> receiveAll(String url) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(60)
                    .messageAttributeNames("All").messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }
}
