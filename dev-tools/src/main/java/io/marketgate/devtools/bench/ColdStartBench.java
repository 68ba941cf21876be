package io.marketgate.devtools.bench;

import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.sqs.Messages;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.market.Seller;
import io.marketgate.marketsim.MarketBudget;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.MarketSim;
import io.marketgate.marketsim.Pagination;
import io.marketgate.marketsim.Scope;
import io.marketgate.marketsim.Throttle;
import io.marketgate.sellers.SellerRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code marketgate bench --cold-start}: a collector's cold start as Lambda runs it. Each run starts a fresh JVM
 * ({@link ColdStartProbe}) on the handlers' Lambda jar with Lambda's JVM flags and a Lambda function's variables,
 * which makes {@code CollectorHandler} with its no-argument constructor (init) and invokes it with one SQS record
 * against a local market (market-sim), the bench's Valkey and a DynamoDB-compatible server. Two paths:
 * <ul>
 *   <li><b>cold</b>: init, then the invocation, as an environment without SnapStart starts;</li>
 *   <li><b>primed</b>: init, the SnapStart hooks ({@code beforeCheckpoint}: priming, then everything closed; then
 *       {@code afterRestore}: secrets read again, Valkey reconnected), then the invocation: what the first invocation
 *       of an environment restored from a snapshot costs. Restoring the snapshot's memory itself is Lambda's and is
 *       not in these figures.</li>
 * </ul>
 *
 * <p>The moments, all on this machine's wall clock: <em>launch</em>, taken by the bench just before it starts the
 * process (so JVM start-up is inside); <em>ready</em>, when the constructor returned (and for primed, when
 * {@code afterRestore} returned); <em>invoked</em>, when {@code handleRequest} was called (printed by the probe);
 * <em>first decision</em>, the Valkey server's timestamp of the first {@code EVALSHA} (the limiter's decide script)
 * as {@code MONITOR} reports it; <em>first market call</em>, the local market's arrival time of the first request.
 */
final class ColdStartBench {

    /** The JVM flags of Lambda's java21 runtime (its documented default: C1 only, for start-up). */
    static final List<String> LAMBDA_JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    static final String HANDLER = "io.marketgate.handlers.CollectorHandler";
    private static final String MARKET = "shop";
    private static final String QUEUE = "bench-shop-collect";
    private static final String QUEUE_ARN = "arn:aws:sqs:ap-northeast-2:000000000000:" + QUEUE;
    /** Nothing listens here: the invocation must not need SQS, Secrets Manager or EventBridge, and fails if it tries. */
    private static final String NOWHERE = "http://127.0.0.1:9";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    /** One run's moments, in µs since the epoch; 0 when not seen. */
    record Run(String path, long launch, long jvmStart, long ready, long restoreStart, long invoked, long firstDecision,
            long firstMarketCall, long answered, int failures) {

        double launchToReadyMs() {
            return ms(ready - launch);
        }

        double restoreMs() {
            return restoreStart == 0 ? 0 : ms(ready - restoreStart);
        }

        double invokedToDecisionMs() {
            return ms(firstDecision - invoked);
        }

        double invokedToMarketCallMs() {
            return ms(firstMarketCall - invoked);
        }

        double launchToDecisionMs() {
            return ms(firstDecision - launch);
        }

        double launchToMarketCallMs() {
            return ms(firstMarketCall - launch);
        }

        double invocationMs() {
            return ms(answered - invoked);
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }
    }

    private final Path handlersJar;
    private final Path java;
    private final String valkeyUri;
    private final URI dynamoDbEndpoint;
    private final int runs;

    ColdStartBench(Path handlersJar, Path java, String valkeyUri, URI dynamoDbEndpoint, int runs) {
        this.handlersJar = handlersJar;
        this.java = java;
        this.valkeyUri = valkeyUri;
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.runs = runs;
    }

