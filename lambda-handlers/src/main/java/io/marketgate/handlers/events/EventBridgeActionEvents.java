package io.marketgate.handlers.events;

import io.marketgate.handlers.store.ActionRecords;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link ActionEvents} on an EventBridge bus: one {@code PutEvents} entry per event. A request that fails (after the
 * SDK's own retries) or an entry the bus answers with an error ({@code FailedEntryCount} above 0) is a
 * {@link ActionEvents.NotPublishedException} naming the action and the bus's error code.
 */
public final class EventBridgeActionEvents implements ActionEvents {

    private final EventBridgeClient client;
    private final String bus;

    /**
     * @param client the EventBridge client (the caller closes it)
     * @param bus the event bus's name or ARN ({@code MARKETGATE_EVENT_BUS})
     */
    public EventBridgeActionEvents(EventBridgeClient client, String bus) {
        this.client = Objects.requireNonNull(client, "client");
        if (bus == null || bus.isBlank()) {
            throw new IllegalArgumentException("bus is missing");
        }
        this.bus = bus;
    }

    /** The bus the events go to. */
    public String bus() {
        return bus;
    }

    @Override
    public String publish(ActionRecords.ActionRecord record) {
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder().eventBusName(bus).source(SOURCE)
                .detailType(ActionEvents.detailType(record)).detail(record.toJson().toString()).time(record.updatedAt()).build();
        String action = record.details().actionId();
        PutEventsResponse response;
        try {
            response = client.putEvents(b -> b.entries(entry));
        } catch (SdkException e) {
            throw new NotPublishedException("the event of action " + action + " was not put on " + bus + ": " + e.getMessage(), e);
        }
        PutEventsResultEntry result = response.entries().isEmpty() ? null : response.entries().get(0);
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0 || result == null || result.eventId() == null) {
            String why = result == null ? "no entry in the answer" : result.errorCode() + ": " + result.errorMessage();
            throw new NotPublishedException("the event of action " + action + " was refused by " + bus + " (" + why + ")", null);
        }
        return result.eventId();
    }
}
