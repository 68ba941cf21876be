/** The events of final actions ({@link io.marketgate.handlers.events.ActionEvents}), on EventBridge. */
package io.marketgate.handlers.events;
