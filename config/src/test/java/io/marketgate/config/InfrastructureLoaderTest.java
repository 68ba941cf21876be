package io.marketgate.config;

import static io.marketgate.config.ConfigFileAssertions.assertReports;
import static io.marketgate.config.ConfigFileAssertions.loadFails;
import static io.marketgate.config.ConfigFileAssertions.replace;
import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.config.InfrastructureConfig.ApiAuth;
import io.marketgate.config.InfrastructureConfig.DeploymentKind;
import io.marketgate.config.InfrastructureConfig.EgressKind;
import io.marketgate.config.InfrastructureConfig.LimiterStoreKind;
import io.marketgate.config.InfrastructureConfig.ValkeyMode;
import io.marketgate.limiter.Priority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code infrastructure:} section: what it reads, and one test per rule with the file, path and rule. */
class InfrastructureLoaderTest {

    /** A valid file; each test breaks one thing in it. */
    static final String VALID = """
            environment: test
            limiter:
              keyPrefix: mg-test
            markets:
              shop:
                fleetSize: 6
                budgets:
                  api: {scope: app, limit: 10}
                calls:
                  list-orders: {budgets: [shop/api]}
            infrastructure:
              vpc: {cidr: 10.40.0.0/16, maxAzs: 2}
              egressGroups:
                fixed: {kind: fixed-ip, natGateways: 2}
                open: {kind: dynamic}
              valkey: {mode: nodes, nodeType: cache.t4g.small, shards: 1, replicasPerShard: 1}
              markets:
                shop:
                  egressGroup: fixed
                  queues: {maxReceiveCount: 10, visibilityMultiplier: 6}
                  collector: {memory: 1024, timeout: 60s, maxConcurrency: 4, batchSize: 5}
                  actions: {memory: 512, timeout: 30s, maxConcurrency: 2, batchSize: 1}
                  schedules:
                    recent: {rate: 10m, kind: orders, lookback: 30m, spreadOver: 5m, priority: medium}
                    unfinished: {rate: 30m, kind: orders}
              functions:
                api: {memory: 1024, timeout: 29s}
                scheduler: {memory: 512, timeout: 60s}
                jobWorker: {memory: 2048, timeout: 900s}
              logRetentionDays: 30
              apiStage: {rateLimit: 50, burstLimit: 100, auth: api-keys, quotaPerDay: 1000}
              deployment: canary-10percent-5minutes
              exports: {expireAfter: 3d}
            """;

    @TempDir
    Path dir;

