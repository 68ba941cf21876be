package io.marketgate.config.canary;

import static io.marketgate.config.ConfigFileAssertions.assertReports;
import static io.marketgate.config.ConfigFileAssertions.replace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.ConfigException;
import io.marketgate.config.ConfigFileAssertions;
import io.marketgate.config.ConfigProblem;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per rule of {@code canary-config/<env>.yaml}: each breaks one thing in a valid file and checks that the
 * problem names the file, the path inside it and the rule.
 */
class CanaryConfigLoaderTest {

    /** A valid file; each test breaks one thing in it. */
    private static final String VALID = """
            environment: test
            legacy:
              baseUrl: https://legacy.test.example.com/
            routes:
              "POST /v1/collections": {state: migrated, handler: api}
              "GET /v1/collections/{id}": {state: canary, percent: 10, handler: api}
              "GET /v1/jobs/{id}": {state: canary, percent: 10, handler: api}
              "POST /v1/actions": {state: legacy, handler: api}
              "GET /v1/orders": {state: legacy}
            """;

    private static final String GET_COLLECTION = "routes.\"GET /v1/collections/{id}\"";

    @TempDir
    Path dir;

    @Test
    void the_valid_base_file_loads_every_route_in_file_order() throws IOException {
        // GIVEN
        Path file = write(VALID);

        // WHEN
        CanaryConfig config = CanaryConfigLoader.load(file);

        // THEN
        assertThat(config.environment()).isEqualTo("test");
        assertThat(config.stage()).as("the default stage").isEqualTo("live");
        assertThat(config.restApiName()).isEqualTo("test-marketgate-api");
        assertThat(config.legacyBaseUrl()).as("trailing '/' removed").isEqualTo(URI.create("https://legacy.test.example.com"));
        assertThat(config.routes().keySet()).extracting(ApiRoute::toString).containsExactly(
                "POST /v1/collections", "GET /v1/collections/{id}", "GET /v1/jobs/{id}", "POST /v1/actions", "GET /v1/orders");
        assertThat(config.route(ApiCatalog.GET_COLLECTION))
                .isEqualTo(RouteConfig.canary(ApiCatalog.GET_COLLECTION, "api", 10));
        assertThat(config.route(ApiCatalog.CREATE_ACTION))
                .isEqualTo(new RouteConfig(ApiCatalog.CREATE_ACTION, RouteState.LEGACY, Optional.of("api"), OptionalDouble.empty()));
        assertThat(config.route(ApiRoute.parse("GET /v1/orders"))).isEqualTo(RouteConfig.legacy(ApiRoute.parse("GET /v1/orders")));
        assertThat(config.canaryPercent()).hasValue(10.0);
        assertThat(config.routes(RouteState.MIGRATED)).extracting(RouteConfig::route).containsExactly(ApiCatalog.CREATE_COLLECTION);
    }

    @Test
    void a_stage_and_a_fractional_percent_are_read() throws IOException {
        Path file = write(VALID.replace("environment: test", "environment: test\nstage: beta").replace("percent: 10", "percent: 2.5"));

        CanaryConfig config = CanaryConfigLoader.load(file);

        assertThat(config.stage()).isEqualTo("beta");
        assertThat(config.canaryPercent()).hasValue(2.5);
        assertThat(config.describeCanaryPercent()).isEqualTo("2.5%");
    }

    @Test
    void a_file_without_canary_routes_has_no_canary_percent() throws IOException {
        Path file = write(VALID.replace("{state: canary, percent: 10, handler: api}", "{state: migrated, handler: api}"));

        CanaryConfig config = CanaryConfigLoader.load(file);

        assertThat(config.canaryPercent()).isEmpty();
        assertThat(config.describeCanaryPercent()).isEqualTo("none");
    }

    // ---- the rules of one route

