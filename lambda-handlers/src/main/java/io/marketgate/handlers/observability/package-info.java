/**
 * What the handlers tell operators: {@link io.marketgate.handlers.observability.HandlerMetrics} (CloudWatch EMF through
 * Powertools: limiter decisions and market calls per market and priority) and
 * {@link io.marketgate.handlers.observability.RecordContext} (the log keys of the SQS record being processed).
 */
package io.marketgate.handlers.observability;