    /** The newest {@code marketgate-lambda-handlers-*-lambda.jar} under {@code home/lambda-handlers/target}. */
    static Path findHandlersJar(Path home) {
        Path target = home.resolve("lambda-handlers").resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("marketgate-lambda-handlers-.*-lambda\\.jar"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new BenchException("no handlers' Lambda jar in " + target + "; build it with "
                            + "./mvnw -B -q -pl lambda-handlers -am package -DskipTests, or pass --handlers-jar"));
        } catch (IOException e) {
            throw new BenchException("no handlers' Lambda jar: cannot list " + target + " (build it with ./mvnw -B -q -pl "
                    + "lambda-handlers -am package -DskipTests, or pass --handlers-jar): " + e.getMessage(), e);
        }
    }

    /** Runs {@link #runs} cold and {@link #runs} primed starts, alternating, and prints the table. */
    void run(PrintWriter out) {
        Path dir;
        try {
            dir = Files.createTempDirectory("marketgate-cold-start");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tables tables = Tables.withPrefix("bench-cs-");
        List<String> sellers = new ArrayList<>();
        for (int i = 1; i <= 2 * runs; i++) {
            sellers.add("S" + i);
        }
        MarketConfig market = MarketConfig.named(MARKET).apiKeys("key-shop").sellers(sellers.toArray(String[]::new))
                .budgets(List.of(MarketBudget.slidingWindow("vendor", Scope.API_KEY, 1000, Duration.ofSeconds(1))))
                .throttle(Throttle.http429()).pagination(Pagination.CURSOR).maxPageSize(100).defaultPageSize(50)
                .maxRange(Duration.ofHours(24)).ordersPerHour(10).seed(42).build();
        try (MarketSim sim = MarketSim.builder().market(market).start();
                DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint)
                        .region(Region.AP_NORTHEAST_2).httpClient(UrlConnectionHttpClient.create())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))).build();
                ValkeyMonitor monitor = ValkeyMonitor.start(valkeyUri)) {
            Path environment = Files.writeString(dir.resolve("bench.yaml"), environmentYaml(sim.baseUrl(MARKET)));
            TableSchemas.createAll(dynamoDb, tables);
            SellerRegistry registry = new SellerRegistry(dynamoDb, tables.sellers());
            sellers.forEach(s -> registry.put(MARKET, Seller.of(s), true));
            Path probeDir = probeClasses(dir);
            String javaVersion = javaVersion();
            out.printf(Locale.ROOT, "cold start: %s from %s, on %s (%d cores) with %s; one SQS record (one seller, one hour of orders) "
                            + "against a local market, Valkey at %s and DynamoDB at %s; %d run(s) per path, alternating%n",
                    HANDLER.substring(HANDLER.lastIndexOf('.') + 1), handlersJar.getFileName(), javaVersion, Runtime.getRuntime().availableProcessors(),
                    String.join(" ", LAMBDA_JVM_FLAGS), valkeyUri, dynamoDbEndpoint, runs);
            out.flush();
            List<Run> cold = new ArrayList<>();
            List<Run> primed = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                cold.add(once("cold", "S" + (2 * i + 1), environment, tables, probeDir, sim, monitor));
                primed.add(once("primed", "S" + (2 * i + 2), environment, tables, probeDir, sim, monitor));
            }
            print(out, cold, primed);
        } catch (IOException e) {
            throw new BenchException("cold start: " + e.getMessage(), e);
        }
    }

    private Run once(String path, String seller, Path environment, Tables tables, Path probeDir, MarketSim sim,
            ValkeyMonitor monitor) {
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));
        String body = Messages.write(new CollectionMessage("cold-start-" + path + "-" + seller + "-" + System.nanoTime(),
                MARKET, seller, DataKind.ORDERS, to.minus(Duration.ofHours(1)), to, Priority.MEDIUM));
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(LAMBDA_JVM_FLAGS);
        command.addAll(List.of("-cp", handlersJar + File.pathSeparator + probeDir,
                ColdStartProbe.class.getName(), path, HANDLER));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        String pathVariable = env.getOrDefault("PATH", "/usr/bin:/bin");
        env.clear();
        env.putAll(lambdaVariables(environment, tables));
        env.put("PATH", pathVariable);
        env.put("PROBE_BODY", body);
        env.put("PROBE_QUEUE_ARN", QUEUE_ARN);
        long launch = micros();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new BenchException("cannot start " + java + ": " + e.getMessage(), e);
        }
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                output.add(line);
            }
            if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchException("the " + path + " start did not end within " + RUN_TIMEOUT);
            }
        } catch (IOException e) {
            throw new BenchException("reading the " + path + " start's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BenchException("interrupted", e);
        }
        Map<String, Long> seen = output.stream().filter(l -> l.startsWith(ColdStartProbe.LINE + " ")).findFirst()
                .map(ColdStartBench::parse)
                .orElseThrow(() -> new BenchException("the " + path + " start printed no " + ColdStartProbe.LINE + " line (exit "
                        + process.exitValue() + "); its last lines:\n  " + String.join("\n  ",
                        output.subList(Math.max(0, output.size() - 15), output.size()))));
        long invoked = seen.get("invoked");
        long decision = monitor.firstScriptCallAfter(launch).orElse(0);
        long marketCall = sim.arrivals().stream().mapToLong(a -> a.epochNanos() / 1000).filter(t -> t >= launch).min().orElse(0);
        int failures = seen.get("failures").intValue();
        if (failures > 0 || decision == 0 || marketCall == 0) {
            throw new BenchException("the " + path + " start did not collect (failures " + failures + ", decision seen "
                    + (decision != 0) + ", market call seen " + (marketCall != 0) + "); its last lines:\n  "
                    + String.join("\n  ", output.subList(Math.max(0, output.size() - 15), output.size())));
        }
        long ready = path.equals("primed") ? seen.get("restored") : seen.get("ready");
        long restoreStart = path.equals("primed") ? seen.get("checkpointed") : 0;
        return new Run(path, launch, seen.get("jvmStart"), ready, restoreStart, invoked, decision, marketCall,
                seen.get("answered"), failures);
    }

    private static void print(PrintWriter out, List<Run> cold, List<Run> primed) {
        out.println("  (median of the runs, min–max in brackets; ms)");
        out.printf(Locale.ROOT, "  %-38s %26s %26s%n", "", "cold (init + invoke)", "primed (restore + invoke)");
        row(out, "launch → handler ready (init)", cold, Run::launchToReadyMs, List.of());
        row(out, "afterRestore (re-read, reconnect)", List.of(), null, primed, Run::restoreMs);
        row(out, "invoke → first limiter decision", cold, Run::invokedToDecisionMs, primed, Run::invokedToDecisionMs);
        row(out, "invoke → first market call", cold, Run::invokedToMarketCallMs, primed, Run::invokedToMarketCallMs);
        row(out, "invocation (one record, whole)", cold, Run::invocationMs, primed, Run::invocationMs);
        row(out, "launch → first limiter decision", cold, Run::launchToDecisionMs, List.of());
        row(out, "launch → first market call", cold, Run::launchToMarketCallMs, List.of());
        double savedDecision = median(cold, Run::invokedToDecisionMs) - median(primed, Run::invokedToDecisionMs);
        double savedCall = median(cold, Run::invokedToMarketCallMs) - median(primed, Run::invokedToMarketCallMs);
        double restoredTotal = median(primed, Run::restoreMs) + median(primed, Run::invokedToMarketCallMs);
        out.printf(Locale.ROOT, "  priming saves the first invocation %.0f ms to its first decision and %.0f ms to its first "
                + "market call; a restored environment reaches its first market call %.0f ms after the restore hook starts "
                + "(plus Lambda's own snapshot restore), against %.0f ms from launch without SnapStart%n",
                savedDecision, savedCall, restoredTotal, median(cold, Run::launchToMarketCallMs));
        out.flush();
    }

    private static void row(PrintWriter out, String label, List<Run> cold, java.util.function.ToDoubleFunction<Run> coldValue,
            List<Run> primed) {
        row(out, label, cold, coldValue, primed, coldValue);
    }

    private static void row(PrintWriter out, String label, List<Run> cold, java.util.function.ToDoubleFunction<Run> coldValue,
            List<Run> primed, java.util.function.ToDoubleFunction<Run> primedValue) {
        out.printf(Locale.ROOT, "  %-38s %26s %26s%n", label, cell(cold, coldValue), cell(primed, primedValue));
    }

    private static String cell(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        if (runs.isEmpty() || value == null) {
            return "-";
        }
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f [%.0f–%.0f]", median(runs, value), v[0], v[v.length - 1]);
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** What the CDK app sets on a collector function, pointed at the local servers. */
    private Map<String, String> lambdaVariables(Path environment, Tables tables) {
        Map<String, String> env = new HashMap<>();
        env.put("MARKETGATE_CONFIG", environment.toString());
        env.put("MARKETGATE_TABLE_ORDERS", tables.orders());
        env.put("MARKETGATE_TABLE_REQUESTS", tables.requests());
        env.put("MARKETGATE_TABLE_SELLERS", tables.sellers());
        env.put("MARKETGATE_TABLE_IDEMPOTENCY", tables.idempotency());
        env.put("MARKETGATE_QUEUE_SHOP_COLLECT", NOWHERE + "/000000000000/" + QUEUE);
        env.put("MARKETGATE_VALKEY_URL", valkeyUri);
        env.put("MARKETGATE_MARKET", MARKET);
        env.put("AWS_REGION", "ap-northeast-2");
        env.put("AWS_ACCESS_KEY_ID", "bench");
        env.put("AWS_SECRET_ACCESS_KEY", "bench");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString());
        env.put("AWS_ENDPOINT_URL_SQS", NOWHERE);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", NOWHERE);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "bench-shop-collector");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("POWERTOOLS_SERVICE_NAME", "bench");
        env.put("POWERTOOLS_METRICS_NAMESPACE", "marketgate-bench");
        return env;
    }

    private static String environmentYaml(String baseUrl) {
        return """
                environment: bench
                limiter:
                  keyPrefix: mg-bench-cs
                markets:
                  shop:
                    fleetSize: 1
                    budgets:
                      vendor: {scope: vendor, limit: 1000, window: 1s}
                    calls:
                      list-orders: {budgets: [shop/vendor]}
                    adapter:
                      type: reference-rest
                      baseUrl: BASE
                      apiKey: key-shop
                      pageSize: 50
                      maxRangePerCall: 24h
                      calls: {listOrders: list-orders}
                """.replace("BASE", baseUrl);
    }

    /** The probe's class file alone, in a directory of its own (the child's class path gets nothing else of the bench). */
    private static Path probeClasses(Path dir) throws IOException {
        String resource = ColdStartProbe.class.getName().replace('.', '/');
        Path root = dir.resolve("probe");
        for (String name : List.of(resource + ".class", resource + "$ProbeContext.class", resource + "$ProbeContext$1.class")) {
            try (InputStream in = ColdStartProbe.class.getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new BenchException("the bench's jar lacks " + name);
                }
                Path file = root.resolve(name);
                Files.createDirectories(file.getParent());
                Files.copy(in, file);
            }
        }
        return root;
    }

    private String javaVersion() {
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
            p.waitFor(30, TimeUnit.SECONDS);
            return first.strip();
        } catch (IOException e) {
            throw new BenchException("cannot run " + java + " -version: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }

    private static Map<String, Long> parse(String line) {
        Map<String, Long> values = new HashMap<>();
        for (String part : line.substring(ColdStartProbe.LINE.length()).strip().split(" ")) {
            int eq = part.indexOf('=');
            values.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        }
        return values;
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    /**
     * A {@code MONITOR} connection to the Valkey server: every command the server runs, with the server's timestamp
     * (µs). Needs a plain {@code redis://host:port} without a password (the bench's own server).
     */
    static final class ValkeyMonitor implements AutoCloseable {
        private final Socket socket;
        private final Thread reader;
        /** The server's timestamps of script calls (EVALSHA, EVAL), in µs since the epoch. */
        private final List<Long> scriptCalls = new CopyOnWriteArrayList<>();

        private ValkeyMonitor(Socket socket) {
            this.socket = socket;
            this.reader = Thread.ofPlatform().daemon().name("cold-start-monitor").start(this::read);
        }

        static ValkeyMonitor start(String uri) throws IOException {
            URI parsed = URI.create(uri);
            if (!"redis".equals(parsed.getScheme()) || parsed.getUserInfo() != null) {
                throw new BenchException("--cold-start watches the Valkey server with MONITOR and needs a plain "
                        + "redis://host:port without a password; " + uri + " is not one (leave --valkey out to use the bench's own)");
            }
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(parsed.getHost(), parsed.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new ValkeyMonitor(socket);
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    // +1733580000.123456 [0 127.0.0.1:50000] "EVALSHA" "…" …
                    if (line.startsWith("+") && (line.contains("] \"EVALSHA\"") || line.contains("] \"evalsha\"")
                            || line.contains("] \"EVAL\""))) {
                        String stamp = line.substring(1, line.indexOf(' '));
                        int dot = stamp.indexOf('.');
                        scriptCalls.add(Long.parseLong(stamp.substring(0, dot)) * 1_000_000 + Long.parseLong(stamp.substring(dot + 1)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // closed with the bench
            }
        }

        /** The first script call the server ran at or after {@code micros}. */
        OptionalLong firstScriptCallAfter(long micros) {
            return scriptCalls.stream().mapToLong(Long::longValue).filter(t -> t >= micros).min();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
