package io.marketgate.embedded.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.embedded.aws.AwsJsonServer.Refused;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * An EventBridge-compatible server inside this JVM, on a free loopback port, in memory: the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: AWSEvents.PutEvents}, {@code application/x-amz-json-1.1}) of {@code PutEvents}, so that the
 * SDK's own {@link EventBridgeClient} talks to it through an endpoint override. It keeps every event it accepted, in
 * order, for tests and the local runtime's report ({@link #events()}). For tests and local runs: no open-source
 * EventBridge server is published on the registries this project uses.
 *
 * <p>What it checks, as the PutEvents reference documents it:
 * <ul>
 *   <li>the request: {@code Entries} is a list of 1 to 10 entries, and their total size (computed as EventBridge
 *       computes it: {@code Time} 14 bytes when given, the UTF-8 bytes of {@code Source}, {@code DetailType},
 *       {@code Detail} and each of {@code Resources}) is at most 256 KB, else the whole request is refused with
 *       {@code ValidationException} (HTTP 400);</li>
 *   <li>each entry: {@code Source} (1 to 256 characters, not starting with {@code aws.}: that is
 *       {@code NotAuthorizedForSourceException}), {@code DetailType} (1 to 128) and {@code Detail} are required
 *       ({@code InvalidArgument}); {@code Detail} must be a JSON object ({@code MalformedDetail}); at most 100
 *       {@code Resources}. A failed entry is answered in place with {@code ErrorCode} and {@code ErrorMessage}, the
 *       others with their {@code EventId}, and {@code FailedEntryCount} counts the failed ones, as EventBridge does:
 *       the other entries are accepted.</li>
 * </ul>
 * An event for a bus that was never created is accepted, as EventBridge accepts it (it answers an {@code EventId} and
 * drops the event); this server keeps it under the bus's name. {@code EventBusName} may be a name or an ARN; absent,
 * it is {@code default}. It checks no signature.
 *
 * <p>What a real service cannot be made to do on demand, it can: {@link #failNextEntries} answers the next entries
 * with an error code of one's choice ({@code InternalFailure}, {@code ThrottlingException}) and
 * {@link #refuseNextRequests} refuses whole requests with an HTTP 500 {@code InternalException}, so that a caller's
 * handling of a failed publication can be tested.
 *
 * <pre>{@code
 * try (EmbeddedEventBridge server = EmbeddedEventBridge.start(); EventBridgeClient events = server.client()) {
 *     events.putEvents(b -> b.entries(e -> e.eventBusName("dev-actions").source("marketgate.actions")
 *             .detailType("Action Done").detail("{\"actionId\":\"a-1\"}")));
 *     server.events("dev-actions");   // [Event[bus=dev-actions, source=marketgate.actions, …]]
 * }
 * }</pre>
 */
public final class EmbeddedEventBridge implements AutoCloseable {

    /** The most entries one PutEvents request may carry. */
    public static final int MAX_ENTRIES = 10;
    /** The largest total entry size of one PutEvents request, in bytes (256 KB). */
    public static final int MAX_REQUEST_BYTES = 256 * 1024;
    /** The bus of an entry without {@code EventBusName}. */
    public static final String DEFAULT_BUS = "default";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final String ACCOUNT = "000000000000";
    private static final int TIME_BYTES = 14;

    private final AwsJsonServer server;
    private final Clock clock;
    private final List<Event> events = new ArrayList<>();
    private final Deque<String[]> entryFailures = new ArrayDeque<>();
    private int requestsToRefuse;
    private int failedEntries;
    private int requests;

    /**
     * An event the server accepted.
     *
     * @param id the {@code EventId} it answered
     * @param bus the bus's name (the last part of an ARN)
     * @param time the entry's {@code Time}, else when the server received it
     * @param detail the JSON text of {@code Detail}, as sent
     */
    public record Event(String id, String bus, String source, String detailType, String detail, List<String> resources,
            Instant time) {
        public Event {
            Objects.requireNonNull(id, "id");
            resources = List.copyOf(resources);
        }

        /** {@link #detail} read as JSON. */
        public JsonNode detailJson() {
            try {
                return JSON.readTree(detail);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an accepted event's detail is JSON", e);
            }
        }
    }

    private EmbeddedEventBridge(Clock clock) {
        this.clock = clock;
        this.server = AwsJsonServer.start(TARGET_PREFIX, "embedded-eventbridge", "EventBridge", this::operation);
    }

    /** Starts a server on a free loopback port. */
    public static EmbeddedEventBridge start() {
        return new EmbeddedEventBridge(Clock.systemUTC());
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint an SDK client overrides its own with. */
    public URI endpoint() {
        return server.endpoint();
    }

    /** A new client of this server (the dummy credentials and region of {@link LocalAws}); the caller closes it. */
    public EventBridgeClient client() {
        return LocalAws.eventBridge(server.endpoint());
    }

    /** Every event accepted so far, in the order accepted. */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** The events accepted for {@code bus} (a name), in order. */
    public synchronized List<Event> events(String bus) {
        return events.stream().filter(e -> e.bus().equals(bus)).toList();
    }

    /** How many entries were answered with an error so far (refused whole requests not counted). */
    public synchronized int failedEntries() {
        return failedEntries;
    }

    /** How many PutEvents requests arrived so far, refused ones included. */
    public synchronized int requests() {
        return requests;
    }

    /**
     * Answers the next {@code count} entries (that pass validation) with {@code errorCode} and {@code errorMessage}
     * instead of accepting them: {@code InternalFailure} and {@code ThrottlingException} are EventBridge's retryable
     * entry errors.
     */
    public synchronized void failNextEntries(int count, String errorCode, String errorMessage) {
        for (int i = 0; i < count; i++) {
            entryFailures.add(new String[] {errorCode, errorMessage});
        }
    }

    /** Refuses the next {@code count} requests whole with HTTP 500 {@code InternalException} (the SDK retries those). */
    public synchronized void refuseNextRequests(int count) {
        requestsToRefuse += count;
    }

    /** Forgets the accepted events and any failures still planned. */
    public synchronized void clear() {
        events.clear();
        entryFailures.clear();
        requestsToRefuse = 0;
        failedEntries = 0;
        requests = 0;
    }

    @Override
    public void close() {
        server.close();
    }

    /** One operation, under the server's lock: the events are a plain list. */
    private synchronized ObjectNode operation(String operation, JsonNode request) {
        return switch (operation) {
            case "PutEvents" -> putEvents(request);
            default -> throw new Refused("UnknownOperationException", "the operation " + operation + " is not supported here");
        };
    }

    private ObjectNode putEvents(JsonNode request) {
        requests++;
        if (requestsToRefuse > 0) {
            requestsToRefuse--;
            throw new Refused(500, "InternalException", "the embedded EventBridge was told to refuse this request");
        }
        JsonNode entries = request.get("Entries");
        if (entries == null || !entries.isArray()) {
            throw new Refused("ValidationException", "1 validation error detected: Value null at 'entries' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new Refused("ValidationException", "1 validation error detected: Value at 'entries' failed to satisfy "
                    + "constraint: Member must have length between 1 and " + MAX_ENTRIES + ", was " + entries.size());
        }
        long total = 0;
        for (JsonNode entry : entries) {
            total += size(entry);
        }
        if (total > MAX_REQUEST_BYTES) {
            throw new Refused("ValidationException", "Total size of the entries in the request is over the limit: " + total
                    + " bytes, at most " + MAX_REQUEST_BYTES);
        }
        Instant now = clock.instant();
        ArrayNode answers = JSON.createArrayNode();
        int failed = 0;
        for (JsonNode entry : entries) {
            String[] error = check(entry);
            if (error == null && !entryFailures.isEmpty()) {
                error = entryFailures.poll();
            }
            if (error != null) {
                failed++;
                answers.addObject().put("ErrorCode", error[0]).put("ErrorMessage", error[1]);
                continue;
            }
            String id = UUID.randomUUID().toString();
            List<String> resources = new ArrayList<>();
            if (entry.hasNonNull("Resources")) {
                entry.get("Resources").forEach(r -> resources.add(r.asText()));
            }
            Instant time = entry.hasNonNull("Time") ? epoch(entry.get("Time")) : now;
            events.add(new Event(id, busName(text(entry, "EventBusName")), text(entry, "Source"), text(entry, "DetailType"),
                    text(entry, "Detail"), resources, time));
            answers.addObject().put("EventId", id);
        }
        failedEntries += failed;
        ObjectNode response = JSON.createObjectNode().put("FailedEntryCount", failed);
        response.set("Entries", answers);
        return response;
    }

    /** The entry's error code and message, or null when it is valid. */
    private static String[] check(JsonNode entry) {
        if (!entry.isObject()) {
            return new String[] {"InvalidArgument", "an entry must be an object"};
        }
        for (String field : List.of("Source", "DetailType", "Detail")) {
            String value = text(entry, field);
            if (value == null || value.isEmpty()) {
                return new String[] {"InvalidArgument", "Parameter " + field + " is not valid. Reason: " + field
                        + " is a required argument."};
            }
        }
        String source = text(entry, "Source");
        if (source.length() > 256) {
            return new String[] {"InvalidArgument", "Parameter Source is not valid. Reason: at most 256 characters."};
        }
        if (source.startsWith("aws.")) {
            return new String[] {"NotAuthorizedForSourceException", "Not authorized for the source " + source + "."};
        }
        if (text(entry, "DetailType").length() > 128) {
            return new String[] {"InvalidArgument", "Parameter DetailType is not valid. Reason: at most 128 characters."};
        }
        if (entry.hasNonNull("Resources") && (!entry.get("Resources").isArray() || entry.get("Resources").size() > 100)) {
            return new String[] {"InvalidArgument", "Parameter Resources is not valid. Reason: at most 100 resources."};
        }
        try {
            JsonNode detail = JSON.readTree(text(entry, "Detail"));
            if (detail == null || !detail.isObject()) {
                return new String[] {"MalformedDetail", "Detail is malformed."};
            }
        } catch (JsonProcessingException e) {
            return new String[] {"MalformedDetail", "Detail is malformed."};
        }
        return null;
    }

    /** The entry's size as EventBridge counts it towards the request's 256 KB. */
    static long size(JsonNode entry) {
        long size = entry.hasNonNull("Time") ? TIME_BYTES : 0;
        for (String field : List.of("Source", "DetailType", "Detail")) {
            String value = text(entry, field);
            size += value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
        }
        JsonNode resources = entry.get("Resources");
        if (resources != null && resources.isArray()) {
            for (JsonNode r : resources) {
                size += r.asText().getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return size;
    }

    private static String busName(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return DEFAULT_BUS;
        }
        int slash = nameOrArn.lastIndexOf('/');
        return nameOrArn.startsWith("arn:") && slash >= 0 ? nameOrArn.substring(slash + 1) : nameOrArn;
    }

    /** The AWS JSON protocol's timestamp: seconds since the epoch, with a fraction. */
    private static Instant epoch(JsonNode time) {
        BigDecimal seconds = time.decimalValue();
        long whole = seconds.longValue();
        long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Instant.ofEpochSecond(whole, nanos);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The ARN of {@code bus} in the embedded region and account, as an entry's {@code EventBusName} may name it. */
    public static String busArn(String bus) {
        return "arn:aws:events:" + LocalAws.REGION.id() + ":" + ACCOUNT + ":event-bus/" + bus;
    }
}
