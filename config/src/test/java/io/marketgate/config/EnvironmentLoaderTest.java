package io.marketgate.config;

import static io.marketgate.config.ConfigFileAssertions.assertReports;
import static io.marketgate.config.ConfigFileAssertions.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.marketgate.limiter.Budget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per rule: each writes a small file that breaks it and checks that the problem names the file, the
 * path inside it and the rule, both in {@link ConfigException#problems()} and in the message.
 */
class EnvironmentLoaderTest {

    /** A valid file; each test breaks one thing in it. */
    private static final String VALID = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 2
                budgets:
                  api:
                    scope: app
                    limit: 10
                    window: 1s
                  orders:
                    scope: endpoint
                    limit: 5
                calls:
                  list-orders:
                    budgets: [shop/api, shop/orders]
                  ship-order:
                    budgets: [shop/api]
              mall:
                fleetSize: 1
                budgets:
                  bucket:
                    scope: mall
                    limit: 40
                    window: 20s
                calls:
                  list-orders:
                    budgets: [mall/bucket]
            """;

    @TempDir
    Path dir;

    @Test
    void the_valid_base_file_loads() throws IOException {
        // GIVEN
        Path file = write(VALID);

        // WHEN
        EnvironmentConfig config = EnvironmentLoader.load(file);

        // THEN
        assertThat(config.markets()).containsOnlyKeys("shop", "mall");
    }

    // ---- structure: unknown keys, missing keys, wrong types

    @Test
    void an_unknown_top_level_key_is_reported_with_the_keys_allowed_there() throws IOException {
        Path file = write(VALID + "schedules: {}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "schedules", "unknown key 'schedules'; allowed keys here: environment, aws, limiter, markets, api");
    }

    @Test
    void an_unknown_key_in_a_budget_is_reported_with_the_keys_allowed_there() throws IOException {
        Path file = write(replace(VALID, "limit: 5", "limt: 5"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.orders.limt",
                "unknown key 'limt'; allowed keys here: scope, limit, window, ceilings, throttle, followsMarketLevel, jitterGuard");
        assertReports(e, file, "markets.shop.budgets.orders.limit", "missing; required: a whole number");
    }

    @Test
    void a_missing_required_key_is_reported_with_what_it_should_be() throws IOException {
        Path file = write(replace(VALID, "    fleetSize: 2\n", ""));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.fleetSize", "missing; required: a whole number");
    }

    @Test
    void a_missing_limiter_section_is_reported() throws IOException {
        Path file = write(replace(VALID, "limiter:\n  keyPrefix: mg-test\n", ""));

        ConfigException e = loadFails(file);

        assertReports(e, file, "limiter", "missing; required: a mapping");
    }

    @Test
    void a_key_left_empty_counts_as_missing() throws IOException {
        Path file = write(replace(VALID, "keyPrefix: mg-test", "keyPrefix:"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "limiter.keyPrefix", "missing; required: a text");
    }

    @Test
    void a_limit_written_as_text_is_a_wrong_type() throws IOException {
        Path file = write(replace(VALID, "limit: 10", "limit: ten"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.limit", "must be a whole number, was 'ten'");
    }

    @Test
    void a_fractional_fleet_size_is_a_wrong_type() throws IOException {
        Path file = write(replace(VALID, "fleetSize: 2", "fleetSize: 1.5"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.fleetSize", "must be a whole number, was 1.5");
    }

    @Test
    void budgets_written_as_a_list_are_a_wrong_type() throws IOException {
        Path file = write(replace(VALID, """
                    budgets:
                      bucket:
                        scope: mall
                        limit: 40
                        window: 20s
                """, """
                    budgets: [bucket]
                """));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.mall.budgets", "must be a mapping (key: value lines) of budgets by name, was a list");
    }

    @Test
    void a_file_that_is_not_a_mapping_is_reported() throws IOException {
        Path file = write("- environment: test\n");

        ConfigException e = loadFails(file);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEmpty();
            assertThat(p.rule()).isEqualTo("must be a mapping (key: value lines), was a list");
        });
        assertThat(e.getMessage()).isEqualTo(file + ": must be a mapping (key: value lines), was a list");
    }

    @Test
    void an_empty_file_is_reported() throws IOException {
        Path file = write("# nothing yet\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "", "is empty; expected a mapping with keys environment, aws, limiter, markets");
    }

    // ---- budgets

    @Test
    void a_limit_of_zero_is_reported() throws IOException {
        Path file = write(replace(VALID, "limit: 10", "limit: 0"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.limit", "must be > 0, was 0");
    }

    @Test
    void a_negative_limit_is_reported() throws IOException {
        Path file = write(replace(VALID, "limit: 10", "limit: -3"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.limit", "must be > 0, was -3");
    }

    @Test
    void a_limit_above_the_limiters_maximum_is_reported_with_the_limiters_rule() throws IOException {
        Path file = write(replace(VALID, "limit: 10", "limit: 2000000000"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api", "limit is 2000000000, must be ≤ 1000000000");
    }

    @Test
    void a_window_that_is_not_a_duration_is_reported_with_the_accepted_forms() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: fast"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.window",
                "'fast' is not a duration; use a whole number and a unit (500ms, 1s, 15m, 2h, 1d) or ISO-8601 (PT1S)");
    }

    @Test
    void a_window_written_as_a_bare_number_needs_a_unit() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 1"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.window", "a number needs a unit, was 1");
    }

    @Test
    void a_window_of_zero_is_outside_the_allowed_range() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 0ms"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.window", "must be between 1ms and 24h, was 0s");
    }

    @Test
    void a_window_longer_than_24_hours_is_outside_the_allowed_range() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: PT25H"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.window", "must be between 1ms and 24h, was 25h");
    }

    @Test
    void a_budget_follows_the_market_s_level_only_when_it_says_so() throws IOException {
        Path file = write(replace(VALID, "window: 20s", "window: 20s\n        followsMarketLevel: true"));

        EnvironmentConfig env = EnvironmentLoader.load(file);

        assertThat(env.market("mall").budgets().get("bucket").followsMarketLevel()).isTrue();
        assertThat(env.market("shop").budgets().get("api").followsMarketLevel()).isFalse();
    }

    @Test
    void a_jitter_guard_is_auto_by_default_and_fixed_per_market_or_per_budget() throws IOException {
        // GIVEN shop with a fixed guard of 150 ms for its budgets and 0s (off) on one of them, mall without a setting
        Path file = write(replace(replace(VALID, "    fleetSize: 2\n", "    fleetSize: 2\n    jitterGuard: 150ms\n"),
                "limit: 5", "limit: 5\n        jitterGuard: 0s"));

        // WHEN it is loaded
        EnvironmentConfig env = EnvironmentLoader.load(file);

        // THEN shop/api has the market's guard, shop/orders its own, and mall/bucket follows the measured round trips
        Budget api = env.market("shop").budgets().get("api").budget();
        Budget orders = env.market("shop").budgets().get("orders").budget();
        Budget bucket = env.market("mall").budgets().get("bucket").budget();
        assertThat(api.jitterGuard()).isEqualTo(Duration.ofMillis(150));
        assertThat(api.measuredJitterGuard()).isFalse();
        assertThat(orders.jitterGuard()).isZero();
        assertThat(orders.measuredJitterGuard()).isFalse();
        assertThat(bucket.jitterGuard()).isZero();
        assertThat(bucket.measuredJitterGuard()).isTrue();
    }

    @Test
    void a_bad_jitter_guard_is_reported_with_its_rule() throws IOException {
        Path file = write(replace(replace(VALID, "    fleetSize: 2\n", "    fleetSize: 2\n    jitterGuard: 2m\n"),
                "window: 20s", "window: 20s\n        jitterGuard: sometimes"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.jitterGuard",
                "must be auto or a duration from 0s to 1m (the largest spread of call delays a guard allows for), was 2m");
        assertReports(e, file, "markets.mall.budgets.bucket.jitterGuard", "'sometimes' is not a duration");
    }

    @Test
    void follows_market_level_written_as_text_is_a_wrong_type() throws IOException {
        Path file = write(replace(VALID, "window: 20s", "window: 20s\n        followsMarketLevel: yes please"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.mall.budgets.bucket.followsMarketLevel", "must be true or false, was 'yes please'");
    }

    @Test
    void a_ceiling_above_one_is_reported() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 1s\n        ceilings: {high: 1.5}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.ceilings.high", "must be in (0, 1], was 1.5");
    }

    @Test
    void a_ceiling_of_zero_is_reported() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 1s\n        ceilings: {high: 1.0, medium: 0.8, low: 0}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.ceilings.low", "must be in (0, 1], was 0.0");
    }

    @Test
    void ceilings_rising_as_priority_falls_are_reported_with_the_limiters_rule() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 1s\n        ceilings: {medium: 0.6, low: 0.7}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.ceilings", "ceilings must not rise as priority falls");
    }

    @Test
    void a_limit_too_small_for_lows_ceiling_is_reported_with_the_limiters_rule() throws IOException {
        // GIVEN floor(0.7 × 1) = 0: LOW could never be admitted
        Path file = write(replace(VALID, "limit: 10", "limit: 1"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api", "LOW's ceiling 0.7 of limit 1 admits no call at all");
    }

    @Test
    void a_throttle_reduction_outside_zero_to_one_is_reported() throws IOException {
        Path file = write(replace(VALID, "window: 1s", "window: 1s\n        throttle: {reduceTo: 2, defaultCooldown: 0s}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.throttle.reduceTo", "must be in (0, 1], was 2.0");
        assertReports(e, file, "markets.shop.budgets.api.throttle.defaultCooldown", "must be > 0, was 0s");
    }

    @Test
    void a_duplicate_budget_is_reported_with_its_line() throws IOException {
        Path file = write(replace(VALID, """
                      orders:
                        scope: endpoint
                        limit: 5
                """, """
                      orders:
                        scope: endpoint
                        limit: 5
                      api:
                        scope: app
                        limit: 3
                """));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api", "duplicate key 'api' (line 15, column");
    }

    @Test
    void an_unknown_scope_is_reported_with_the_allowed_scopes() throws IOException {
        Path file = write(replace(VALID, "scope: app", "scope: tenant"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.scope",
                "must be one of vendor, endpoint, app, seller, mall, api-key, was 'tenant'");
    }

    @Test
    void a_budget_name_with_capitals_is_reported() throws IOException {
        Path file = write(replace(replace(VALID, "      api:\n", "      Api:\n"), "[shop/api, shop/orders]", "[shop/orders]")
                .replace("budgets: [shop/api]", "budgets: [shop/orders]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.Api", "budget name 'Api' must be 1 to 63 lower-case letters, digits");
    }

    @Test
    void a_market_name_with_a_space_is_reported_once() throws IOException {
        Path file = write(replace(VALID, "  mall:\n", "  my mall:\n").replace("[mall/bucket]", "[shop/api]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.my mall", "market name 'my mall' must be 1 to 63 lower-case letters");
        assertThat(e.problems()).hasSize(2); // and the call of 'my mall' naming shop/api, another market's budget
    }

    // ---- markets

    @Test
    void a_fleet_size_of_zero_is_reported() throws IOException {
        Path file = write(replace(VALID, "fleetSize: 2", "fleetSize: 0"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.fleetSize", "must be ≥ 1 (the collector's maximum concurrency), was 0");
    }

    @Test
    void an_unknown_failure_mode_is_reported_with_the_allowed_modes() throws IOException {
        Path file = write(replace(VALID, "fleetSize: 2", "fleetSize: 2\n    failureMode: fail-open"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.failureMode", "must be one of fail-closed, local-fallback, was 'fail-open'");
    }

    @Test
    void a_market_without_budgets_is_reported() throws IOException {
        Path file = write(replace(VALID, """
                    budgets:
                      bucket:
                        scope: mall
                        limit: 40
                        window: 20s
                    calls:
                      list-orders:
                        budgets: [mall/bucket]
                """, """
                    budgets: {}
                """));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.mall.budgets", "must define at least one budget");
    }

    // ---- calls

    @Test
    void a_call_naming_an_unknown_market_is_reported_with_the_markets() throws IOException {
        Path file = write(replace(VALID, "budgets: [shop/api]", "budgets: [shpo/api]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.ship-order.budgets[0]", "unknown market 'shpo' in shpo/api; markets: shop, mall");
    }

    @Test
    void a_call_naming_an_unknown_budget_is_reported_with_the_markets_budgets() throws IOException {
        Path file = write(replace(VALID, "[shop/api, shop/orders]", "[shop/api, shop/order]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.list-orders.budgets[1]", "unknown budget 'order' of market shop; its budgets: api, orders");
    }

    @Test
    void a_call_mixing_markets_is_reported() throws IOException {
        Path file = write(replace(VALID, "[shop/api, shop/orders]", "[shop/api, mall/bucket]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.list-orders.budgets[1]",
                "mall/bucket is a budget of market mall, but this is a call of market shop");
    }

    @Test
    void a_call_naming_a_budget_twice_is_reported_with_the_limiters_rule() throws IOException {
        Path file = write(replace(VALID, "[shop/api, shop/orders]", "[shop/api, shop/api]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.list-orders.budgets", "a call names budget shop/api twice");
    }

    @Test
    void a_call_with_an_empty_budget_list_is_reported() throws IOException {
        Path file = write(replace(VALID, "budgets: [shop/api]", "budgets: []"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.ship-order.budgets", "must not be empty: a call draws from at least one budget");
    }

    @Test
    void a_call_naming_an_unqualified_budget_is_reported() throws IOException {
        Path file = write(replace(VALID, "budgets: [shop/api]", "budgets: [api]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.calls.ship-order.budgets[0]", "budget name 'api' must be market/name");
    }

    // ---- environment, aws, limiter

    @Test
    void an_environment_name_other_than_the_files_is_reported() throws IOException {
        Path file = write(replace(VALID, "environment: test", "environment: prod"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "environment", "must equal the file's base name 'test', was 'prod'");
    }

    @Test
    void an_account_written_as_a_number_must_be_quoted() throws IOException {
        Path file = write(VALID + "aws:\n  account: 123456789012\n  region: Seoul\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "aws.account", "must be the 12-digit account id in quotes");
        assertReports(e, file, "aws.region", "must be an AWS region such as ap-northeast-2");
    }

    @Test
    void aws_parts_left_out_take_the_clis_defaults() throws IOException {
        Path file = write(VALID + "aws:\n  account: '012345678901'\n");

        EnvironmentConfig config = EnvironmentLoader.load(file);

        assertThat(config.aws().account()).contains("012345678901");
        assertThat(config.aws().region()).isEmpty();
    }

    @Test
    void a_key_prefix_with_braces_is_reported() throws IOException {
        Path file = write(replace(VALID, "keyPrefix: mg-test", "keyPrefix: '{mg}'"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "limiter.keyPrefix", "must not contain braces or white space");
    }

    // ---- YAML itself

    @Test
    void a_yaml_syntax_error_is_reported_with_its_line_and_column() throws IOException {
        Path file = write(replace(VALID, "budgets: [shop/api]", "budgets: [shop/api"));

        ConfigException e = loadFails(file);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).matches("line \\d+, column \\d+");
            assertThat(p.rule()).startsWith("YAML syntax error: ").doesNotContain("\n");
        });
        assertThat(e.getMessage()).startsWith(file + ": line ");
    }

    @Test
    void a_second_yaml_document_is_reported() throws IOException {
        Path file = write(VALID + "---\nenvironment: other\n");

        ConfigException e = loadFails(file);

        assertThat(e.problems()).singleElement().satisfies(p ->
                assertThat(p.rule()).startsWith("a second YAML document (after '---') is not allowed"));
    }

    // ---- several problems at once

    @Test
    void every_problem_of_a_file_is_reported_one_per_line() throws IOException {
        // GIVEN a file with five problems in different sections
        Path file = write(VALID
                .replace("environment: test", "environment: prod")
                .replace("limit: 10", "limit: 0")
                .replace("window: 20s", "window: soon")
                .replace("fleetSize: 1", "fleetSize: 0")
                .replace("budgets: [shop/api]", "budgets: [shop/nope]"));

        // WHEN
        ConfigException e = loadFails(file);

        // THEN
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "environment",
                "markets.shop.budgets.api.limit",
                "markets.shop.calls.ship-order.budgets[0]",
                "markets.mall.fleetSize",
                "markets.mall.budgets.bucket.window");
        assertThat(e.getMessage().lines()).hasSize(5).allSatisfy(line -> assertThat(line).startsWith(file + ": "));
        assertThat(e.getMessage()).contains(file + ": markets.mall.fleetSize: must be ≥ 1");
    }

    // ---- missing files

    @Test
    void a_missing_file_is_named_with_the_environments_that_exist() throws IOException {
        // GIVEN
        write("dev", VALID.replace("environment: test", "environment: dev"));
        write("staging", VALID.replace("environment: test", "environment: staging"));
        Path missing = dir.resolve("prod.yaml");

        // WHEN
        ConfigException e = loadFails(missing);

        // THEN
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(missing);
            assertThat(p.rule()).isEqualTo("no such file; environments in " + dir + ": dev, staging");
        });
    }

    @Test
    void a_missing_environment_name_is_reported_with_the_environments_that_exist() throws IOException {
        // GIVEN
        write("dev", VALID.replace("environment: test", "environment: dev"));

        // WHEN
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> EnvironmentLoader.load(dir, "qa"));

        // THEN
        assertThat(e.getMessage()).isEqualTo(dir.resolve("qa.yaml") + ": no such file; environments in " + dir + ": dev");
    }

    @Test
    void an_environment_name_that_is_not_a_name_is_rejected_before_touching_the_disk() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> EnvironmentLoader.load(dir, "../etc/passwd"));

        assertThat(e.getMessage()).startsWith(dir + ": environment name '../etc/passwd' must be lower-case letters");
    }

    @Test
    void a_missing_directory_is_named() {
        Path missing = dir.resolve("nowhere").resolve("dev.yaml");

        ConfigException e = loadFails(missing);

        assertThat(e.getMessage()).contains("no such file, and its directory").contains("nowhere");
    }

    // ---- helpers

    private Path write(String yaml) throws IOException {
        return write("test", yaml);
    }

    private Path write(String environment, String yaml) throws IOException {
        return Files.writeString(dir.resolve(environment + ".yaml"), yaml);
    }

    private static ConfigException loadFails(Path file) {
        return ConfigFileAssertions.loadFails(file, () -> EnvironmentLoader.load(file));
    }
}
