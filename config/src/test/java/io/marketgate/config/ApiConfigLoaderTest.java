package io.marketgate.config;

import static io.marketgate.config.ConfigFileAssertions.assertReports;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code api:} section: defaults when absent, each rule with the file, path and rule when broken. */
class ApiConfigLoaderTest {

    private static final String BASE = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 2
                budgets:
                  api: {scope: app, limit: 10}
                calls:
                  list-orders: {budgets: [shop/api]}
            """;

    @TempDir
    Path dir;

    @Test
    void an_environment_without_an_api_section_gets_the_defaults() throws IOException {
        EnvironmentConfig config = EnvironmentLoader.load(write(BASE));

        assertThat(config.api()).isEqualTo(ApiConfig.DEFAULTS);
        assertThat(config.api().maxRange("shop")).isEqualTo(Duration.ofDays(31));
    }

    @Test
    void every_key_is_read_and_a_market_may_have_its_own_maximum_range() throws IOException {
        EnvironmentConfig config = EnvironmentLoader.load(write(BASE + """
                api:
                  maxSellersPerRequest: 5
                  maxRangePerRequest: {default: 7d, shop: 2d}
                  maxBodyBytes: 1024
                  exports: {heartbeatTimeout: 30s, ttl: 2h, resultUrlExpiry: 5m}
                """));

        ApiConfig api = config.api();
        assertThat(api.maxSellersPerRequest()).isEqualTo(5);
        assertThat(api.maxRange("shop")).isEqualTo(Duration.ofDays(2));
        assertThat(api.maxRange("other")).isEqualTo(Duration.ofDays(7));
        assertThat(api.maxBodyBytes()).isEqualTo(1024);
        assertThat(api.exports()).isEqualTo(new ApiConfig.ExportLimits(Duration.ofSeconds(30), Duration.ofHours(2), Duration.ofMinutes(5)));
    }

    @Test
    void an_unknown_key_is_reported_with_the_allowed_keys() throws IOException {
        assertProblem("api: {maxSellers: 5}\n", "api.maxSellers",
                "unknown key 'maxSellers'; allowed keys here: maxSellersPerRequest, maxRangePerRequest, maxBodyBytes, exports");
    }

    @Test
    void max_sellers_must_be_positive_and_bounded() throws IOException {
        assertProblem("api: {maxSellersPerRequest: 0}\n", "api.maxSellersPerRequest", "must be between 1 and 10000, was 0");
        assertProblem("api: {maxSellersPerRequest: many}\n", "api.maxSellersPerRequest", "must be a whole number, was 'many'");
    }

    @Test
    void a_range_of_an_unknown_market_is_reported_with_the_markets() throws IOException {
        assertProblem("api: {maxRangePerRequest: {shopp: 1d}}\n", "api.maxRangePerRequest.shopp",
                "unknown market 'shopp'; keys here: default or a market: shop");
    }

    @Test
    void a_range_must_be_a_positive_duration() throws IOException {
        assertProblem("api: {maxRangePerRequest: {default: 0s}}\n", "api.maxRangePerRequest.default", "must be between 1s and 366d");
        assertProblem("api: {maxRangePerRequest: {shop: 12}}\n", "api.maxRangePerRequest.shop", "a number needs a unit");
    }

    @Test
    void the_body_limit_stays_within_api_gateways_payload_limit() throws IOException {
        assertProblem("api: {maxBodyBytes: 20000000}\n", "api.maxBodyBytes", "API Gateway's 10 MB payload limit");
    }

    @Test
    void a_result_url_cannot_outlive_a_presigned_urls_seven_days() throws IOException {
        assertProblem("api: {exports: {resultUrlExpiry: 8d}}\n", "api.exports.resultUrlExpiry", "must be at most 7d");
    }

    @Test
    void a_heartbeat_timeout_must_be_shorter_than_the_ttl() throws IOException {
        assertProblem("api: {exports: {heartbeatTimeout: 2h, ttl: 1h}}\n", "api.exports.heartbeatTimeout", "must be shorter than ttl (1h)");
        assertProblem("api: {exports: {heartbeatTimeout: 10ms}}\n", "api.exports.heartbeatTimeout", "must be at least 1s");
    }

    private void assertProblem(String api, String path, String rule) throws IOException {
        Path file = write(BASE + api);
        ConfigException e = ConfigFileAssertions.loadFails(file, () -> EnvironmentLoader.load(file));
        assertReports(e, file, path, rule);
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("test.yaml"), yaml);
    }
}