    @Test
    void an_unknown_handler_is_reported_with_the_known_handlers() throws IOException {
        Path file = write(replace(VALID, "\"POST /v1/collections\": {state: migrated, handler: api}",
                "\"POST /v1/collections\": {state: migrated, handler: collector}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"POST /v1/collections\".handler", "unknown handler 'collector'; known handlers: api");
    }

    @Test
    void a_route_the_handler_does_not_serve_is_an_unknown_route_for_that_handler() throws IOException {
        Path file = write(replace(VALID, "\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {state: migrated, handler: api}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"GET /v1/orders\".handler",
                "unknown route for handler api: it does not serve GET /v1/orders (it serves POST /v1/collections, GET /v1/collections/{id},");
    }

    @Test
    void a_legacy_route_may_not_name_a_handler_that_does_not_serve_it_either() throws IOException {
        Path file = write(replace(VALID, "\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {state: legacy, handler: api}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"GET /v1/orders\".handler", "unknown route for handler api");
    }

    @Test
    void a_canary_route_without_a_handler_is_reported() throws IOException {
        Path file = write(replace(VALID, "{state: canary, percent: 10, handler: api}", "{state: canary, percent: 10}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, GET_COLLECTION + ".handler", "missing; a canary route needs the handler that serves it, one of api");
    }

    @Test
    void a_migrated_route_without_a_handler_is_reported() throws IOException {
        Path file = write(replace(VALID, "{state: migrated, handler: api}", "{state: migrated}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"POST /v1/collections\".handler", "missing; a migrated route needs the handler");
    }

    @Test
    void a_canary_route_without_a_percent_is_reported() throws IOException {
        Path file = write(VALID.replace("{state: canary, percent: 10, handler: api}", "{state: canary, handler: api}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, GET_COLLECTION + ".percent", "missing; a canary route needs the percent of the traffic its handler serves");
    }

    @Test
    void a_canary_at_0_percent_is_rejected_as_a_legacy_route_in_disguise() throws IOException {
        Path file = write(VALID.replace("percent: 10", "percent: 0"));

        ConfigException e = loadFails(file);

        assertReports(e, file, GET_COLLECTION + ".percent", "must be > 0 (a canary at 0% serves nothing: use state legacy), was 0");
    }

    @Test
    void a_canary_at_100_percent_is_rejected_as_a_migrated_route_in_disguise() throws IOException {
        Path file = write(VALID.replace("percent: 10", "percent: 100"));

        ConfigException e = loadFails(file);

        assertReports(e, file, GET_COLLECTION + ".percent", "must be < 100 (a canary at 100% serves everything: use state migrated), was 100");
    }

    @Test
    void a_percent_outside_0_to_100_names_the_bound_it_crosses() throws IOException {
        Path below = write("below", VALID.replace("environment: test", "environment: below").replace("percent: 10", "percent: -5"));
        Path above = write("above", VALID.replace("environment: test", "environment: above").replace("percent: 10", "percent: 150"));

        assertReports(loadFails(below), below, GET_COLLECTION + ".percent", "must be > 0");
        assertReports(loadFails(above), above, GET_COLLECTION + ".percent", "must be < 100");
    }

    @Test
    void a_percent_that_is_not_a_number_is_reported_once_as_a_wrong_type() throws IOException {
        Path file = write(VALID.replace("percent: 10", "percent: ten"));

        ConfigException e = loadFails(file);

        assertThat(e.problems()).filteredOn(p -> p.path().equals(GET_COLLECTION + ".percent")).singleElement()
                .satisfies(p -> assertThat(p.rule()).isEqualTo("must be a number, was 'ten'"));
    }

    @Test
    void a_legacy_or_migrated_route_with_a_percent_is_reported() throws IOException {
        Path file = write(VALID
                .replace("{state: migrated, handler: api}", "{state: migrated, percent: 10, handler: api}")
                .replace("\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {state: legacy, percent: 10}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"POST /v1/collections\".percent",
                "only a canary route has a percent; a migrated route gets 100% of the traffic on its handler, was 10");
        assertReports(e, file, "routes.\"GET /v1/orders\".percent", "only a canary route has a percent; a legacy route gets 0%");
    }

    @Test
    void an_unknown_state_is_reported_with_the_states() throws IOException {
        Path file = write(VALID.replace("\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {state: retired}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"GET /v1/orders\".state", "must be one of legacy, canary, migrated, was 'retired'");
    }

    @Test
    void a_route_without_a_state_is_reported() throws IOException {
        Path file = write(VALID.replace("\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"GET /v1/orders\".state", "missing; required: one of legacy, canary, migrated");
    }

    // ---- rules between routes

    @Test
    void canary_routes_with_different_percents_are_reported_because_a_stage_has_one_canary() throws IOException {
        Path file = write(replace(VALID, "\"GET /v1/jobs/{id}\": {state: canary, percent: 10, handler: api}",
                "\"GET /v1/jobs/{id}\": {state: canary, percent: 20, handler: api}"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"GET /v1/jobs/{id}\".percent", "must equal the percent of the other canary routes "
                + "(10 at \"GET /v1/collections/{id}\"): API Gateway has one canary per stage, so every canary route gets "
                + "the same share of the traffic, was 20");
    }

    @Test
    void the_same_route_written_twice_is_reported() throws IOException {
        Path file = write(VALID + "  \"get  /v1/orders\": {state: legacy}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"get  /v1/orders\"", "the same route as \"GET /v1/orders\"; each route is listed once");
    }

    @Test
    void the_same_key_written_twice_is_a_duplicate_key() throws IOException {
        Path file = write(VALID + "  \"GET /v1/orders\": {state: legacy}\n");

        ConfigException e = loadFails(file);

        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.rule()).startsWith("duplicate key 'GET /v1/orders'"));
    }

    @Test
    void a_key_that_is_not_a_route_is_reported_with_the_form_of_a_route() throws IOException {
        Path file = write(VALID + "  \"/v1/sellers\": {state: legacy}\n  \"FETCH /v1/sellers\": {state: legacy}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"/v1/sellers\"", "a route is written 'METHOD /path'");
        assertReports(e, file, "routes.\"FETCH /v1/sellers\"", "route method must be one of GET, POST, PUT, PATCH, DELETE");
    }

    @Test
    void two_names_for_the_same_path_variable_are_reported_because_api_gateway_builds_one_resource_tree() throws IOException {
        Path file = write(VALID + "  \"DELETE /v1/collections/{collectionId}\": {state: legacy}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes.\"DELETE /v1/collections/{collectionId}\"",
                "path variable {collectionId} under /v1/collections differs from {id} of GET /v1/collections/{id}");
    }

    @Test
    void an_empty_route_list_is_reported() throws IOException {
        Path file = write(VALID.substring(0, VALID.indexOf("routes:")) + "routes: {}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "routes", "must list at least one route: API Gateway cannot deploy a REST API without methods");
    }

    // ---- structure and file

    @Test
    void unknown_keys_are_reported_with_the_keys_allowed_there() throws IOException {
        Path file = write(VALID.replace("  baseUrl:", "  baseUri: x\n  baseUrl:").replace("{state: legacy}", "{state: legacy, weight: 3}")
                + "canary: {}\n");

        ConfigException e = loadFails(file);

        assertReports(e, file, "canary", "unknown key 'canary'; allowed keys here: environment, stage, legacy, routes");
        assertReports(e, file, "legacy.baseUri", "unknown key 'baseUri'; allowed keys here: baseUrl");
        assertReports(e, file, "routes.\"GET /v1/orders\".weight", "unknown key 'weight'; allowed keys here: state, percent, handler");
    }

    @Test
    void missing_required_keys_are_reported() throws IOException {
        Path file = write("stage: live\n");

        ConfigException e = loadFails(file);

        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder("environment", "legacy", "routes");
    }

    @Test
    void a_legacy_base_url_that_is_not_an_http_url_is_reported() throws IOException {
        Path file = write(VALID.replace("https://legacy.test.example.com/", "ftp://legacy.test.example.com"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "legacy.baseUrl", "must be an http or https URL with a host");
    }

    @Test
    void a_stage_that_api_gateway_would_refuse_is_reported() throws IOException {
        Path file = write(VALID.replace("environment: test", "environment: test\nstage: live stage"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "stage", "must be an API Gateway stage name: 1 to 128 letters, digits, '-' or '_', was 'live stage'");
    }

    @Test
    void the_environment_must_equal_the_file_name() throws IOException {
        Path file = write(VALID.replace("environment: test", "environment: prod"));

        ConfigException e = loadFails(file);

        assertReports(e, file, "environment", "must equal the file's base name 'test', was 'prod'");
    }

    @Test
    void an_empty_file_is_reported_with_the_top_keys() throws IOException {
        Path file = write("");

        ConfigException e = loadFails(file);

        assertReports(e, file, "", "is empty; expected a mapping with keys environment, stage, legacy, routes");
    }

    @Test
    void a_missing_file_is_named_with_the_configurations_that_exist() throws IOException {
        // GIVEN
        write("dev", VALID.replace("environment: test", "environment: dev"));

        // WHEN
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CanaryConfigLoader.load(dir, "qa"));

        // THEN
        assertThat(e.getMessage()).isEqualTo(dir.resolve("qa.yaml") + ": no such file; canary configurations in " + dir + ": dev");
    }

    @Test
    void an_environment_that_is_not_a_name_is_rejected_before_touching_the_disk() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> CanaryConfigLoader.load(dir, "../prod"));

        assertThat(e.getMessage()).startsWith(dir + ": environment name '../prod' must be lower-case letters");
    }

    @Test
    void every_problem_of_a_file_is_reported_one_per_line() throws IOException {
        // GIVEN four problems in different places
        Path file = write(VALID
                .replace("environment: test", "environment: prod")
                .replace("https://legacy.test.example.com/", "legacy")
                .replace("{state: migrated, handler: api}", "{state: migrated}")
                .replace("\"GET /v1/orders\": {state: legacy}", "\"GET /v1/orders\": {state: canary, percent: 10, handler: api}"));

        // WHEN
        ConfigException e = loadFails(file);

        // THEN
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactlyInAnyOrder(
                "environment", "legacy.baseUrl", "routes.\"POST /v1/collections\".handler", "routes.\"GET /v1/orders\".handler");
        assertThat(e.getMessage().lines()).hasSize(4).allSatisfy(line -> assertThat(line).startsWith(file + ": "));
    }

    // ---- the records enforce the same rules

    @Test
    void the_records_refuse_what_the_loader_reports() {
        assertThatThrownBy(() -> RouteConfig.canary(ApiCatalog.GET_COLLECTION, "api", 100))
                .hasMessage("GET /v1/collections/{id}: percent: must be < 100 (a canary at 100% serves everything: use state migrated), was 100");
        assertThatThrownBy(() -> RouteConfig.migrated(ApiRoute.parse("GET /v1/orders"), "api"))
                .hasMessageStartingWith("GET /v1/orders: handler: unknown route for handler api");
        assertThatThrownBy(() -> new CanaryConfig("test", "live", URI.create("https://legacy"), Map.of(
                ApiCatalog.GET_COLLECTION, RouteConfig.canary(ApiCatalog.GET_COLLECTION, "api", 10),
                ApiCatalog.GET_JOB, RouteConfig.canary(ApiCatalog.GET_JOB, "api", 20))))
                .hasMessageContaining("API Gateway has one canary per stage");
        assertThatThrownBy(() -> new CanaryConfig("test", "live", URI.create("https://legacy"), Map.of()))
                .hasMessage("a canary configuration needs at least one route");
    }

    // ---- helpers

    private Path write(String yaml) throws IOException {
        return write("test", yaml);
    }

    private Path write(String environment, String yaml) throws IOException {
        return Files.writeString(dir.resolve(environment + ".yaml"), yaml);
    }

    private static ConfigException loadFails(Path file) {
        return ConfigFileAssertions.loadFails(file, () -> CanaryConfigLoader.load(file));
    }
}
