package io.marketgate.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthesis stops, before any stack exists, with a message that names the file and the problem. */
class InvalidConfigurationTest {

    @TempDir
    Path root;

    @BeforeEach
    void copy_the_dev_files() throws IOException {
        Files.createDirectories(root.resolve("environments"));
        Files.createDirectories(root.resolve("canary-config"));
        Files.copy(Synthesized.ROOT.resolve("environments/dev.yaml"), root.resolve("environments/dev.yaml"));
        Files.copy(Synthesized.ROOT.resolve("canary-config/dev.yaml"), root.resolve("canary-config/dev.yaml"));
    }

    @Test
    void no_environment_given() {
        assertThat(stops(null)).startsWith("no environment given: run with -c env=<name>, one of [dev]");
    }

    @Test
    void an_unknown_environment() {
        assertThat(stops("prdo")).contains("prdo").contains("environments").contains("dev");
    }

    @Test
    void an_environment_without_an_infrastructure_section() throws IOException {
        String dev = Files.readString(root.resolve("environments/dev.yaml"));
        write(dev.substring(0, dev.indexOf("\ninfrastructure:")));
        assertThat(stops("dev")).startsWith("environments/dev.yaml: infrastructure: missing; required by the CDK app");
    }

    @Test
    void a_budgeted_market_on_a_dynamic_ip_group() throws IOException {
        edit("    fixed-ip: {kind: fixed-ip, natGateways: 1}", "    fixed-ip: {kind: fixed-ip, natGateways: 1}\n    open: {kind: dynamic}");
        edit("    coupang:\n      egressGroup: fixed-ip", "    coupang:\n      egressGroup: open");
        assertThat(stops("dev")).contains("dev.yaml: infrastructure.markets.coupang.egressGroup: market coupang has budgets in "
                + "Valkey, but group 'open' is dynamic");
    }

    @Test
    void markets_that_connect_by_consent_with_their_budgets_in_two_limiter_stores() {
        Cafe24Fixture.writeConsentMarketsOnTwoStores(root);
        assertThat(stops("dev")).startsWith("environments/dev.yaml: infrastructure.markets.<market>.egressGroup: the markets whose "
                + "sellers connect by consent must keep their budgets in one limiter store").contains("valkey: [cafe24-b (group fixed-ip)]")
                .contains("dynamodb: [cafe24 (group open)]");
    }

    @Test
    void a_fleet_size_below_the_consumers_concurrency() throws IOException {
        edit("    fleetSize: 4", "    fleetSize: 3");
        assertThat(stops("dev")).contains("dev.yaml: markets.coupang.fleetSize: must be ≥ the market's collector + actions maxConcurrency");
    }

    @Test
    void a_visibility_multiplier_below_six() throws IOException {
        edit("visibilityMultiplier: 6}", "visibilityMultiplier: 5}");
        assertThat(stops("dev")).contains("dev.yaml: infrastructure.markets.coupang.queues.visibilityMultiplier: must be ≥ 6");
    }

    @Test
    void a_max_receive_count_below_ten() throws IOException {
        edit("maxReceiveCount: 20,", "maxReceiveCount: 5,");
        assertThat(stops("dev")).contains("dev.yaml: infrastructure.markets.coupang.queues.maxReceiveCount: must be between 10 and 1000");
    }

    @Test
    void an_unknown_market_in_the_infrastructure() throws IOException {
        edit("    naver:\n      egressGroup", "    navr:\n      egressGroup");
        assertThat(stops("dev")).contains("dev.yaml: infrastructure.markets.navr: unknown market 'navr'")
                .contains("dev.yaml: infrastructure.markets: missing market 'naver'");
    }

    @Test
    void canary_routes_with_iam_auth() throws IOException {
        edit("auth: api-keys, quotaPerDay: 10000", "auth: iam");
        assertThat(stops("dev")).startsWith("environments/dev.yaml: infrastructure.apiStage.auth: must be api-keys while "
                + "canary-config/dev.yaml has canary routes");
    }

    @Test
    void an_invalid_canary_file() throws IOException {
        Files.writeString(root.resolve("canary-config/dev.yaml"), Files.readString(root.resolve("canary-config/dev.yaml"))
                .replace("percent: 10", "percent: 100"));
        assertThat(stops("dev")).contains("canary-config").contains("dev.yaml").contains("percent");
    }

    @Test
    void a_missing_handlers_jar() {
        String message = catchThrowableOfType(Deployment.SynthesisStopped.class,
                () -> Deployment.load(root, "dev", root.resolve("lambda-handlers/target/none-lambda.jar"))).getMessage();
        assertThat(message).contains("none-lambda.jar does not exist").contains("scripts/cdk-app");
    }

    private String stops(String env) {
        Deployment.SynthesisStopped e = catchThrowableOfType(Deployment.SynthesisStopped.class,
                () -> Deployment.load(root, env, Synthesized.TEST_ASSET));
        assertThat(e).as("synthesis of %s should stop", env).isNotNull();
        return e.getMessage();
    }

    private void edit(String from, String to) throws IOException {
        String dev = Files.readString(root.resolve("environments/dev.yaml"));
        assertThat(dev).contains(from);
        write(dev.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
    }

    private void write(String text) throws IOException {
        Files.writeString(root.resolve("environments/dev.yaml"), text);
    }
}