    @Test
    void reads_every_part_of_the_section() throws IOException {
        // GIVEN / WHEN
        EnvironmentConfig env = EnvironmentLoader.load(write(VALID));
        // THEN
        InfrastructureConfig infra = env.infrastructure().orElseThrow();
        assertThat(infra.vpc()).isEqualTo(new InfrastructureConfig.Vpc("10.40.0.0/16", 2));
        assertThat(infra.egressGroup("fixed").kind()).isEqualTo(EgressKind.FIXED_IP);
        assertThat(infra.egressGroup("fixed").natGateways()).isEqualTo(2);
        assertThat(infra.egressGroup("open").fixedIp()).isFalse();
        assertThat(infra.platformGroup().name()).isEqualTo("fixed");
        assertThat(infra.valkey().mode()).isEqualTo(ValkeyMode.NODES);
        assertThat(infra.valkey().replicasPerShard()).isEqualTo(1);
        InfrastructureConfig.MarketInfrastructure shop = infra.market("shop");
        assertThat(shop.collector().maxConcurrency()).isEqualTo(4);
        assertThat(shop.collector().size().timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(shop.actions().batchSize()).isEqualTo(1);
        assertThat(shop.schedules().get("recent").spreadOver()).isEqualTo(Duration.ofMinutes(5));
        assertThat(shop.schedules().get("unfinished").lookback()).isEqualTo(Duration.ofMinutes(30));
        assertThat(shop.schedules().get("unfinished").priority()).isEqualTo(Priority.MEDIUM);
        assertThat(shop.schedules().get("unfinished").payloadKind()).isEqualTo("ORDERS");
        assertThat(infra.functions().jobWorker().memoryMb()).isEqualTo(2048);
        assertThat(infra.logRetentionDays()).isEqualTo(30);
        assertThat(infra.apiStage().auth()).isEqualTo(ApiAuth.API_KEYS);
        assertThat(infra.deployment()).isEqualTo(DeploymentKind.CANARY_10_PERCENT_5_MINUTES);
        assertThat(infra.exportExpiry()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void a_file_without_the_section_loads_for_local_runs() throws IOException {
        EnvironmentConfig env = EnvironmentLoader.load(write(VALID.substring(0, VALID.indexOf("infrastructure:"))));
        assertThat(env.infrastructure()).isEmpty();
    }

    @Test
    void rejects_a_budgeted_market_on_a_dynamic_group_whose_limiter_is_on_valkey() throws IOException {
        fails(replace(VALID, "egressGroup: fixed", "egressGroup: open"), "infrastructure.markets.shop.egressGroup",
                "market shop has budgets in Valkey, but group 'open' is dynamic");
        fails(replace(replace(VALID, "egressGroup: fixed", "egressGroup: open"), "{kind: dynamic}", "{kind: dynamic, limiterStore: valkey}"),
                "infrastructure.markets.shop.egressGroup", "Give the group limiterStore: dynamodb");
    }

    @Test
    void accepts_a_budgeted_market_on_a_dynamic_group_whose_limiter_is_on_dynamodb() throws IOException {
        // GIVEN the market on the dynamic group, whose limiter store is the DynamoDB table
        String file = replace(replace(VALID, "egressGroup: fixed", "egressGroup: open"), "{kind: dynamic}",
                "{kind: dynamic, limiterStore: dynamodb}");

        // WHEN / THEN
        InfrastructureConfig infra = EnvironmentLoader.load(write(file)).infrastructure().orElseThrow();
        assertThat(infra.egressGroup("open").limiterStore()).isEqualTo(LimiterStoreKind.DYNAMODB);
        assertThat(infra.egressGroup("fixed").limiterStore()).isEqualTo(LimiterStoreKind.VALKEY);
        assertThat(infra.market("shop").egressGroup()).isEqualTo("open");
        assertThat(infra.usesDynamoDbLimiter()).isTrue();
    }

    @Test
    void a_group_s_limiter_store_is_valkey_unless_it_says_otherwise() throws IOException {
        InfrastructureConfig infra = EnvironmentLoader.load(write(VALID)).infrastructure().orElseThrow();
        assertThat(infra.egressGroups().values()).extracting(InfrastructureConfig.EgressGroup::limiterStore)
                .containsOnly(LimiterStoreKind.VALKEY);
        assertThat(infra.usesDynamoDbLimiter()).isFalse();
    }

    @Test
    void rejects_an_unknown_limiter_store() throws IOException {
        fails(replace(VALID, "{kind: dynamic}", "{kind: dynamic, limiterStore: redis}"), "infrastructure.egressGroups.open.limiterStore",
                "valkey");
    }

    @Test
    void rejects_budgets_whose_windows_would_not_fit_in_one_dynamodb_item() throws IOException {
        fails(replace(replace(replace(VALID, "egressGroup: fixed", "egressGroup: open"), "{kind: dynamic}",
                "{kind: dynamic, limiterStore: dynamodb}"), "api: {scope: app, limit: 10}", "api: {scope: app, limit: 60000}"),
                "infrastructure.markets.shop.egressGroup", "market shop's shared budgets admit 60000 units per window together");
    }

    @Test
    void rejects_a_fleet_size_below_the_consumers_concurrency() throws IOException {
        fails(replace(VALID, "fleetSize: 6", "fleetSize: 5"), "markets.shop.fleetSize",
                "must be ≥ the market's collector + actions maxConcurrency in infrastructure.markets.shop (4 + 2 = 6), was 5");
    }

    @Test
    void rejects_a_visibility_multiplier_below_six() throws IOException {
        fails(replace(VALID, "visibilityMultiplier: 6", "visibilityMultiplier: 5"),
                "infrastructure.markets.shop.queues.visibilityMultiplier", "must be ≥ 6");
    }

    @Test
    void rejects_a_visibility_over_twelve_hours() throws IOException {
        fails(replace(replace(VALID, "visibilityMultiplier: 6", "visibilityMultiplier: 60"), "timeout: 60s, max", "timeout: 900s, max"),
                "infrastructure.markets.shop.collector.timeout", "over SQS's largest visibility timeout of 12h");
    }

    @Test
    void rejects_a_max_receive_count_below_ten() throws IOException {
        fails(replace(VALID, "maxReceiveCount: 10", "maxReceiveCount: 3"), "infrastructure.markets.shop.queues.maxReceiveCount",
                "must be between 10 and 1000");
    }

    @Test
    void rejects_an_unknown_market() throws IOException {
        fails(replace(VALID, "  markets:\n    shop:\n      egressGroup", "  markets:\n    shoop:\n      egressGroup"),
                "infrastructure.markets.shoop", "unknown market 'shoop'; the environment's markets: shop");
    }

    @Test
    void rejects_a_market_without_infrastructure() throws IOException {
        String twoMarkets = replace(VALID, "infrastructure:", """
                  other:
                    fleetSize: 4
                    budgets:
                      api: {scope: app, limit: 10}
                infrastructure:""");
        fails(twoMarkets, "infrastructure.markets", "missing market 'other'");
    }

    @Test
    void rejects_an_unknown_egress_group() throws IOException {
        fails(replace(VALID, "egressGroup: fixed", "egressGroup: fxed"), "infrastructure.markets.shop.egressGroup",
                "unknown egress group 'fxed'; infrastructure.egressGroups: fixed, open");
    }

    @Test
    void rejects_more_nat_gateways_than_availability_zones() throws IOException {
        fails(replace(VALID, "natGateways: 2", "natGateways: 3"), "infrastructure.egressGroups.fixed.natGateways",
                "must be between 1 and infrastructure.vpc.maxAzs (2)");
    }

    @Test
    void rejects_nat_gateways_on_a_dynamic_group() throws IOException {
        fails(replace(VALID, "{kind: dynamic}", "{kind: dynamic, natGateways: 1}"), "infrastructure.egressGroups.open.natGateways",
                "must be absent for a dynamic group");
    }

    @Test
    void rejects_environments_without_a_fixed_ip_group() throws IOException {
        fails(replace(replace(VALID, "fixed: {kind: fixed-ip, natGateways: 2}", "fixed: {kind: dynamic}"), "egressGroup: fixed",
                "egressGroup: open"), "infrastructure.egressGroups", "must define at least one fixed-ip group");
    }

    @Test
    void rejects_a_single_availability_zone() throws IOException {
        fails(replace(VALID, "maxAzs: 2", "maxAzs: 1"), "infrastructure.vpc.maxAzs", "must be between 2 and 6");
    }

    @Test
    void rejects_a_malformed_cidr() throws IOException {
        fails(replace(VALID, "10.40.0.0/16", "10.400.0.0/16"), "infrastructure.vpc.cidr", "must be an IPv4 range");
    }

    @Test
    void rejects_node_sizes_on_serverless_valkey() throws IOException {
        fails(replace(VALID, "mode: nodes", "mode: serverless"), "infrastructure.valkey.nodeType", "must be absent for mode serverless");
    }

    @Test
    void rejects_node_based_valkey_without_a_node_type() throws IOException {
        fails(replace(VALID, "nodeType: cache.t4g.small, ", ""), "infrastructure.valkey.nodeType", "missing; required for mode nodes");
    }

    @Test
    void rejects_a_consumer_concurrency_below_what_sqs_allows() throws IOException {
        fails(replace(VALID, "maxConcurrency: 2", "maxConcurrency: 1"), "infrastructure.markets.shop.actions.maxConcurrency",
                "must be between 2 and 1000");
    }

    @Test
    void rejects_a_batch_size_over_ten() throws IOException {
        fails(replace(VALID, "batchSize: 5", "batchSize: 11"), "infrastructure.markets.shop.collector.batchSize", "must be between 1 and 10");
    }

    @Test
    void a_collector_works_on_one_message_at_a_time_unless_it_says_in_flight() throws IOException {
        // GIVEN a collector without inFlight, then one with inFlight 5 of batches of 5
        InfrastructureConfig.MarketInfrastructure plain = EnvironmentLoader.load(write(VALID)).infrastructure().orElseThrow().market("shop");
        InfrastructureConfig.MarketInfrastructure concurrent = EnvironmentLoader.load(write(replace(VALID,
                "maxConcurrency: 4, batchSize: 5}", "maxConcurrency: 4, batchSize: 5, inFlight: 5}")))
                .infrastructure().orElseThrow().market("shop");
        // THEN
        assertThat(plain.collector().inFlight()).isEqualTo(1);
        assertThat(plain.actions().inFlight()).isEqualTo(1);
        assertThat(concurrent.collector().inFlight()).isEqualTo(5);
    }

    @Test
    void rejects_a_collector_in_flight_over_its_batch_size() throws IOException {
        fails(replace(VALID, "maxConcurrency: 4, batchSize: 5}", "maxConcurrency: 4, batchSize: 5, inFlight: 8}"),
                "infrastructure.markets.shop.collector.inFlight", "must be ≤ batchSize (5)");
    }

    @Test
    void rejects_a_collector_in_flight_below_one() throws IOException {
        fails(replace(VALID, "maxConcurrency: 4, batchSize: 5}", "maxConcurrency: 4, batchSize: 5, inFlight: 0}"),
                "infrastructure.markets.shop.collector.inFlight", "must be ≥ 1");
    }

    @Test
    void rejects_in_flight_on_the_actions_consumer() throws IOException {
        fails(replace(VALID, "maxConcurrency: 2, batchSize: 1}", "maxConcurrency: 2, batchSize: 1, inFlight: 1}"),
                "infrastructure.markets.shop.actions.inFlight", "unknown key");
    }

    @Test
    void rejects_an_api_timeout_over_api_gateways_limit() throws IOException {
        fails(replace(VALID, "timeout: 29s", "timeout: 30s"), "infrastructure.functions.api.timeout", "between 1s and 29s");
    }

    @Test
    void rejects_a_log_retention_cloudwatch_does_not_offer() throws IOException {
        fails(replace(VALID, "logRetentionDays: 30", "logRetentionDays: 31"), "infrastructure.logRetentionDays",
                "must be one of CloudWatch Logs' retention periods");
    }

    @Test
    void rejects_a_schedule_spread_longer_than_its_rate() throws IOException {
        fails(replace(VALID, "spreadOver: 5m", "spreadOver: 20m"), "infrastructure.markets.shop.schedules.recent.spreadOver",
                "must be ≤ rate (10m)");
    }

    @Test
    void rejects_an_unknown_schedule_kind() throws IOException {
        fails(replace(VALID, "kind: orders, lookback", "kind: invoices, lookback"), "infrastructure.markets.shop.schedules.recent.kind",
                "must be one of orders, claims, inquiries, reviews, products");
    }

    /** VALID with shop on Cafe24's protocol: its sellers connect their malls by consent. */
    private static final String CONSENT = replace(replace(VALID, "list-orders: {budgets: [shop/api]}\n",
            "list-orders: {budgets: [shop/api]}\n      token: {budgets: [shop/api]}\n"),
            "    calls:\n      list-orders: {budgets: [shop/api]}\n      token: {budgets: [shop/api]}\n",
            "    calls:\n      list-orders: {budgets: [shop/api]}\n      token: {budgets: [shop/api]}\n    adapter:\n"
                    + "      type: cafe24\n      redirectUri: https://api.example.com/v1/connections/callback\n"
                    + "      calls: {token: token, listOrders: list-orders, getOrder: list-orders}\n");

    @Test
    void a_consent_market_is_scheduled_at_least_daily_so_its_refresh_tokens_are_renewed() throws IOException {
        // GIVEN a Cafe24 market scheduled every 10 minutes: valid
        assertThat(EnvironmentLoader.load(write(CONSENT)).infrastructure().orElseThrow().market("shop").schedules()).hasSize(2);

        // WHEN its schedules are removed, or run only every two days, THEN the file is refused at the schedules
        String unscheduled = replace(CONSENT, """
                      schedules:
                        recent: {rate: 10m, kind: orders, lookback: 30m, spreadOver: 5m, priority: medium}
                        unfinished: {rate: 30m, kind: orders}
                """, "");
        fails(unscheduled, "infrastructure.markets.shop.schedules", "must have a schedule of rate ≤ 1d for market shop (adapter.type cafe24)");
        fails(replace(replace(CONSENT, "rate: 10m", "rate: 2d"), "rate: 30m", "rate: 3d"), "infrastructure.markets.shop.schedules",
                "renews the refresh tokens that end within a day");
    }

    /** VALID with shop on 11st's protocol (claims, Q&A and settlements beside orders; no reviews), mapping orders only. */
    private static final String ELEVENST = replace(VALID, "    calls:\n      list-orders: {budgets: [shop/api]}\n",
            "    calls:\n      list-orders: {budgets: [shop/api]}\n    adapter:\n      type: 11st\n"
                    + "      calls: {listOrders: list-orders, getOrder: list-orders}\n");

    @Test
    void a_schedule_of_a_kind_the_markets_protocol_lacks_is_refused_naming_the_schedule_the_market_and_the_kind() throws IOException {
        // GIVEN shop on 11st's protocol, which has no list of reviews, with a schedule of reviews
        String reviews = replace(ELEVENST, "recent: {rate: 10m, kind: orders,", "recent: {rate: 10m, kind: reviews,");
        // THEN the file is refused at the schedule's kind, naming the schedule, the market and the kind
        fails(reviews, "infrastructure.markets.shop.schedules.recent.kind",
                "schedule recent collects reviews, but shop does not offer reviews (its protocol 11st has no list of reviews");
    }

    @Test
    void a_schedule_of_a_kind_the_section_does_not_map_is_refused_and_taken_once_the_list_call_is_mapped() throws IOException {
        // GIVEN shop on 11st's protocol (which has claims) with a schedule of claims, its listClaims not mapped
        String claims = replace(ELEVENST, "recent: {rate: 10m, kind: orders,", "recent: {rate: 10m, kind: claims,");
        // THEN the file is refused at the schedule's kind, naming the operation to map
        fails(claims, "infrastructure.markets.shop.schedules.recent.kind",
                "schedule recent collects claims, but shop does not offer claims (its adapter.calls does not map listClaims");
        // AND once the section maps listClaims, the schedule is taken
        String mapped = replace(claims, "calls: {listOrders: list-orders, getOrder: list-orders}",
                "calls: {listOrders: list-orders, getOrder: list-orders, listClaims: list-orders}");
        var schedule = EnvironmentLoader.load(write(mapped)).infrastructure().orElseThrow().market("shop").schedules().get("recent");
        assertThat(schedule.kind()).isEqualTo("claims");
    }

    @Test
    void a_tracking_schedule_follows_unfinished_orders_for_its_max_age_at_low_by_default() throws IOException {
        // GIVEN the unfinished schedule as a tracking one
        String tracking = replace(VALID, "unfinished: {rate: 30m, kind: orders}", "unfinished: {rate: 30m, kind: orders, track: unfinished, maxAge: 14d}");

        // WHEN loaded
        var schedule = EnvironmentLoader.load(write(tracking)).infrastructure().orElseThrow().market("shop").schedules().get("unfinished");

        // THEN it tracks for 14 days, spread over its rate, at LOW
        assertThat(schedule.tracksUnfinished()).isTrue();
        assertThat(schedule.trackUnfinishedFor()).contains(Duration.ofDays(14));
        assertThat(schedule.priority()).isEqualTo(Priority.LOW);
        assertThat(schedule.spreadOver()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void a_tracking_schedule_is_refused_naming_the_key_without_max_age_with_a_lookback_or_another_track() throws IOException {
        String base = "unfinished: {rate: 30m, kind: orders}";
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: orders, track: unfinished}"),
                "infrastructure.markets.shop.schedules.unfinished.maxAge", "is required with track");
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: orders, track: unfinished, maxAge: 14d, lookback: 3d}"),
                "infrastructure.markets.shop.schedules.unfinished.lookback", "is not taken with track");
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: orders, track: all, maxAge: 14d}"),
                "infrastructure.markets.shop.schedules.unfinished.track", "must be unfinished");
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: claims, track: unfinished, maxAge: 14d}"),
                "infrastructure.markets.shop.schedules.unfinished.kind", "must be orders with track");
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: orders, maxAge: 14d}"),
                "infrastructure.markets.shop.schedules.unfinished.maxAge", "is taken only with track");
        fails(replace(VALID, base, "unfinished: {rate: 30m, kind: orders, track: unfinished, maxAge: 200d}"),
                "infrastructure.markets.shop.schedules.unfinished.maxAge", "at most 90d");
    }

    @Test
    void an_11st_market_is_not_tracked_because_its_one_order_call_answers_a_line_only_while_it_is_paid() throws IOException {
        // GIVEN shop on 11st's protocol with a tracking schedule
        String elevenSt = replace(replace(VALID, "    calls:\n      list-orders: {budgets: [shop/api]}\n",
                "    calls:\n      list-orders: {budgets: [shop/api]}\n    adapter:\n      type: 11st\n"
                        + "      calls: {listOrders: list-orders, getOrder: list-orders}\n"),
                "unfinished: {rate: 30m, kind: orders}", "unfinished: {rate: 30m, kind: orders, track: unfinished, maxAge: 14d}");
        // THEN the file is refused at the schedule's track
        fails(elevenSt, "infrastructure.markets.shop.schedules.unfinished.track", "answers a line only while it is paid");
        // AND a longer lookback is taken
        assertThat(EnvironmentLoader.load(write(replace(elevenSt, "track: unfinished, maxAge: 14d", "lookback: 3d")))
                .infrastructure().orElseThrow().market("shop").schedules().get("unfinished").tracksUnfinished()).isFalse();
    }

    @Test
    void rejects_a_schedule_rate_below_a_minute() throws IOException {
        fails(replace(VALID, "rate: 10m", "rate: 30s"), "infrastructure.markets.shop.schedules.recent.rate", "must be whole minutes");
    }

    @Test
    void rejects_api_keys_without_a_quota() throws IOException {
        fails(replace(VALID, ", quotaPerDay: 1000", ""), "infrastructure.apiStage.quotaPerDay", "required with auth api-keys");
    }

    @Test
    void rejects_an_unknown_deployment() throws IOException {
        fails(replace(VALID, "deployment: canary-10percent-5minutes", "deployment: sometimes"), "infrastructure.deployment",
                "one of");
    }

    @Test
    void rejects_an_export_expiry_in_hours() throws IOException {
        fails(replace(VALID, "expireAfter: 3d", "expireAfter: 12h"), "infrastructure.exports.expireAfter", "must be whole days");
    }

    @Test
    void rejects_an_export_expiry_shorter_than_the_jobs_ttl() throws IOException {
        // a job kept 5 days offering a result the bucket deletes after 3
        fails(replace(VALID, "infrastructure:", "api:\n  exports: {ttl: 5d}\ninfrastructure:"),
                "infrastructure.exports.expireAfter", "must be at least api.exports.ttl (5d)");
    }

    @Test
    void reads_lambda_prices_for_the_cost_estimate_and_none_without_the_key() throws IOException {
        // GIVEN a file with Lambda's prices, and VALID without
        String priced = replace(VALID, "exports: {expireAfter: 3d}",
                "exports: {expireAfter: 3d}\n  pricing: {lambdaGbSecond: 0.0000166667, lambdaRequestsPerMillion: 0.20}");
        // WHEN
        InfrastructureConfig.Pricing pricing = EnvironmentLoader.load(write(priced)).infrastructure().orElseThrow().pricing()
                .orElseThrow();
        // THEN 1,000 GB-s and a million requests cost 0.0166667 + 0.20 USD
        assertThat(pricing.lambdaGbSecond()).isEqualTo(0.0000166667);
        assertThat(pricing.cost(1_000, 1_000_000)).isCloseTo(0.2166667, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(EnvironmentLoader.load(write(VALID)).infrastructure().orElseThrow().pricing()).isEmpty();
    }

    @Test
    void rejects_a_gb_second_price_in_the_wrong_unit_naming_the_key() throws IOException {
        // a price per GB-hour (0.06) where a price per GB-second is asked for
        fails(replace(VALID, "exports: {expireAfter: 3d}",
                "exports: {expireAfter: 3d}\n  pricing: {lambdaGbSecond: 0.06, lambdaRequestsPerMillion: 0.20}"),
                "infrastructure.pricing.lambdaGbSecond", "USD per GB-second");
    }

    @Test
    void rejects_prices_without_the_request_price_or_with_a_negative_one() throws IOException {
        fails(replace(VALID, "exports: {expireAfter: 3d}", "exports: {expireAfter: 3d}\n  pricing: {lambdaGbSecond: 0.0000166667}"),
                "infrastructure.pricing.lambdaRequestsPerMillion", "missing; required: a number");
        fails(replace(VALID, "exports: {expireAfter: 3d}",
                "exports: {expireAfter: 3d}\n  pricing: {lambdaGbSecond: 0.0000166667, lambdaRequestsPerMillion: -1}"),
                "infrastructure.pricing.lambdaRequestsPerMillion", "must be ≥ 0");
    }

    @Test
    void rejects_an_unknown_key() throws IOException {
        fails(replace(VALID, "logRetentionDays: 30", "logRetentionDays: 30\n  logs: 3"), "infrastructure.logs", "unknown key 'logs'");
    }

    private void fails(String yaml, String path, String rule) throws IOException {
        Path file = write(yaml);
        ConfigException e = loadFails(file, () -> EnvironmentLoader.load(file));
        assertReports(e, file, path, rule);
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("test.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
