package io.marketgate.devtools.marketsim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.ops.CliRun;
import io.marketgate.devtools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MarketSimCommandTest {

    /** Runs the command in-process with a handle on it, and returns its first stdout line once printed. */
    private record Running(MarketSimCommand command, CompletableFuture<Integer> exit, JsonNode line, StringWriter err) {}

    private static Running run(String... args) throws Exception {
        MarketSimCommand command = new MarketSimCommand();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == MarketSimCommand.class ? cls.cast(command) : CommandLine.defaultFactory().create(cls);
            }
        };
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(factory);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("\n") && !exit.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(out.toString()).as("stdout; err: %s", err).contains("\n");
        return new Running(command, exit, new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow()), err);
    }

    @Test
    void coupang_serves_the_wing_protocol_and_prints_its_base_url_and_the_sellers_credentials() throws Exception {
        // GIVEN market-sim for Coupang on a free port
        Running running = run("market-sim", "--protocol", "coupang", "--port", "0", "--sellers", "2", "--seed", "7");
        JsonNode line = running.line();

        // WHEN a client signs a request with the printed credentials
        JsonNode seller = line.get("sellers").get(0);
        String path = "/v2/providers/openapi/apis/api/v4/vendors/" + seller.get("vendorId").asText() + "/ordersheets";
        String query = "createdAtFrom=2026-11-20&createdAtTo=2026-11-21&status=INSTRUCT";
        String date = DateTimeFormatter.ofPattern("yyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(seller.get("secretKey").asText().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal((date + "GET" + path + query).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(line.get("baseUrl").asText() + path + "?" + query))
                .header("Authorization", "CEA algorithm=HmacSHA256, access-key=" + seller.get("accessKey").asText()
                        + ", signed-date=" + date + ", signature=" + signature).GET().build(), HttpResponse.BodyHandlers.ofString());

        // THEN one JSON line with the protocol, the base URL and each seller's Coupang credentials; the market answers
        assertThat(line.get("protocol").asText()).isEqualTo("coupang");
        assertThat(line.get("baseUrl").asText()).matches("http://127\\.0\\.0\\.1:\\d+/coupang");
        assertThat(line.get("sellers")).hasSize(2);
        assertThat(seller.get("sellerId").asText()).isEqualTo("coupang-s0001");
        assertThat(seller.get("vendorId").asText()).matches("A\\d{8}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        running.command().stop();
        assertThat(running.exit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void cafe24_prints_the_base_url_template_and_each_sellers_mall_app_and_first_connection() throws Exception {
        // GIVEN market-sim for Cafe24
        Running running = run("market-sim", "--protocol", "cafe24", "--sellers", "2", "--seed", "3");
        JsonNode line = running.line();
        JsonNode seller = line.get("sellers").get(0);

        // WHEN the printed connection calls the seller's mall
        String mallUrl = line.get("baseUrl").asText().replace("{mallId}", seller.get("mallId").asText());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(mallUrl
                        + "/admin/orders?start_date=2026-11-20&end_date=2026-11-21"))
                .header("Authorization", "Bearer " + seller.get("accessToken").asText()).GET().build(), HttpResponse.BodyHandlers.ofString());
        running.command().stop();

        // THEN the template names the mall, each seller has its mall, the app and a connection, and the mall answers
        assertThat(line.get("protocol").asText()).isEqualTo("cafe24");
        assertThat(line.get("baseUrl").asText()).matches("http://127\\.0\\.0\\.1:\\d+/cafe24/\\{mallId\\}/api/v2");
        assertThat(seller.get("mallId").asText()).matches("m[0-9a-z]{7}").isNotEqualTo(line.get("sellers").get(1).get("mallId").asText());
        assertThat(seller.has("clientSecret")).isTrue();
        assertThat(seller.has("refreshToken")).isTrue();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Api-Call-Limit")).contains("1/40");
        assertThat(running.exit().get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void naver_prints_an_app_per_seller_or_one_solution_app() throws Exception {
        Running perSeller = run("market-sim", "--protocol", "naver", "--sellers", "2");
        perSeller.command().stop();
        Running solution = run("market-sim", "--protocol", "naver", "--sellers", "2", "--naver-apps", "solution");
        solution.command().stop();

        assertThat(perSeller.line().get("baseUrl").asText()).endsWith("/naver/external");
        JsonNode a = perSeller.line().get("sellers").get(0);
        assertThat(a.get("clientSecret").asText()).startsWith("$2a$10$");
        assertThat(a.get("type").asText()).isEqualTo("SELF");
        JsonNode s1 = solution.line().get("sellers").get(0);
        JsonNode s2 = solution.line().get("sellers").get(1);
        assertThat(s1.get("clientId").asText()).isEqualTo(s2.get("clientId").asText());
        assertThat(s1.get("type").asText()).isEqualTo("SELLER");
        assertThat(s1.get("accountId").asText()).isNotEqualTo(s2.get("accountId").asText());
        assertThat(perSeller.exit().get(30, TimeUnit.SECONDS)).isZero();
        assertThat(solution.exit().get(30, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void elevenst_serves_the_open_api_and_prints_each_sellers_key() throws Exception {
        // GIVEN market-sim for 11st on a free port
        Running running = run("market-sim", "--protocol", "11st", "--sellers", "2", "--seed", "7");
        JsonNode line = running.line();
        JsonNode seller = line.get("sellers").get(0);

        // WHEN a client lists a stage with the printed key in the openapikey header
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(line.get("baseUrl").asText()
                        + "/ordservices/packaging/202611200000/202611210000"))
                .header("openapikey", seller.get("openApiKey").asText()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());

        // THEN the protocol, the base URL as 11st's ends (/rest), each seller's key; the market answers EUC-KR XML
        assertThat(line.get("protocol").asText()).isEqualTo("11st");
        assertThat(line.get("baseUrl").asText()).matches("http://127\\.0\\.0\\.1:\\d+/11st/rest");
        assertThat(line.get("sellers")).hasSize(2);
        assertThat(seller.get("sellerId").asText()).isEqualTo("11st-s0001");
        assertThat(seller.get("openApiKey").asText()).matches("[0-9a-f]{32}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("text/xml;charset=EUC-KR");
        assertThat(new String(r.body(), java.nio.charset.Charset.forName("x-windows-949"))).contains("<ns2:orders").contains("<ns2:order>");
        running.command().stop();
        assertThat(running.exit().get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    }

    @Test
    void bad_flags_are_usage_errors_naming_the_flag() {
        CliRun protocol = CliRun.of("market-sim", "--protocol", "gmarket");
        CliRun missing = CliRun.of("market-sim", "--port", "0");
        CliRun port = CliRun.of("market-sim", "--protocol", "naver", "--port", "70000");
        CliRun sellers = CliRun.of("market-sim", "--protocol", "coupang", "--sellers", "0");
        CliRun apps = CliRun.of("market-sim", "--protocol", "naver", "--naver-apps", "shared");

        assertThat(protocol.exitCode()).as(protocol.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(protocol.err()).contains("--protocol 'gmarket' is not one of coupang, naver, 11st, cafe24, reference")
                .contains("Try 'marketgate market-sim --help'");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--protocol");
        assertThat(port.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(port.err()).contains("--port is 70000");
        assertThat(sellers.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(sellers.err()).contains("--sellers is 0");
        assertThat(apps.err()).contains("--naver-apps 'shared'");
    }

    @Test
    void latency_flags_give_the_market_its_network_delay() {
        // GIVEN the latency flags of a slow network with 1 % slow answers
        MarketSimCommand command = new MarketSimCommand();
        new CommandLine(command).parseArgs("--protocol", "coupang", "--latency-p50", "80ms", "--latency-p99", "300ms",
                "--slow-percent", "1", "--slow", "2s");
        MarketSimCommand plain = new MarketSimCommand();
        new CommandLine(plain).parseArgs("--protocol", "coupang");
        MarketSimCommand fixed = new MarketSimCommand();
        new CommandLine(fixed).parseArgs("--protocol", "coupang", "--latency-p50", "40ms");

        // WHEN their markets are configured, THEN each has the latency the flags name
        assertThat(command.config().latency()).isEqualTo(new io.marketgate.marketsim.Latency(
                java.time.Duration.ofMillis(80), java.time.Duration.ofMillis(300), 0.01, java.time.Duration.ofSeconds(2)));
        assertThat(plain.config().latency()).isEqualTo(io.marketgate.marketsim.Latency.NONE);
        assertThat(fixed.config().latency()).isEqualTo(io.marketgate.marketsim.Latency.fixed(java.time.Duration.ofMillis(40)));
    }

    @Test
    void bad_latency_flags_are_usage_errors_naming_the_flag_and_the_rule() {
        CliRun order = CliRun.of("market-sim", "--protocol", "coupang", "--latency-p50", "80ms", "--latency-p99", "50ms");
        CliRun percent = CliRun.of("market-sim", "--protocol", "coupang", "--slow-percent", "120", "--slow", "1s");
        CliRun slowAlone = CliRun.of("market-sim", "--protocol", "coupang", "--slow-percent", "1");
        CliRun notDuration = CliRun.of("market-sim", "--protocol", "coupang", "--latency-p50", "fast");

        assertThat(order.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(order.err()).contains("--latency-p99 is 50ms, must be ≥ --latency-p50 (80ms)");
        assertThat(percent.err()).contains("--slow-percent is 120.0, must be 0 to 100");
        assertThat(slowAlone.err()).contains("--slow-percent needs --slow");
        assertThat(notDuration.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(notDuration.err()).contains("--latency-p50 'fast'");
    }

    @Test
    void help_describes_the_command_and_its_exit_codes() {
        CliRun help = CliRun.of("market-sim", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--protocol=PROTOCOL").contains("--sellers").contains("--seed").contains("Exit codes:");
    }
}
