/**
 * The logic behind the SQS and Scheduler handlers, in plain classes that tests and the local runtime call directly:
 * {@link io.marketgate.handlers.service.CollectorService} collects requests through the market client,
 * {@link io.marketgate.handlers.service.ActionService} performs actions exactly once as far as the market can tell,
 * {@link io.marketgate.handlers.service.FanOutService} turns a schedule into one collection request per seller, and
 * {@link io.marketgate.handlers.service.MarketClients} keeps one {@link io.marketgate.market.MarketClient} and limiter
 * per market for the life of a handler instance.
 *
 * <pre>{@code
 * try (MarketClients clients = new MarketClients(deps, metrics)) {
 *     BatchResult result = new CollectorService(deps, clients).process(messages);
 * }
 * }</pre>
 */
package io.marketgate.handlers.service;
