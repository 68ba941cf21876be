package io.marketgate.devtools.local;

import io.marketgate.cli.Home;
import io.marketgate.cli.LocalEndpoints;
import io.marketgate.cli.UsageException;
import io.marketgate.config.Durations;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.local.LocalApi;
import io.marketgate.local.LocalApiGateway;
import io.marketgate.local.LocalPlatform;
import io.marketgate.local.Scenario;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code marketgate local up}: starts the platform (simulated markets, SQS, DynamoDB, Valkey or the in-memory limiter,
 * the collector and action handlers behind SQS pollers), the HTTP API with S3 and the job worker, and a local API
 * Gateway management endpoint; writes {@link LocalEndpoints} for the {@code --local} operator commands; runs until
 * Ctrl-C (or {@code --for}), then deletes the file and stops everything.
 */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        description = {"Start the whole platform and its HTTP API on this machine, until Ctrl-C.",
            "Writes the endpoints file that '--local' operator commands read (.marketgate/local.json)."})
public final class LocalUpCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-e", "--env"}, defaultValue = "dev", paramLabel = "ENV", description = "The environment (default: ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--environments", paramLabel = "DIR", description = "Folder of the environment files (default: environments/ of the project).")
    Path environments;

    @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "The API's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--store", defaultValue = "auto", description = "Limiter store: auto (Valkey when redis-server or valkey-server is installed, else in-memory), valkey, memory (default: ${DEFAULT-VALUE}).")
    String store;

    @Option(names = {"-m", "--market"}, split = ",", paramLabel = "MARKET",
            description = "Only these markets (repeatable, or comma-separated; default: every market with an adapter section).")
    List<String> markets;

    /** The spelling before a list of markets was a repeatable {@code --market} in every command; kept for scripts, not shown. */
    @Option(names = "--markets", split = ",", paramLabel = "MARKET", hidden = true)
    List<String> marketsAlias;

    @Option(names = "--sellers", defaultValue = "10", description = "Simulated sellers per market, named <market>-s0001… (default: ${DEFAULT-VALUE}).")
    int sellers;

    @Option(names = "--orders-per-hour", defaultValue = "10", description = "Mean simulated orders per seller and hour (default: ${DEFAULT-VALUE}).")
    int ordersPerHour;

    @Option(names = "--for", paramLabel = "DURATION", description = "Stop by itself after DURATION (30s, 5m): for scripts, CI and tests.")
    String runFor;

    @Option(names = "--endpoints-file", paramLabel = "FILE", description = "Where to write the endpoints (default: .marketgate/local.json, or $MARKETGATE_LOCAL_FILE).")
    Path endpointsFile;

    /** {@code --store}'s value, a usage error (exit 2) when it is none of auto, valkey, memory. */
    public static LocalPlatform.StoreKind storeKind(String option) {
        try {
            return LocalPlatform.StoreKind.parse(option);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LocalPlatform.StoreKind storeKind = storeKind(store);
        Optional<Duration> stopAfter = Optional.ofNullable(runFor).map(Durations::parse);
        if (port < 0 || port > 65535) {
            throw new UsageException("--port is " + port + ", must be 0 (a free port) to 65535");
        }
        if (sellers < 1) {
            throw new UsageException("--sellers is " + sellers + ", must be ≥ 1");
        }
        EnvironmentConfig env = EnvironmentLoader.load(environments != null ? environments : Home.environments(), environment);
        List<String> chosen = markets == null && marketsAlias == null ? null
                : Stream.concat(Stream.ofNullable(markets).flatMap(List::stream),
                        Stream.ofNullable(marketsAlias).flatMap(List::stream)).toList();
        List<String> run = chosen != null ? chosen : env.markets().values().stream()
                .filter(m -> m.adapter().isPresent()).map(m -> m.name()).toList();
        Scenario scenario = Scenario.local(env, run, sellers, ordersPerHour, 42);
        Path file = endpointsFile != null ? endpointsFile : LocalEndpoints.defaultFile();
        Path lambdaLog = file.toAbsolutePath().getParent().resolve("lambda.log");
        Files.createDirectories(lambdaLog.getParent());

        Running running = new Running(file);
        PrintStream originalOut = System.out;
        PrintStream handlersOut = new PrintStream(new FileOutputStream(lambdaLog.toFile()), true, StandardCharsets.UTF_8);
        running.closeables.add(() -> {
            System.setOut(originalOut);
            handlersOut.close();
        });
        Thread hook = new Thread(running::stop, "marketgate-local-down");
        try {
            // the handlers log JSON lines and EMF metrics to stdout, as in Lambda; keep them out of the terminal
            System.setOut(handlersOut);
            LocalPlatform platform = LocalPlatform.start(env, scenario, storeKind, System.err);
            running.closeables.add(platform);
            LocalApi api = LocalApi.builder(platform).port(port).start();
            running.closeables.add(api);
            LocalApiGateway gateway = LocalApiGateway.startFor(env.name());
            running.closeables.add(gateway);
            LocalEndpoints endpoints = new LocalEndpoints(env.name(), api.uri(), platform.valkeyUri(), platform.sqsEndpoint(),
                    platform.dynamoDbEndpoint(), Optional.of(api.s3Endpoint()), Optional.of(gateway.uri()), ProcessHandle.current().pid(),
                    Optional.of(platform.secretsManagerEndpoint()));
            LocalEndpoints.write(file, endpoints);
            Runtime.getRuntime().addShutdownHook(hook);

            out.printf("marketgate local: environment %s, API at %s%n", env.name(), api.uri());
            out.printf("  markets      %s (simulated, %d sellers each: %s-s0001 …)%n", String.join(", ", run), sellers, run.isEmpty() ? "" : run.get(0));
            out.printf("  limiter      %s%n", platform.storeDescription());
            out.printf("  SQS          %s   DynamoDB %s   S3 %s%n", platform.sqsEndpoint(), platform.dynamoDbEndpoint(), api.s3Endpoint());
            out.printf("  secrets      %s (the sellers' credentials: 'marketgate sellers add … --local')%n",
                    platform.secretsManagerEndpoint());
            out.printf("  events       %s (EventBridge; the actions' Action Done / Action Failed on bus %s)%n",
                    platform.eventBridge().endpoint(), platform.actionsBus());
            out.printf("  API Gateway  %s (management API, for 'canary … --local')%n", gateway.uri());
            out.printf("  endpoints    %s   handler logs %s%n", file, lambdaLog);
            out.printf("  try:  curl -s -X POST %s/v1/collections -H 'Content-Type: application/json' \\%n"
                    + "          -d '{\"market\":\"%s\",\"sellers\":[\"%s-s0001\"],\"from\":\"<ISO instant>\",\"to\":\"<ISO instant>\"}'%n",
                    api.uri(), run.isEmpty() ? "coupang" : run.get(0), run.isEmpty() ? "coupang" : run.get(0));
            out.printf("%s%n", stopAfter.map(d -> "stopping by itself after " + Durations.format(d)).orElse("Ctrl-C stops it."));
            out.flush();

            if (stopAfter.isPresent()) {
                running.stopped.await(stopAfter.get().toMillis(), TimeUnit.MILLISECONDS);
            } else {
                running.stopped.await();
            }
        } finally {
            running.stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already, or the hook was never added
            }
        }
        out.println("marketgate local: stopped");
        return 0;
    }

    /** What runs, stopped once in reverse order by whoever comes first: Ctrl-C's shutdown hook or the command itself. */
    private static final class Running {
        final List<AutoCloseable> closeables = new ArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        private final Path file;
        private boolean done;

        Running(Path file) {
            this.file = file;
        }

        synchronized void stop() {
            if (done) {
                return;
            }
            done = true;
            try {
                LocalEndpoints.deleteIfOurs(file);
            } catch (RuntimeException e) {
                System.err.println("marketgate local: " + e.getMessage());
            }
            for (int i = closeables.size() - 1; i >= 0; i--) {
                try {
                    closeables.get(i).close();
                } catch (Exception e) {
                    System.err.println("marketgate local: " + e.getMessage());
                }
            }
            stopped.countDown();
        }
    }
}
