package io.marketgate.market.elevenst;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.Seller;
import io.marketgate.market.auth.CredentialSource;
import io.marketgate.market.auth.Credentials;
import io.marketgate.market.auth.CredentialsUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * An 11st market configured through a real environment file, for one test: every call draws from the seller's
 * {@code pace} (one call per window, every priority) and {@code key} (10 per window, the default shares) budgets, as
 * an environment on 11st's ~1 call/s per key would.
 */
final class ElevenSt {

    /** A key of the length 11st issues (32). */
    static final String KEY = "0f3c9b1e5d2a4c7e9a416b8d2e7f1a03";
    static final Seller SELLER = Seller.of("seller-1");
    /** 2026-01-01 09:00 in Korea. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              11st:
                fleetSize: 1
                budgets:
                  pace: {scope: seller, limit: 1, window: PACE, ceilings: {high: 1.0, medium: 1.0, low: 1.0}}
                  key:
                    scope: seller
                    limit: 10
                    window: KEY_WINDOW
                    throttle: {defaultCooldown: 5m, reduceTo: 0.5, recoveryStep: 0.1, recoveryInterval: 30s}
                calls:
                  list-orders: {budgets: [11st/pace, 11st/key]}
                  get-order: {budgets: [11st/pace, 11st/key]}
                  ship-order: {budgets: [11st/pace, 11st/key]}
                  list-claims: {budgets: [11st/pace, 11st/key]}
                  list-inquiries: {budgets: [11st/pace, 11st/key]}
                  list-settlements: {budgets: [11st/pace, 11st/key]}
                  acknowledge-order: {budgets: [11st/pace, 11st/key]}
                  answer-inquiry: {budgets: [11st/pace, 11st/key]}
                  confirm-claim: {budgets: [11st/pace, 11st/key]}
                  reject-claim: {budgets: [11st/pace, 11st/key]}
                adapter:
                  type: 11st
                  baseUrl: BASE_URL
                  maxRangePerCall: MAX_RANGE
                  requestTimeout: 10s
                  calls: {listOrders: list-orders, getOrder: get-order, shipOrder: ship-order, listClaims: list-claims,
                          listInquiries: list-inquiries, listSettlements: list-settlements, acknowledgeOrder: acknowledge-order,
                          answerInquiry: answer-inquiry, confirmClaim: confirm-claim, rejectClaim: reject-claim}
            """;

    private ElevenSt() {}

    /** 11st's own pace: one call per 1.5 s (the market's 1 per second with room for arrival jitter), 10 per 10 s. */
    static EnvironmentConfig environment(Path dir, String baseUrl, String maxRange) throws IOException {
        return environment(dir, baseUrl, maxRange, "1500ms", "10s");
    }

    static EnvironmentConfig environment(Path dir, String baseUrl, String maxRange, String pace, String keyWindow) throws IOException {
        return load(dir, YAML.replace("BASE_URL", baseUrl).replace("MAX_RANGE", maxRange).replace("PACE", pace)
                .replace("KEY_WINDOW", keyWindow));
    }

    static EnvironmentConfig load(Path dir, String yaml) throws IOException {
        return EnvironmentLoader.load(Files.writeString(dir.resolve("test.yaml"), yaml));
    }

    static Credentials credentials(String key) {
        return ElevenStAdapter.CREDENTIALS.validate(Map.of(ElevenStAdapter.OPEN_API_KEY, key));
    }

    /** seller-1's key; every other seller has none. */
    static CredentialSource source(Credentials keys) {
        return (market, sellerId) -> {
            if (!sellerId.equals(SELLER.id())) {
                throw CredentialsUnavailableException.missing(market, sellerId);
            }
            return keys;
        };
    }

    static ElevenStAdapter adapter(EnvironmentConfig environment, CredentialSource source, Clock clock) {
        AdapterContext context = AdapterContext.of(name -> null).withCredentials(source).withClock(clock);
        return (ElevenStAdapter) MarketAdapters.forMarket(environment, "11st", context);
    }
}
