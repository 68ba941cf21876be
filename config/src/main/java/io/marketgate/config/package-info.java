/**
 * The typed model of {@code environments/<env>.yaml} and its validating loader.
 *
 * <p>{@link io.marketgate.config.EnvironmentLoader} reads a file into an
 * {@link io.marketgate.config.EnvironmentConfig}; every problem in the file is reported at once in one
 * {@link io.marketgate.config.ConfigException}. Every section accepts only the keys listed below; any other key
 * is an error that names the keys allowed there. Names chosen by the author (environments, markets, budgets,
 * calls) are 1 to 63 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit
 * ({@link io.marketgate.limiter.Budget#NAME_PART}). Durations are written as {@code 500ms}, {@code 1s},
 * {@code 15m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT1S}), see {@link io.marketgate.config.Durations}.
 *
 * <pre>{@code
 * environment: dev                    # required; equals the file's base name
 * aws:                                # optional; absent or null parts take the AWS CLI's defaults
 *   account: null                     #   a 12-digit id in quotes, or null
 *   region: ap-northeast-2            #   or null
 * limiter:                            # required
 *   keyPrefix: mg-dev                 #   required; Valkey key prefix, no braces or white space
 *   failureMode: local-fallback       #   optional, fail-closed (default) or local-fallback; the markets' default
 * markets:                            # required; by market name
 *   coupang:
 *     displayName: Coupang Wing       #   optional; the market's name by default
 *     fleetSize: 10                   #   required, ≥ 1: the collector's maximum concurrency
 *     failureMode: local-fallback     #   optional; limiter.failureMode by default
 *     jitterGuard: auto               #   optional, default auto: each grant counts against the limit (not the
 *                                     #   ceilings) for window + guard, so calls whose delay to the market varies
 *                                     #   by up to the guard never exceed a market window;
 *                                     #   auto follows the spread p99 − p50 of the market's measured round trips
 *                                     #   (0 until 16 are measured), or a fixed 0s..1m (0s: off); the budgets' default
 *     budgets:                        #   required, at least one; by budget name, qualified as market/budget
 *       vendor:
 *         scope: vendor               #     required: vendor, endpoint, app, seller, mall or api-key (BudgetScope)
 *         limit: 10                   #     required, > 0: calls per window for the whole fleet
 *         window: 1s                  #     optional, 1ms..24h, default 1s
 *         ceilings: {high: 1.0, medium: 0.8, low: 0.7}      # optional, each in (0, 1], not rising as priority falls
 *         throttle:                   #     optional; each key defaults to ThrottleRecovery.DEFAULT
 *           defaultCooldown: 60s      #       > 0: cool-down after a throttle when the market gives no Retry-After
 *           reduceTo: 0.5             #       (0, 1]: the effective limit drops to this share of itself
 *           recoveryStep: 0.1         #       (0, 1]: share of the limit regained per step
 *           recoveryInterval: 10s     #       ≥ 1ms: time between steps
 *         jitterGuard: 150ms          #     optional: auto or 0s..1m; the market's jitterGuard by default
 *     calls:                          #   optional; by call name
 *       list-orders:
 *         budgets: [coupang/vendor]   #     required, not empty: qualified budgets of this market, each once
 *     adapter:                        #   optional; how the handlers call the market (ReferenceRestConfig)
 *       type: reference-rest          #     required; the only protocol so far (AdapterType)
 *       baseUrl: http://127.0.0.1:8601/coupang   # required; http(s) URL with a host, no query, fragment or user info
 *       apiKey: ${env:COUPANG_API_KEY}           # required; ${env:NAME} (read when the client is built; an unset
 *                                     #     variable is an error then) or the key itself for dev/simulated markets;
 *                                     #     never shown in messages or toString()
 *       pageSize: 50                  #     optional, 1..1000, default 50
 *       maxRangePerCall: 24h          #     optional, 1s..31d, default 24h: longer ranges are split into windows
 *       requestTimeout: 10s           #     optional, 1ms..2m, default 10s
 *       throttleCodes: ["004"]        #     optional; texts in quotes: HTTP 200 body codes that mean "throttled"
 *       calls:                        #     required; operation: one of this market's calls (its budgets are drawn)
 *         listOrders: list-orders     #       required
 *         shipOrder: ship-order       #       optional; without it the market cannot ship through this adapter
 *         getOrder: get-order         #       optional; re-collecting one order draws from listOrders' call without it
 * api:                                # optional; the HTTP API's limits (ApiConfig), each key with its default
 *   maxSellersPerRequest: 100         #   1..10000: sellers named by one POST /v1/collections
 *   maxRangePerRequest:               #   1s..366d: the longest range of one collection request
 *     default: 31d                    #     every market without its own key
 *     coupang: 31d                    #     a market's own maximum; keys other than default must be markets
 *   maxBodyBytes: 65536               #   1..10485760: larger request bodies are answered 413
 *   exports:
 *     heartbeatTimeout: 2m            #     ≥ 1s, < ttl: a running job with an older heartbeat is reported failed
 *     ttl: 1d                         #     ≥ 1m: how long a job's record (DynamoDB TTL) and result are kept
 *     resultUrlExpiry: 15m            #     1s..7d: validity of the result's presigned URL
 * }</pre>
 *
 * <p>{@code canary-config/<env>.yaml}, which routes of the environment's REST API marketgate's handlers serve, has
 * its own model and loader in {@link io.marketgate.config.canary}.
 */
package io.marketgate.config;
