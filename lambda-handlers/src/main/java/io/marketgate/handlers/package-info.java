/**
 * The Lambda entry points and their wiring. Handlers are thin: they parse the event, call one service of
 * {@link io.marketgate.handlers.service} and map its result. The flow is config → limiter → market client
 * ({@link io.marketgate.market}) → these handlers.
 *
 * <ul>
 *   <li>{@link io.marketgate.handlers.CollectorHandler} (SQS, a market's collection queue) →
 *       {@link io.marketgate.handlers.service.CollectorService};</li>
 *   <li>{@link io.marketgate.handlers.ActionsHandler} (SQS FIFO, a market's action queue) →
 *       {@link io.marketgate.handlers.service.ActionService};</li>
 *   <li>{@link io.marketgate.handlers.SchedulerHandler} (EventBridge Scheduler,
 *       {@link io.marketgate.handlers.sqs.ScheduleEvent}) → {@link io.marketgate.handlers.service.FanOutService};</li>
 *   <li>{@link io.marketgate.handlers.ApiHandler} (API Gateway) → {@link io.marketgate.handlers.api.ApiService};</li>
 *   <li>{@link io.marketgate.handlers.JobWorkerHandler} (asynchronous invocation) →
 *       {@link io.marketgate.handlers.jobs.ExportWorker}.</li>
 * </ul>
 *
 * <p>Each handler has a no-argument constructor for Lambda ({@link io.marketgate.handlers.HandlerDependencies#fromEnvironment()})
 * and one taking {@link io.marketgate.handlers.HandlerDependencies} (the wiring: environment, AWS clients, tables,
 * queues, the limiter's store, built here and in the local runtime) for tests and the local runtime.
 *
 * <p>Beside this package: {@link io.marketgate.handlers.service} (the logic), {@link io.marketgate.handlers.sqs}
 * (queues, message bodies, batch results and hand-backs), {@link io.marketgate.handlers.store} (the DynamoDB tables),
 * {@link io.marketgate.handlers.api} (the HTTP API), {@link io.marketgate.handlers.jobs} (background jobs) and
 * {@link io.marketgate.handlers.observability} (metrics and log context).
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
