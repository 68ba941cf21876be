package io.marketgate.devtools.marketsim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.cli.ExitCodes;
import io.marketgate.cli.UsageException;
import io.marketgate.config.Durations;
import io.marketgate.marketsim.Latency;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketPresets;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.NaverApps;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.SellerCredentials;
import io.marketgate.marketsim.SimulatedMarket;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code marketgate market-sim}: one simulated market on 127.0.0.1, speaking Coupang Wing's, Naver Commerce's, 11st's,
 * Cafe24's Admin API or the reference protocol at the market's real limits, until Ctrl-C. Prints one JSON line with the base URL and the test
 * credentials the simulator generated for its sellers (they are the simulator's own, so printing them is the point).
 */
@Command(name = "market-sim",
        mixinStandardHelpOptions = true,
        description = {
            "Serves one simulated market on 127.0.0.1 until Ctrl-C (or --for), speaking the market's real protocol",
            "at its real limits: coupang (Wing Open API, HMAC-signed), naver (Commerce API, bcrypt-signed tokens),",
            "11st (Open API: openapikey header, EUC-KR XML),",
            "cafe24 (Admin API, a mall per seller, OAuth2 with rotating refresh tokens, a leaky bucket per mall) or",
            "reference (the project's REST protocol). Prints one JSON line on stdout:",
            "  {\"protocol\":…,\"baseUrl\":\"http://127.0.0.1:PORT/<market> (Naver: …/naver/external, 11st: …/11st/rest, as their real base URLs end;",
            "   Cafe24: …/cafe24/{mallId}/api/v2, the template of adapter.baseUrl)\",\"sellers\":[{sellerId, <credential fields>}…]}",
            "Cafe24's sellers also print their mall's first connection (accessToken, refreshToken and their expiries).",
            "The credentials are the simulator's own test credentials, generated from --seed."},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {"0:stopped (Ctrl-C or --for)", ExitCodes.FAILED_LINE, ExitCodes.USAGE_LINE})
public final class MarketSimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--protocol", required = true, paramLabel = "PROTOCOL", description = "coupang, naver, 11st, cafe24 or reference.")
    String protocol;

    @Option(names = {"-p", "--port"}, defaultValue = "0", description = "The port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--sellers", defaultValue = "3", description = "Simulated sellers, named <market>-s0001… (default: ${DEFAULT-VALUE}).")
    int sellers;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the orders and the credentials (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--orders-per-hour", defaultValue = "10", description = "Mean orders per seller and hour (default: ${DEFAULT-VALUE}).")
    int ordersPerHour;

    @Option(names = "--naver-apps", defaultValue = "per-seller", paramLabel = "APPS",
            description = "naver: per-seller (an app per seller, type SELF) or solution (one app, type SELLER with account ids) (default: ${DEFAULT-VALUE}).")
    String naverApps;

    @Option(names = "--latency-p50", paramLabel = "DURATION",
            description = "Median network delay of a request's round trip (80ms); half of each drawn delay passes before the market counts the request, the rest before the answer is written. Default: none.")
    String latencyP50;

    @Option(names = "--latency-p99", paramLabel = "DURATION",
            description = "99th percentile of that delay, ≥ --latency-p50 (300ms); a log-normal is fitted to both. Default: --latency-p50 (a fixed delay).")
    String latencyP99;

    @Option(names = "--slow-percent", paramLabel = "PERCENT",
            description = "Percent (0 to 100) of requests that are slow answers, delayed by --slow on top (default: 0).")
    Double slowPercent;

    @Option(names = "--slow", paramLabel = "DURATION", description = "What a slow answer adds (2s); needed with --slow-percent.")
    String slow;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop by itself after DURATION (30s, 5m): for scripts and tests.")
    String runFor;

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Ends a running command as Ctrl-C would (for a test that started it in-process). */
    public void stop() {
        stopped.countDown();
    }

    static final int MAX_SELLERS = 10_000;

    @Override
    public Integer call() throws InterruptedException {
        MarketConfig config = config();
        Optional<Duration> stopAfter = Optional.ofNullable(runFor).map(Durations::parse);
        PrintWriter out = spec.commandLine().getOut();
        MarketSim sim = MarketSim.builder().port(port).market(config).start();
        Thread hook = new Thread(() -> {
            stop();
            sim.close();
        }, "marketgate-market-sim-down");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            SimulatedMarket market = sim.market(config.name());
            ObjectNode line = new ObjectMapper().createObjectNode()
                    .put("protocol", protocol)
                    .put("baseUrl", market.clientBaseUrlTemplate());
            ArrayNode list = line.putArray("sellers");
            for (SellerCredentials c : market.credentials()) {
                ObjectNode seller = list.addObject();
                c.fields().forEach(seller::put);
            }
            out.println(line);
            out.flush();
            if (stopAfter.isPresent()) {
                stopped.await(stopAfter.get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                stopped.await();
            }
        } finally {
            sim.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already: the hook closes the sim
            }
        }
        return ExitCodes.OK;
    }

    /** The market the options describe; a usage error (exit 2) names the bad option. */
    MarketConfig config() {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port is " + port + ", must be 0 (a free port) to 65535");
        }
        if (sellers < 1 || sellers > MAX_SELLERS) {
            throw new UsageException("--sellers is " + sellers + ", must be 1 to " + MAX_SELLERS);
        }
        if (ordersPerHour < 0 || ordersPerHour > MarketConfig.MAX_ORDERS_PER_HOUR) {
            throw new UsageException("--orders-per-hour is " + ordersPerHour + ", must be 0 to " + MarketConfig.MAX_ORDERS_PER_HOUR);
        }
        if (runFor != null) {
            try {
                Durations.parse(runFor);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--for '" + runFor + "': " + e.getMessage(), e);
            }
        }
        NaverApps apps = switch (naverApps) {
            case "per-seller" -> NaverApps.PER_SELLER;
            case "solution" -> NaverApps.SOLUTION;
            default -> throw new UsageException("--naver-apps '" + naverApps + "' is not one of per-seller, solution");
        };
        MarketConfig.Builder b = switch (protocol) {
            case "coupang" -> MarketPresets.coupangWing();
            case "naver" -> MarketPresets.naverCommerce().naverApps(apps);
            case "11st" -> MarketPresets.elevenStOpenApi();
            case "cafe24" -> MarketPresets.cafe24Admin();
            case "reference" -> MarketConfig.named("reference").apiKeys("sim-reference-key")
                    .budget(MarketBudget.slidingWindow("key", Scope.API_KEY, 10, Duration.ofSeconds(1)));
            default -> throw new UsageException("--protocol '" + protocol + "' is not one of coupang, naver, 11st, cafe24, reference");
        };
        String name = protocol;
        for (int i = 1; i <= sellers; i++) {
            b.sellers(String.format("%s-s%04d", name, i));
        }
        return b.seed(seed).ordersPerHour(ordersPerHour).latency(latency()).build();
    }

    /** The latency the four flags describe; a usage error names the flag and its rule. */
    Latency latency() {
        if (latencyP50 == null && latencyP99 == null && slowPercent == null && slow == null) {
            return Latency.NONE;
        }
        Duration p50 = latencyP50 == null ? Duration.ZERO : duration("--latency-p50", latencyP50);
        Duration p99 = latencyP99 == null ? p50 : duration("--latency-p99", latencyP99);
        if (latencyP50 == null && latencyP99 != null) {
            throw new UsageException("--latency-p99 needs --latency-p50 (the median the delay is fitted to)");
        }
        if (p99.compareTo(p50) < 0) {
            throw new UsageException("--latency-p99 is " + latencyP99 + ", must be ≥ --latency-p50 (" + latencyP50 + ")");
        }
        if (p50.isZero() && !p99.isZero()) {
            throw new UsageException("--latency-p50 is 0, must be > 0 when --latency-p99 is > 0");
        }
        double rate = slowPercent == null ? 0 : slowPercent;
        if (!(rate >= 0 && rate <= 100)) {
            throw new UsageException("--slow-percent is " + slowPercent + ", must be 0 to 100");
        }
        if (slowPercent != null && slow == null) {
            throw new UsageException("--slow-percent needs --slow (what a slow answer adds, such as 2s)");
        }
        Duration extra = slow == null ? Duration.ZERO : duration("--slow", slow);
        return new Latency(p50, p99, rate / 100, extra);
    }

    private static Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " '" + text + "': " + e.getMessage(), e);
        }
    }
}
