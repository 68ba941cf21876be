package io.marketgate.market.coupang;

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
 * A Coupang market configured through a real environment file, for one test: {@code list-orders} draws from the
 * vendor's instance and the fleet-wide {@code ordersheets} budget, {@code get-order} and {@code ship-order} from the
 * vendor's instance. The seller's keys are the ones of the hand-computed vectors in market-protocols.md.
 */
final class Coupang {

    static final String VENDOR = "A00012345";
    static final String ACCESS_KEY = "0f3c9b1e-5d2a-4c7e-9a41-6b8d2e7f1a03";
    /** The secret of the [I] vectors of market-protocols.md. */
    static final String SECRET_KEY = "sim-secret-key";
    static final Seller SELLER = Seller.of("seller-1").withVendorId(VENDOR);
    /** The signed-date of the [I] vectors, 260101T000000Z. */
    static final Clock VECTOR_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    static final String YAML = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              coupang:
                fleetSize: 1
                budgets:
                  vendor:
                    scope: vendor
                    limit: 10
                    window: 1s
                    throttle: {defaultCooldown: 5m, reduceTo: 0.5, recoveryStep: 0.1, recoveryInterval: 30s}
                  ordersheets: {scope: endpoint, limit: 100, window: 1s}
                calls:
                  list-orders: {budgets: [coupang/vendor, coupang/ordersheets]}
                  get-order: {budgets: [coupang/vendor]}
                  ship-order: {budgets: [coupang/vendor]}
                adapter:
                  type: coupang
                  baseUrl: BASE_URL
                  pageSize: 50
                  maxRangePerCall: MAX_RANGE
                  requestTimeout: 10s
                  calls: {listOrders: list-orders, getOrder: get-order, shipOrder: ship-order}
            """;

    private Coupang() {}

    static EnvironmentConfig environment(Path dir, String baseUrl) throws IOException {
        return environment(dir, baseUrl, "24h");
    }

    static EnvironmentConfig environment(Path dir, String baseUrl, String maxRange) throws IOException {
        return load(dir, YAML.replace("BASE_URL", baseUrl).replace("MAX_RANGE", maxRange));
    }

    static EnvironmentConfig load(Path dir, String yaml) throws IOException {
        return EnvironmentLoader.load(Files.writeString(dir.resolve("test.yaml"), yaml));
    }

    static Credentials credentials() {
        return credentials(VENDOR, ACCESS_KEY, SECRET_KEY);
    }

    static Credentials credentials(String vendorId, String accessKey, String secretKey) {
        return CoupangAdapter.CREDENTIALS.validate(Map.of("vendorId", vendorId, "accessKey", accessKey, "secretKey", secretKey));
    }

    /** seller-1's keys; every other seller has none. */
    static CredentialSource source() {
        return source(credentials());
    }

    static CredentialSource source(Credentials keys) {
        return (market, sellerId) -> {
            if (!sellerId.equals(SELLER.id())) {
                throw CredentialsUnavailableException.missing(market, sellerId);
            }
            return keys;
        };
    }

    static CoupangAdapter adapter(EnvironmentConfig environment, CredentialSource source, Clock clock) {
        AdapterContext context = AdapterContext.of(name -> null).withCredentials(source).withClock(clock);
        return (CoupangAdapter) MarketAdapters.forMarket(environment, "coupang", context);
    }
}
