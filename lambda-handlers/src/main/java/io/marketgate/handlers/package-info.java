/**
 * The Lambda entry points and the services behind them. Handlers are thin: they parse the event, call one service
 * and map its result.
 *
 * <ul>
 *   <li>{@link io.marketgate.handlers.CollectorHandler} (SQS, a market's collection queue) →
 *       {@link io.marketgate.handlers.service.CollectorService};</li>
 *   <li>{@link io.marketgate.handlers.ActionsHandler} (SQS FIFO, a market's action queue) →
 *       {@link io.marketgate.handlers.service.ActionService};</li>
 *   <li>{@link io.marketgate.handlers.SchedulerHandler} (EventBridge Scheduler,
 *       {@link io.marketgate.handlers.sqs.ScheduleEvent}) → {@link io.marketgate.handlers.service.FanOutService}.</li>
 * </ul>
 *
 * <p>Each handler has a no-argument constructor for Lambda ({@link io.marketgate.handlers.HandlerDependencies#fromEnvironment()})
 * and one taking {@link io.marketgate.handlers.HandlerDependencies} for tests and the local runtime. Message bodies
 * are the records of {@link io.marketgate.handlers.sqs}; tables and their attributes are described in
 * {@link io.marketgate.handlers.store.TableSchemas}; request status is read with
 * {@link io.marketgate.handlers.store.RequestStatusRepository}.
 *
 * <pre>{@code
 * HandlerDependencies deps = HandlerDependencies.builder()
 *         .environment(env).dynamoDb(dynamo).sqs(sqs).tables(Tables.withPrefix("mg-local-"))
 *         .queues(QueueDirectory.builder().market("coupang", collectUrl, actionsUrl).build())
 *         .storeForMarket(market -> new InMemoryLimiterStore(Clock.systemUTC()))
 *         .build();
 * TableSchemas.createAll(dynamo, deps.tables());
 * SQSBatchResponse response = new CollectorHandler(deps).handleRequest(sqsEvent, null);
 * }</pre>
 */
package io.marketgate.handlers;
