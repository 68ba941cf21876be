/**
 * The sellers of each market and their credentials, one way for the Lambda handlers and the operator CLI:
 * <ul>
 *   <li>{@link io.marketgate.sellers.SellerRegistry}: the {@code sellers} table, each seller's PUBLIC credential fields
 *       (vendorId, clientId, accountId, …) and its {@link io.marketgate.sellers.SellerStatus status}, never a secret;</li>
 *   <li>{@link io.marketgate.sellers.SellerCredentialStore}: one Secrets Manager secret per seller and market,
 *       {@code <env>/marketgate/sellers/<market>/<sellerId>}, the JSON of every credential field;</li>
 *   <li>{@link io.marketgate.sellers.SellerDirectory}: registration (validate, write the secret, then the row, and undo the
 *       secret when the row cannot be written), listing and removal;</li>
 *   <li>{@link io.marketgate.sellers.CachingCredentialSource}: the {@link io.marketgate.market.auth.CredentialSource}
 *       the adapters read, through a cache with a time to live.</li>
 * </ul>
 * No secret value appears in a log line, an exception's message or a {@code toString()} of this package.
 */
package io.marketgate.sellers;
