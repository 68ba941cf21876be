/**
 * The SQS plumbing of the handlers: where each market's queues are ({@link io.marketgate.handlers.sqs.QueueDirectory},
 * {@link io.marketgate.handlers.sqs.QueueUrls}), a record as the services see it
 * ({@link io.marketgate.handlers.sqs.QueuedMessage}), what becomes of a batch
 * ({@link io.marketgate.handlers.sqs.BatchResult}, {@link io.marketgate.handlers.sqs.HandBack} for a message that
 * waits on its queue instead of in the function), and the message bodies with their JSON
 * ({@link io.marketgate.handlers.sqs.CollectionMessage}, {@link io.marketgate.handlers.sqs.ActionMessage}, the
 * Scheduler's {@link io.marketgate.handlers.sqs.ScheduleEvent}, {@link io.marketgate.handlers.sqs.Messages}).
 *
 * <pre>{@code
 * String body = Messages.json().writeValueAsString(message);
 * sqs.sendMessage(b -> b.queueUrl(queues.market("coupang").collect()).messageBody(body));
 * }</pre>
 */
package io.marketgate.handlers.sqs;
