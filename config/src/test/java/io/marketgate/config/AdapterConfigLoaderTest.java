package io.marketgate.config;

import static io.marketgate.config.ConfigFileAssertions.assertReports;
import static io.marketgate.config.ConfigFileAssertions.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code adapter} section of a market: one test per rule, each checking the file, the path and the rule in
 * both {@link ConfigException#problems()} and the message, as {@link EnvironmentLoaderTest} does for the rest.
 */
class AdapterConfigLoaderTest {

    private static final String SECRET = "s3cr3t-literal-key";

    /** A valid file with a reference REST adapter; each test breaks one thing in it. */
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
                calls:
                  list-orders:
                    budgets: [shop/api]
                  ship-order:
                    budgets: [shop/api]
                adapter:
                  type: reference-rest
                  baseUrl: http://127.0.0.1:8601/shop/
                  apiKey: ${env:SHOP_API_KEY}
                  pageSize: 50
                  maxRangePerCall: 24h
                  throttleCodes: ["004"]
                  calls: {listOrders: list-orders, shipOrder: ship-order}
            """;

    private static final String ADAPTER = "markets.shop.adapter";

    @TempDir
    Path dir;

    @Test
    void a_valid_adapter_section_loads_into_a_reference_rest_config() throws IOException {
        // GIVEN
        Path file = write(VALID);

        // WHEN
        MarketConfig shop = EnvironmentLoader.load(file).market("shop");

        // THEN
        assertThat(shop.adapter()).containsInstanceOf(ReferenceRestConfig.class);
        ReferenceRestConfig rest = (ReferenceRestConfig) shop.adapter().orElseThrow();
        assertThat(rest.type()).isEqualTo(AdapterType.REFERENCE_REST);
        assertThat(rest.baseUrl()).as("trailing slash dropped").isEqualTo(URI.create("http://127.0.0.1:8601/shop"));
        assertThat(rest.apiKey()).isEqualTo(new SecretValue.FromEnvironment("SHOP_API_KEY", file, ADAPTER + ".apiKey"));
        assertThat(rest.pageSize()).isEqualTo(50);
        assertThat(rest.maxRangePerCall()).isEqualTo(Duration.ofHours(24));
        assertThat(rest.requestTimeout()).isEqualTo(ReferenceRestConfig.DEFAULT_REQUEST_TIMEOUT);
        assertThat(rest.throttleCodes()).containsExactly("004");
        assertThat(rest.listOrdersCall()).isEqualTo("list-orders");
        assertThat(rest.shipOrderCall()).contains("ship-order");
    }

    @Test
    void asking_a_reference_rest_market_for_a_market_protocol_adapter_names_the_market_and_what_it_has() throws IOException {
        // GIVEN
        MarketConfig shop = EnvironmentLoader.load(write(VALID)).market("shop");

        // WHEN
        IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
                () -> shop.apiAdapter(AdapterType.COUPANG));

        // THEN
        assertThat(e).hasMessage("market shop has no adapter of type coupang (its adapter is reference-rest)");
    }

    @Test
    void optional_keys_take_their_documented_defaults() throws IOException {
        // GIVEN only the required keys
        Path file = write(replace(replace(replace(VALID, "      pageSize: 50\n", ""), "      maxRangePerCall: 24h\n", ""),
                "      throttleCodes: [\"004\"]\n", ""));

        // WHEN
        ReferenceRestConfig rest = (ReferenceRestConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        // THEN
        assertThat(rest.pageSize()).isEqualTo(ReferenceRestConfig.DEFAULT_PAGE_SIZE);
        assertThat(rest.maxRangePerCall()).isEqualTo(ReferenceRestConfig.DEFAULT_MAX_RANGE_PER_CALL);
        assertThat(rest.throttleCodes()).isEmpty();
    }

    @Test
    void a_market_without_an_adapter_section_has_none() throws IOException {
        Path file = write(VALID.substring(0, VALID.indexOf("    adapter:")));

        assertThat(EnvironmentLoader.load(file).market("shop").adapter()).isEmpty();
    }

    @Test
    void an_unknown_key_in_the_adapter_is_reported_with_the_keys_allowed_there() throws IOException {
        Path file = write(replace(VALID, "pageSize: 50", "pagesize: 50"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".pagesize", "unknown key 'pagesize'; allowed keys here: type, baseUrl, apiKey, "
                + "pageSize, maxRangePerCall, requestTimeout, throttleCodes, calls, apiVersion, redirectUri, scopes");
    }

    @Test
    void a_budget_cannot_follow_the_level_of_a_market_whose_adapter_does_not_report_one() throws IOException {
        Path file = write(replace(VALID, "limit: 10", "limit: 10\n        followsMarketLevel: true"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "markets.shop.budgets.api.followsMarketLevel", "only a budget of a market whose adapter "
                + "reports its bucket's level (adapter type cafe24) can follow it; this market's adapter is reference-rest");
    }

    @Test
    void an_unknown_adapter_type_names_the_known_ones() throws IOException {
        Path file = write(replace(VALID, "type: reference-rest", "type: soap"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".type", "must be one of reference-rest, coupang, naver, 11st, cafe24, was 'soap'");
    }

    @Test
    void a_missing_base_url_is_reported() throws IOException {
        Path file = write(replace(VALID, "      baseUrl: http://127.0.0.1:8601/shop/\n", ""));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".baseUrl", "missing; required: a text");
    }

    @Test
    void a_base_url_that_is_not_http_or_has_a_query_is_reported() throws IOException {
        for (String bad : new String[] {"ftp://127.0.0.1/shop", "http://127.0.0.1:8601/shop?x=1", "127.0.0.1:8601", "http://u:p@host/x"}) {
            Path file = write(replace(VALID, "http://127.0.0.1:8601/shop/", bad));

            ConfigException e = loadFails(file);

            assertReports(e, file, ADAPTER + ".baseUrl", "must be an http or https URL with a host");
        }
    }

    @Test
    void a_page_size_outside_1_to_1000_is_reported() throws IOException {
        for (String bad : new String[] {"0", "1001"}) {
            Path file = write(replace(VALID, "pageSize: 50", "pageSize: " + bad));

            ConfigException e = loadFails(file);

            assertReports(e, file, ADAPTER + ".pageSize", "must be between 1 and 1000, was " + bad);
        }
    }

    @Test
    void a_max_range_that_is_not_a_duration_or_out_of_range_is_reported() throws IOException {
        Path noUnit = write(replace(VALID, "maxRangePerCall: 24h", "maxRangePerCall: 24"));
        assertReports(loadFails(noUnit), noUnit, ADAPTER + ".maxRangePerCall", "a number needs a unit, was 24");

        Path tooLong = write(replace(VALID, "maxRangePerCall: 24h", "maxRangePerCall: 32d"));
        assertReports(loadFails(tooLong), tooLong, ADAPTER + ".maxRangePerCall", "must be between 1s and 31d, was 32d");

        Path zero = write(replace(VALID, "maxRangePerCall: 24h", "maxRangePerCall: 0s"));
        assertReports(loadFails(zero), zero, ADAPTER + ".maxRangePerCall", "must be between 1s and 31d, was 0s");
    }

    @Test
    void a_request_timeout_over_two_minutes_is_reported() throws IOException {
        Path file = write(replace(VALID, "pageSize: 50", "pageSize: 50\n      requestTimeout: 5m"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".requestTimeout", "must be between 1ms and 2m, was 5m");
    }

    @Test
    void an_unquoted_throttle_code_is_reported_because_it_loses_its_leading_zeros() throws IOException {
        Path file = write(replace(VALID, "throttleCodes: [\"004\"]", "throttleCodes: [004, \"x\", \"x\"]"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".throttleCodes[0]", "must be a text in quotes, such as \"004\"");
        assertReports(e, file, ADAPTER + ".throttleCodes[2]", "code 'x' is listed twice");
    }

    @Test
    void the_calls_must_map_list_orders_to_a_call_of_the_market() throws IOException {
        Path missing = write(replace(VALID, "calls: {listOrders: list-orders, shipOrder: ship-order}", "calls: {shipOrder: ship-order}"));
        assertReports(loadFails(missing), missing, ADAPTER + ".calls.listOrders", "missing; required: a text");

        Path unknown = write(replace(VALID, "listOrders: list-orders,", "listOrders: list-order,"));
        assertReports(loadFails(unknown), unknown, ADAPTER + ".calls.listOrders",
                "unknown call 'list-order' of market shop; its calls: list-orders, ship-order");

        Path unknownOperation = write(replace(VALID, "shipOrder: ship-order", "cancelOrder: ship-order"));
        assertReports(loadFails(unknownOperation), unknownOperation, ADAPTER + ".calls.cancelOrder",
                "unknown key 'cancelOrder'; allowed keys here: listOrders, shipOrder");
    }

    @Test
    void a_missing_api_key_names_both_accepted_forms() throws IOException {
        Path file = write(replace(VALID, "      apiKey: ${env:SHOP_API_KEY}\n", ""));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".apiKey", "missing; required: a text: ${env:NAME}");
    }

    @Test
    void a_malformed_env_reference_is_reported() throws IOException {
        Path badName = write(replace(VALID, "${env:SHOP_API_KEY}", "${env:1SHOP}"));
        assertReports(loadFails(badName), badName, ADAPTER + ".apiKey", "${env:NAME} needs NAME to be letters, digits and '_'");

        Path otherForm = write(replace(VALID, "${env:SHOP_API_KEY}", "pre-${env:SHOP_API_KEY}"));
        assertReports(loadFails(otherForm), otherForm, ADAPTER + ".apiKey", "must be exactly ${env:NAME}");
    }

    @Test
    void a_literal_api_key_never_appears_in_messages_or_to_string() throws IOException {
        // GIVEN a literal key, and in another file the same key written as a number (a type error)
        Path literal = write(replace(VALID, "${env:SHOP_API_KEY}", SECRET));
        Path numeric = write("numeric", replace(replace(VALID, "environment: test", "environment: numeric"),
                "${env:SHOP_API_KEY}", "987654321"));
        Path broken = write("broken", replace(replace(replace(VALID, "environment: test", "environment: broken"),
                "${env:SHOP_API_KEY}", SECRET), "pageSize: 50", "pageSize: 0"));

        // WHEN
        EnvironmentConfig config = EnvironmentLoader.load(literal);
        ConfigException numericFails = loadFails(numeric);
        ConfigException brokenFails = loadFails(broken);

        // THEN the key resolves, but no text shows it
        ReferenceRestConfig rest = (ReferenceRestConfig) config.market("shop").adapter().orElseThrow();
        assertThat(rest.apiKey().resolve(name -> null)).isEqualTo(SECRET);
        assertThat(rest.toString()).doesNotContain(SECRET).contains("redacted");
        assertThat(rest.apiKey().toString()).doesNotContain(SECRET);
        assertThat(config.toString()).doesNotContain(SECRET);
        assertReports(numericFails, numeric, ADAPTER + ".apiKey", "a key of digits only goes in quotes");
        assertThat(numericFails.getMessage()).doesNotContain("987654321");
        assertThat(brokenFails.getMessage()).doesNotContain(SECRET);
    }

    @Test
    void an_env_reference_resolves_from_the_environment_or_names_file_path_and_variable_when_unset() throws IOException {
        // GIVEN
        Path file = write(VALID);
        ReferenceRestConfig rest = (ReferenceRestConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        // WHEN / THEN set
        assertThat(rest.apiKey().resolve(Map.of("SHOP_API_KEY", "k-1")::get)).isEqualTo("k-1");
        assertThat(rest.toString()).contains("${env:SHOP_API_KEY}");

        // WHEN / THEN unset
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> rest.apiKey().resolve(Map.<String, String>of()::get));
        assertReports(e, file, ADAPTER + ".apiKey", "environment variable SHOP_API_KEY is not set");
    }

    @Test
    void every_adapter_problem_is_reported_at_once() throws IOException {
        Path file = write(replace(replace(VALID, "pageSize: 50", "pageSize: 0"), "type: reference-rest", "type: x"));

        ConfigException e = loadFails(file);

        assertThat(e.problems()).extracting(ConfigProblem::path).contains(ADAPTER + ".type", ADAPTER + ".pageSize");
    }

    // ---- helpers

    /** A Naver section: the market's own protocol, no key (sellers register theirs), the market's limits. */
    private static final String NAVER = replace(replace(replace(VALID,
            "  ship-order:\n        budgets: [shop/api]\n", "  ship-order:\n        budgets: [shop/api]\n      token:\n        budgets: [shop/api]\n"),
            "type: reference-rest\n      baseUrl: http://127.0.0.1:8601/shop/\n      apiKey: ${env:SHOP_API_KEY}\n      pageSize: 50\n"
                    + "      maxRangePerCall: 24h\n      throttleCodes: [\"004\"]\n",
            "type: naver\n"),
            "calls: {listOrders: list-orders, shipOrder: ship-order}",
            "calls: {token: token, listOrders: list-orders, getOrders: list-orders, shipOrder: ship-order}");

    @Test
    void a_naver_section_takes_the_markets_endpoint_page_and_range_by_default() throws IOException {
        // GIVEN a section with only type and calls
        Path file = write(NAVER);

        // WHEN
        MarketApiConfig naver = (MarketApiConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        // THEN
        assertThat(naver.type()).isEqualTo(AdapterType.NAVER);
        assertThat(naver.baseUrl()).isEqualTo(URI.create("https://api.commerce.naver.com/external"));
        assertThat(naver.pageSize()).isEqualTo(300);
        assertThat(naver.maxRangePerCall()).isEqualTo(Duration.ofHours(24));
        assertThat(naver.requiredCall(MarketApiConfig.TOKEN)).isEqualTo("token");
    }

    @Test
    void a_market_protocol_section_refuses_an_api_key_because_sellers_register_their_own() throws IOException {
        Path file = write(replace(NAVER, "type: naver\n", "type: naver\n      apiKey: ${env:SHOP_API_KEY}\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".apiKey", "is not a setting of type naver: each seller registers its own credentials");
    }

    @Test
    void a_page_larger_than_the_markets_largest_is_refused() throws IOException {
        Path file = write(replace(NAVER, "type: naver\n", "type: naver\n      pageSize: 301\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".pageSize", "must be between 1 and 300 (the market's largest page), was 301");
    }

    @Test
    void a_market_protocol_section_without_its_token_call_is_refused() throws IOException {
        Path file = write(replace(NAVER, "token: token, ", ""));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".calls.token", "missing");
    }

    /** An 11st section: the market's own protocol, a list call only, the market's endpoint and limits by default. */
    private static final String ELEVENST = replace(VALID,
            "type: reference-rest\n      baseUrl: http://127.0.0.1:8601/shop/\n      apiKey: ${env:SHOP_API_KEY}\n      pageSize: 50\n"
                    + "      maxRangePerCall: 24h\n      throttleCodes: [\"004\"]\n",
            "type: 11st\n");

    @Test
    void an_elevenst_section_takes_the_markets_endpoint_and_a_days_range_and_has_no_pages() throws IOException {
        // GIVEN a section with only type and calls
        Path file = write(ELEVENST);

        // WHEN
        MarketApiConfig elevenSt = (MarketApiConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        // THEN 11st answers a range whole: no page size; a day per call by default
        assertThat(elevenSt.type()).isEqualTo(AdapterType.ELEVENST);
        assertThat(elevenSt.type().paged()).isFalse();
        assertThat(elevenSt.baseUrl()).isEqualTo(URI.create("https://api.11st.co.kr/rest"));
        assertThat(elevenSt.pageSize()).isZero();
        assertThat(elevenSt.maxRangePerCall()).isEqualTo(Duration.ofDays(1));
        assertThat(elevenSt.requiredCall(MarketApiConfig.LIST_ORDERS)).isEqualTo("list-orders");
        assertThat(elevenSt.call(MarketApiConfig.SHIP_ORDER)).contains("ship-order");
        assertThat(elevenSt.call(MarketApiConfig.GET_ORDER)).isEmpty();
    }

    @Test
    void an_elevenst_section_refuses_a_page_size_because_the_market_has_no_pages() throws IOException {
        Path file = write(replace(ELEVENST, "type: 11st\n", "type: 11st\n      pageSize: 100\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".pageSize",
                "is not a setting of type 11st: the market answers a time range whole, without pages");
    }

    @Test
    void an_elevenst_range_longer_than_seven_days_is_refused() throws IOException {
        Path file = write(replace(ELEVENST, "type: 11st\n", "type: 11st\n      maxRangePerCall: 8d\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".maxRangePerCall", "must be between 1s and 7d (the market's longest range per call), was 8d");
    }

    @Test
    void an_elevenst_section_without_its_list_call_is_refused() throws IOException {
        Path file = write(replace(ELEVENST, "calls: {listOrders: list-orders, shipOrder: ship-order}", "calls: {shipOrder: ship-order}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".calls.listOrders", "missing");
    }

    @Test
    void a_market_api_config_of_11st_takes_no_page_size_and_a_paged_market_needs_one() {
        Map<String, String> calls = Map.of(MarketApiConfig.LIST_ORDERS, "list-orders");
        URI base = URI.create("https://api.11st.co.kr/rest");

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new MarketApiConfig(AdapterType.ELEVENST, base, 50,
                Duration.ofDays(1), Duration.ofSeconds(10), calls)))
                .hasMessage("pageSize is 50, must be 0 for type 11st, which answers a range whole, without pages");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new MarketApiConfig(AdapterType.COUPANG, base, 0,
                Duration.ofDays(1), Duration.ofSeconds(10), calls)))
                .hasMessage("pageSize is 0, must be 1..50");
        assertThat(new MarketApiConfig(AdapterType.ELEVENST, base, 0, Duration.ofDays(7), Duration.ofSeconds(10), calls).pageSize()).isZero();
    }

    /** A Cafe24 section: one API per mall, the market's limits, the consent's redirect URI. */
    private static final String CAFE24 = replace(replace(replace(VALID,
            "  ship-order:\n        budgets: [shop/api]\n", "  ship-order:\n        budgets: [shop/api]\n      token:\n        budgets: [shop/api]\n"),
            "type: reference-rest\n      baseUrl: http://127.0.0.1:8601/shop/\n      apiKey: ${env:SHOP_API_KEY}\n      pageSize: 50\n"
                    + "      maxRangePerCall: 24h\n      throttleCodes: [\"004\"]\n",
            "type: cafe24\n      redirectUri: https://api.example.com/v1/connections/callback\n"),
            "calls: {listOrders: list-orders, shipOrder: ship-order}",
            "calls: {token: token, listOrders: list-orders, getOrder: list-orders, shipOrder: ship-order}");

    @Test
    void a_cafe24_section_takes_the_per_mall_endpoint_page_range_version_and_scopes_by_default() throws IOException {
        // GIVEN a section with type, the redirect URI and calls
        Path file = write(CAFE24);

        // WHEN
        MarketApiConfig cafe24 = (MarketApiConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        // THEN the base URL is a template naming the mall, and a mall's own is made from it
        assertThat(cafe24.type()).isEqualTo(AdapterType.CAFE24);
        assertThat(cafe24.baseUrlTemplate()).isEqualTo("https://{mallId}.cafe24api.com/api/v2");
        assertThat(cafe24.baseUrlFor("shop42")).isEqualTo(URI.create("https://shop42.cafe24api.com/api/v2"));
        // AND the market's limits and the protocol's defaults apply
        assertThat(cafe24.pageSize()).isEqualTo(100);
        assertThat(cafe24.maxRangePerCall()).isEqualTo(Duration.ofDays(1));
        assertThat(cafe24.apiVersion()).contains("2026-03-01");
        assertThat(cafe24.scopes()).containsExactly("mall.read_order", "mall.write_order");
        assertThat(cafe24.redirectUri()).contains(URI.create("https://api.example.com/v1/connections/callback"));
        assertThat(cafe24.requiredCall(MarketApiConfig.GET_ORDER)).isEqualTo("list-orders");
    }

    @Test
    void a_cafe24_base_url_may_name_the_mall_in_the_path_as_a_simulator_serves_it() throws IOException {
        Path file = write(replace(CAFE24, "type: cafe24\n", "type: cafe24\n      baseUrl: http://127.0.0.1:8604/cafe24/{mallId}/api/v2/\n"
                + "      pageSize: 1000\n      maxRangePerCall: 89d\n      apiVersion: 2025-12-01\n"));

        MarketApiConfig cafe24 = (MarketApiConfig) EnvironmentLoader.load(file).market("shop").adapter().orElseThrow();

        assertThat(cafe24.baseUrlTemplate()).as("trailing slash dropped").isEqualTo("http://127.0.0.1:8604/cafe24/{mallId}/api/v2");
        assertThat(cafe24.baseUrlFor("m1")).isEqualTo(URI.create("http://127.0.0.1:8604/cafe24/m1/api/v2"));
        assertThat(cafe24.pageSize()).isEqualTo(1000);
        assertThat(cafe24.apiVersion()).contains("2025-12-01");
    }

    @Test
    void a_cafe24_base_url_without_the_mall_is_refused_naming_the_placeholder() throws IOException {
        Path file = write(replace(CAFE24, "type: cafe24\n", "type: cafe24\n      baseUrl: https://shop.cafe24api.com/api/v2\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".baseUrl", "must be an http or https URL with {mallId} exactly once");
    }

    @Test
    void a_cafe24_page_or_range_beyond_the_markets_maximum_is_refused() throws IOException {
        Path file = write(replace(CAFE24, "type: cafe24\n", "type: cafe24\n      pageSize: 1001\n      maxRangePerCall: 90d\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".pageSize", "must be between 1 and 1000 (the market's largest page), was 1001");
        assertReports(e, file, ADAPTER + ".maxRangePerCall", "the market's longest range per call");
    }

    @Test
    void cafe24_scopes_must_allow_what_the_section_calls() throws IOException {
        // GIVEN shipping configured but only the read scope asked for
        Path file = write(replace(CAFE24, "type: cafe24\n", "type: cafe24\n      scopes: [mall.read_order]\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".scopes", "must include mall.write_order when calls.shipOrder is set");
    }

    @Test
    void a_scope_that_is_not_cafe24s_or_a_bad_api_version_is_refused() throws IOException {
        Path file = write(replace(CAFE24, "type: cafe24\n", "type: cafe24\n      scopes: [mall.read_order, orders]\n"
                + "      apiVersion: latest\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".scopes[1]", "must be a scope such as mall.read_order, was 'orders'");
        assertReports(e, file, ADAPTER + ".apiVersion", "must be a date yyyy-MM-dd");
    }

    @Test
    void per_mall_settings_are_refused_for_a_market_with_one_api() throws IOException {
        Path file = write(replace(NAVER, "type: naver\n", "type: naver\n      redirectUri: https://api.example.com/cb\n"));

        ConfigException e = loadFails(file);

        assertReports(e, file, ADAPTER + ".redirectUri", "is not a setting of type naver");
    }

    @Test
    void a_mall_id_that_cannot_be_a_host_name_is_refused_naming_the_field() {
        MarketApiConfig cafe24 = new MarketApiConfig(AdapterType.CAFE24, AdapterType.CAFE24.defaultBaseUrl(), 100,
                Duration.ofDays(1), Duration.ofSeconds(10), Map.of("token", "t", "listOrders", "l", "getOrder", "g"),
                java.util.Optional.of("2026-03-01"), java.util.Optional.empty(), MarketApiConfig.DEFAULT_SCOPES);

        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> cafe24.baseUrlFor("Shop_42")))
                .hasMessageStartingWith("mallId 'Shop_42' must be 1 to 63 lower-case letters");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new MarketApiConfig(AdapterType.CAFE24,
                URI.create("https://shop.cafe24api.com/api/v2"), 100, Duration.ofDays(1), Duration.ofSeconds(10),
                Map.of("token", "t", "listOrders", "l", "getOrder", "g"))))
                .hasMessageContaining("must name the mall with {mallId} exactly once");
    }

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
