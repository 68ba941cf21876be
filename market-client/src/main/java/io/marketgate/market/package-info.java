/**
 * The market client: every market call is planned by a {@link io.marketgate.market.MarketAdapter}, drawn
 * from the fleet's budgets by {@link io.marketgate.market.MarketClient} through the
 * {@link io.marketgate.limiter.PriorityLimiter}, sent, and classified as a
 * {@link io.marketgate.market.CallOutcome}.
 *
 * <pre>{@code
 * EnvironmentConfig env = EnvironmentLoader.load(Path.of("environments"), "dev");
 * MarketConfig coupang = env.market("coupang");
 * PriorityLimiter limiter = PriorityLimiter.builder().budgets(coupang.limiterBudgets())
 *         .failureMode(coupang.failureMode()).store(store).build();
 * MarketClient client = MarketClient.builder(limiter, MarketAdapters.forMarket(env, "coupang", System::getenv)).build();
 *
 * var request = new CollectionRequest("coupang", Seller.of("A00012345"), DataKind.ORDERS, from, to);
 * switch (client.collect(request, Priority.MEDIUM, Duration.ofSeconds(2), (call, page) -> writer.write(page))) {
 *     case CollectionResult.Completed done -> ack(message);
 *     case CollectionResult.Stopped stopped -> handBack(message, stopped);   // checkpoint stopped.resumeAt()
 * }
 * CallOutcome shipped = client.execute(new MarketAction.ShipOrder(seller, "O-1", "CJ", "123456789"), Duration.ofSeconds(5));
 * }</pre>
 *
 * <h2>Protocols</h2>
 *
 * <p>Each market protocol is one package beside this one, with its {@link io.marketgate.market.MarketAdapter} and
 * its {@link io.marketgate.market.MarketAdapterFactory}, listed in
 * {@code META-INF/services/io.marketgate.market.MarketAdapterFactory}; {@link io.marketgate.market.MarketAdapters}
 * picks the factory by the {@code adapter.type} of a market's section. Today: {@link io.marketgate.market.reference}
 * ({@code reference-rest}, the protocol of the simulated markets), {@link io.marketgate.market.coupang} ({@code coupang},
 * Coupang Wing), {@link io.marketgate.market.naver} ({@code naver}, Naver Commerce) and
 * {@link io.marketgate.market.elevenst} ({@code 11st}, 11st's Open API).
 *
 * <p>Nothing reaches a market around the limiter: the adapters only plan requests and classify answers, and the one
 * sender is package-private to {@link io.marketgate.market.MarketClient}.
 */
package io.marketgate.market;
