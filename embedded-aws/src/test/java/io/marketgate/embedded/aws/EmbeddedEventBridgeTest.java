package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/** {@link EmbeddedEventBridge} through the SDK's own EventBridge client. */
class EmbeddedEventBridgeTest {

    private static EmbeddedEventBridge server;
    private static EventBridgeClient events;

    @BeforeAll
    static void start() {
        server = EmbeddedEventBridge.start();
        events = server.client();
    }

    @AfterAll
    static void stop() {
        events.close();
        server.close();
    }

    @BeforeEach
    void clear() {
        server.clear();
    }

    private static PutEventsRequestEntry entry(String bus, String detail) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source("marketgate.actions").detailType("Action Done")
                .detail(detail).build();
    }

    @Test
    void accepted_entries_are_answered_with_event_ids_and_kept_for_their_bus_in_order() {
        // WHEN two events are put on a bus by name and one by ARN, with a time
        Instant at = Instant.parse("2026-11-02T03:04:05.250Z");
        PutEventsResponse response = events.putEvents(b -> b.entries(entry("dev-actions", "{\"actionId\":\"a-1\"}"),
                entry("dev-actions", "{\"actionId\":\"a-2\"}"),
                entry(EmbeddedEventBridge.busArn("dev-actions"), "{\"actionId\":\"a-3\"}").toBuilder().time(at)
                        .resources("arn:aws:sqs:ap-northeast-2:000000000000:q").build()));

        // THEN none failed, each has an id, and the server keeps them in order with their fields
        assertThat(response.failedEntryCount()).isZero();
        assertThat(response.entries()).hasSize(3).allSatisfy(e -> assertThat(e.eventId()).isNotBlank());
        List<EmbeddedEventBridge.Event> kept = server.events("dev-actions");
        assertThat(kept).extracting(e -> e.detailJson().get("actionId").asText()).containsExactly("a-1", "a-2", "a-3");
        assertThat(kept).extracting(EmbeddedEventBridge.Event::id)
                .containsExactlyElementsOf(response.entries().stream().map(PutEventsResultEntry::eventId).toList());
        assertThat(kept.get(2).time()).isEqualTo(at);
        assertThat(kept.get(2).resources()).containsExactly("arn:aws:sqs:ap-northeast-2:000000000000:q");
        assertThat(kept.get(0).source()).isEqualTo("marketgate.actions");
        assertThat(kept.get(0).detailType()).isEqualTo("Action Done");
        assertThat(server.events("default")).isEmpty();
    }

    @Test
    void an_entry_without_a_bus_goes_to_the_default_bus() {
        events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().source("s").detailType("t").detail("{}").build()));

        assertThat(server.events(EmbeddedEventBridge.DEFAULT_BUS)).hasSize(1);
    }

    @Test
    void invalid_entries_fail_in_place_with_their_error_codes_while_the_others_are_accepted() {
        // WHEN one valid entry is sent among entries lacking a field, with a detail that is not a JSON object, and
        // with a source reserved for AWS
        PutEventsResponse response = events.putEvents(b -> b.entries(
                PutEventsRequestEntry.builder().eventBusName("b").detailType("t").detail("{}").build(),
                entry("b", "{\"ok\":true}"),
                entry("b", "not json"),
                entry("b", "[1,2]"),
                entry("b", "{}").toBuilder().source("aws.events").build(),
                entry("b", "{}").toBuilder().detailType(null).build()));

        // THEN
        assertThat(response.failedEntryCount()).isEqualTo(5);
        assertThat(response.entries()).extracting(PutEventsResultEntry::errorCode)
                .containsExactly("InvalidArgument", null, "MalformedDetail", "MalformedDetail", "NotAuthorizedForSourceException",
                        "InvalidArgument");
        assertThat(response.entries().get(0).errorMessage()).contains("Source");
        assertThat(response.entries().get(1).eventId()).isNotBlank();
        assertThat(server.events("b")).hasSize(1);
        assertThat(server.failedEntries()).isEqualTo(5);
    }

    @Test
    void a_request_of_more_than_ten_entries_is_refused_whole() {
        List<PutEventsRequestEntry> eleven = IntStream.range(0, 11).mapToObj(i -> entry("b", "{\"i\":" + i + "}")).toList();

        assertThatThrownBy(() -> events.putEvents(b -> b.entries(eleven)))
                .isInstanceOfSatisfying(EventBridgeException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.statusCode()).isEqualTo(400);
                });
        assertThat(server.events()).isEmpty();
    }

    @Test
    void entries_over_256_kb_in_total_are_refused_whole_and_just_under_is_accepted() {
        // GIVEN a detail that makes the entry exactly 256 KB as EventBridge counts it (source + detail type + detail)
        String source = "marketgate.actions";
        String type = "Action Done";
        int room = EmbeddedEventBridge.MAX_REQUEST_BYTES - source.length() - type.length() - "{\"x\":\"\"}".length();
        String fits = "{\"x\":\"" + "a".repeat(room) + "\"}";
        String over = "{\"x\":\"" + "a".repeat(room + 1) + "\"}";

        // WHEN both are sent
        PutEventsResponse accepted = events.putEvents(b -> b.entries(entry("b", fits)));

        // THEN 256 KB passes, a byte more is a ValidationException for the whole request
        assertThat(accepted.failedEntryCount()).isZero();
        assertThatThrownBy(() -> events.putEvents(b -> b.entries(entry("b", over))))
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
        assertThat(server.events("b")).hasSize(1);
    }

    @Test
    void entries_told_to_fail_are_answered_with_the_error_and_counted_in_failed_entry_count() {
        // GIVEN the next entry is to fail with a retryable error
        server.failNextEntries(1, "InternalFailure", "told to fail");

        // WHEN two entries are sent
        PutEventsResponse response = events.putEvents(b -> b.entries(entry("b", "{\"n\":1}"), entry("b", "{\"n\":2}")));

        // THEN the first failed, the second was accepted
        assertThat(response.failedEntryCount()).isEqualTo(1);
        assertThat(response.entries().get(0).errorCode()).isEqualTo("InternalFailure");
        assertThat(response.entries().get(0).errorMessage()).isEqualTo("told to fail");
        assertThat(server.events("b")).extracting(e -> e.detailJson().get("n").asInt()).containsExactly(2);
    }

    @Test
    void requests_told_to_be_refused_fail_with_a_500_after_the_sdks_retries() {
        // GIVEN more refusals than the SDK's retries
        server.refuseNextRequests(10);

        // WHEN
        assertThatThrownBy(() -> events.putEvents(b -> b.entries(entry("b", "{}"))))
                .isInstanceOfSatisfying(SdkServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(500));

        // THEN nothing was kept, and every attempt reached the server
        assertThat(server.events()).isEmpty();
        assertThat(server.requests()).isGreaterThan(1);
    }

    @Test
    void an_unknown_operation_is_refused() {
        assertThatThrownBy(() -> events.listEventBuses(b -> {}))
                .isInstanceOfSatisfying(EventBridgeException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException"));
    }
}
