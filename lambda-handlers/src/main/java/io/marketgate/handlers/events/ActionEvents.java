package io.marketgate.handlers.events;

import io.marketgate.handlers.store.ActionRecords;

/**
 * Where a final action's event goes, so that other services can react to it: one event per action that ended DONE
 * ({@value #DONE}) or FAILED ({@value #FAILED}), from {@value #SOURCE}, whose detail is the action's record as
 * {@code GET /v1/actions/{actionId}} answers it ({@link ActionRecords.ActionRecord#toJson()}, no secrets).
 *
 * <p>The actions handler publishes before it lets go of the message: when publishing fails the message is redelivered
 * and the event published then (the action itself is not performed again), so a final outcome, above all a failure, is
 * never dropped silently. A consumer may see an event twice (published, then the note of it lost); the detail's
 * {@code actionId} names the action.
 *
 * <pre>{@code
 * ActionEvents events = new EventBridgeActionEvents(eventBridgeClient, "dev-actions");
 * String eventId = events.publish(record);   // throws NotPublishedException when the bus did not take it
 * }</pre>
 */
public interface ActionEvents {

    /** The events' {@code source}. */
    String SOURCE = "marketgate.actions";
    /** The {@code detail-type} of an action that ended DONE (applied, or applied already). */
    String DONE = "Action Done";
    /** The {@code detail-type} of an action that ended FAILED (the market's refusal, with its reason). */
    String FAILED = "Action Failed";

    /**
     * Publishes the event of {@code record}, which is final.
     *
     * @return the event's id
     * @throws NotPublishedException when the event did not reach the bus (an error, or an entry the bus refused)
     * @throws IllegalArgumentException when the record is not final
     */
    String publish(ActionRecords.ActionRecord record);

    /** The detail-type of a final record's event. */
    static String detailType(ActionRecords.ActionRecord record) {
        return switch (record.status()) {
            case DONE -> DONE;
            case FAILED -> FAILED;
            default -> throw new IllegalArgumentException("action " + record.details().actionId() + " is " + record.status()
                    + ", not final: only DONE and FAILED actions have events");
        };
    }

    /** An event that was not published; the caller keeps the message so that it is published on the redelivery. */
    final class NotPublishedException extends RuntimeException {
        public NotPublishedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
