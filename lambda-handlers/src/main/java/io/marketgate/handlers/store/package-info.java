/**
 * The handlers' DynamoDB tables: their names ({@link io.marketgate.handlers.store.Tables}) and keys and attributes
 * ({@link io.marketgate.handlers.store.TableSchemas}), and one class per table: collected orders
 * ({@link io.marketgate.handlers.store.OrderStore}), request status
 * ({@link io.marketgate.handlers.store.RequestStatusRepository}, {@link io.marketgate.handlers.store.RequestStatus}),
 * sellers ({@link io.marketgate.sellers.SellerRegistry}) and action idempotency
 * ({@link io.marketgate.handlers.store.IdempotencyStore}); {@link io.marketgate.handlers.store.Update} builds their
 * update expressions.
 *
 * <pre>{@code
 * Tables tables = Tables.withPrefix("mg-dev-");
 * TableSchemas.createAll(dynamo, tables);
 * }</pre>
 */
package io.marketgate.handlers.store;
