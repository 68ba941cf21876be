package io.marketgate.devtools.bench;

import io.marketgate.cli.UsageException;
import io.marketgate.config.Durations;
import io.marketgate.embedded.ValkeyServer;
import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code marketgate bench}: decisions per second and latency of this limiter against the floor (a trivial Lua
 * script) and two peers (Bucket4j on Lettuce, Redisson's RRateLimiter), in one run against one Redis server; and of
 * this limiter on its DynamoDB store against a DynamoDB-compatible server (dynalite), beside it in the same run.
 *
 * <pre>{@code
 * marketgate bench                                   # starts its own valkey-server (else redis-server) and dynalite
 * marketgate bench --valkey redis://127.0.0.1:6379 --callers 1,16,64 --json-file bench.json
 * marketgate bench --dynamodb none                   # without the DynamoDB store (no Node.js needed)
 * marketgate bench --limiter-store memory            # before the Valkey store exists
 * marketgate bench --scenarios grants --callers 16    # a short run; the collector section runs after the scenarios
 * marketgate bench --no-collector                    # the limiter only
 * }</pre>
 *
 * <p>After the scenarios, the collector section ({@link CollectorBench}): decisions per second through one instance's
 * collector with several messages in flight against one, each target printed as met or missed.
 *
 * <p>Exit code 0 when it measured, whether or not the targets are met; 1 when it could not measure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures this limiter against the floor (EVALSHA of a one-key script) and two peers",
                "(Bucket4j Lettuce, Redisson RRateLimiter) on one Redis server, at several caller counts,",
                "and this limiter on its DynamoDB store (against dynalite) beside them; then decisions per second",
                "through one instance's collector, several messages in flight against one, at markets answering in 150 ms."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--valkey", paramLabel = "URL",
            description = "Valkey/Redis server to use, e.g. redis://127.0.0.1:6379; default: start one on a free port"
                    + " ($MARKETGATE_REDIS_SERVER, else valkey-server, else redis-server)")
    private String redis;

    /** The spelling before the store URL was {@code --valkey} in every command; kept for scripts, not shown. */
    @Option(names = "--redis", paramLabel = "URL", hidden = true)
    private void redisAlias(String url) {
        this.redis = url;
    }

    @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "1s", converter = DurationConverter.class,
            description = "unmeasured time per implementation and caller count (default: ${DEFAULT-VALUE})")
    private Duration warmup;

    @Option(names = "--duration", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
            description = "measured time per implementation and caller count, split over the rounds (default: ${DEFAULT-VALUE})")
    private Duration duration;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
            description = "measured slices per implementation and caller count, in rotating order (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--callers", paramLabel = "N,N,…", split = ",", defaultValue = "1,16,64",
            description = "concurrent callers (threads) (default: ${DEFAULT-VALUE})")
    private List<Integer> callers;

    @Option(names = "--scenarios", paramLabel = "NAME,…", split = ",", defaultValue = "grants,denials",
            description = "grants (limit 10,000,000/s) and/or denials (limit 100/s) (default: ${DEFAULT-VALUE})")
    private List<String> scenarios;

    @Option(names = "--store", paramLabel = "STORE", defaultValue = "valkey",
            description = "this limiter's store: valkey (the Redis server above), memory (in-process, not comparable), "
                    + "or none (skip it) (default: ${DEFAULT-VALUE})")
    private String limiterStore;

    /**
     * The spelling before the store kind was {@code --store} in every command; kept for scripts, not shown. A field of
     * its own: picocli gives an unmatched {@code --store} its default after parsing, which would undo a setter.
     */
    @Option(names = "--limiter-store", paramLabel = "STORE", hidden = true)
    private String limiterStoreAlias;

    @Option(names = "--dynamodb", paramLabel = "URL|none",
            description = "a DynamoDB-compatible server for this limiter's DynamoDB store, e.g. http://127.0.0.1:8000 "
                    + "(dummy credentials), or none to skip it; default: start dynalite (needs Node.js 22+)")
    private String dynamoDb;

    @Option(names = "--redisson-pool", paramLabel = "N", defaultValue = "1",
            description = "Redisson's connection pool size (default: ${DEFAULT-VALUE}, like the one connection of the others)")
    private int redissonPool;

    @Option(names = "--json-file", paramLabel = "FILE", description = "also write the figures to FILE as JSON")
    private Path json;

    @Option(names = "--collector", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also measure one instance's collector, several messages in flight against one, at markets "
                    + "answering in 150 ms (needs the Valkey store and a DynamoDB-compatible server) (default: on)")
    private boolean collector;

    @Option(names = "--collector-sellers", paramLabel = "N", defaultValue = "8",
            description = "sellers' days in the collector's batch for the 10 calls/s budget, 1 to 10 (default: ${DEFAULT-VALUE})")
    private int collectorSellers;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            run(out, err);
            return 0;
        } catch (UsageException e) {
            throw e;   // exit 2 with where the help is, as every command's usage error
        } catch (BenchException | IllegalArgumentException e) {
            err.println("bench failed: " + e.getMessage());
            err.flush();
            return 1;
        }
    }

    private void run(PrintWriter out, PrintWriter err) {
        BenchRunner.Settings settings = new BenchRunner.Settings(warmup, duration, rounds, callers);
        List<Scenario> chosen = scenarios.stream().map(Scenario::parse).distinct().toList();
        if (limiterStoreAlias != null) {
            limiterStore = limiterStoreAlias;
        }
        LimiterTarget.Store store = switch (limiterStore.toLowerCase(Locale.ROOT)) {
            case "valkey" -> LimiterTarget.Store.VALKEY;
            case "memory" -> LimiterTarget.Store.MEMORY;
            case "none" -> null;
            default -> throw new UsageException("--store '" + limiterStore + "' is not one of valkey, memory, none");
        };
        if (collectorSellers < 1 || collectorSellers > 10) {
            throw new UsageException("--collector-sellers is " + collectorSellers + ", must be between 1 and 10 (one batch)");
        }
        if (redissonPool < 1) {
            throw new UsageException("--redisson-pool is " + redissonPool + ", must be ≥ 1");
        }
        boolean withDynamoDb = dynamoDb == null || !dynamoDb.strip().equalsIgnoreCase("none");
        URI dynamoDbEndpoint = withDynamoDb && dynamoDb != null ? dynamoDbUri(dynamoDb) : null;
        ValkeyServer server = redis == null ? startServer() : null;
        EmbeddedDynamoDb dynalite = null;
        try {
            if (withDynamoDb && dynamoDbEndpoint == null) {
                dynalite = startDynalite();
                dynamoDbEndpoint = dynalite.endpoint();
            }
            String uri = server != null ? server.uri() : redis;
            List<BenchReport> reports = new ArrayList<>();
            try (RedisAdmin admin = RedisAdmin.connect(uri)) {
                out.printf(Locale.ROOT, "redis %s at %s (%s)%n", admin.version(), uri,
                        server != null ? "started by the bench" : "given by --valkey");
                if (withDynamoDb) {
                    out.printf(Locale.ROOT, "dynamodb-compatible server at %s (%s)%n", dynamoDbEndpoint,
                            dynalite != null ? "dynalite, started by the bench: not DynamoDB, see the DynamoDB section" : "given by --dynamodb");
                }
                out.printf(Locale.ROOT, "java %s, %d cores; warm-up %s, measured %s in %d round(s) per implementation and "
                                + "caller count; closed loop: each caller starts its next decision when the last returns%n",
                        Runtime.version(), Runtime.getRuntime().availableProcessors(), Durations.format(warmup), Durations.format(duration), rounds);
                out.flush();
                for (Scenario scenario : chosen) {
                    reports.add(runScenario(scenario, store, uri, dynamoDbEndpoint, admin, settings, out, err));
                }
            }
            List<CollectorBench.Target> collectorTargets = List.of();
            if (collector && (store != LimiterTarget.Store.VALKEY || dynamoDbEndpoint == null)) {
                out.println();
                out.println("collector: not measured: it needs --store valkey and a DynamoDB-compatible server (not --dynamodb none)");
            } else if (collector) {
                collectorTargets = new CollectorBench(uri, dynamoDbEndpoint, collectorSellers).run(out);
            }
            if (json != null) {
                writeJson(reports, collectorTargets, uri, server != null);
                out.println("figures written to " + json);
            }
            out.flush();
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (dynalite != null) {
                    dynalite.close();
                }
            }
        }
    }

    /** A dynalite of our own, on a free port. */
    private static EmbeddedDynamoDb startDynalite() {
        try {
            return EmbeddedDynamoDb.start();
        } catch (RuntimeException e) {
            throw new BenchException("cannot start dynalite for the DynamoDB store (pass --dynamodb URL, or --dynamodb none"
                    + " to leave the store out): " + e.getMessage(), e);
        }
    }

    private static URI dynamoDbUri(String value) {
        String v = value.strip();
        if (!(v.startsWith("http://") || v.startsWith("https://"))) {
            throw new UsageException("--dynamodb '" + value + "' is neither none nor an http:// or https:// URL");
        }
        try {
            return URI.create(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dynamodb '" + value + "' is not a URL: " + e.getMessage());
        }
    }

    /** A redis-server/valkey-server of our own (MARKETGATE_REDIS_SERVER, else the PATH) on a free port. */
    private static ValkeyServer startServer() {
        try {
            return new ValkeyServer().start();
        } catch (RuntimeException e) {
            throw new BenchException("cannot start a server for the bench (or pass --valkey URL): " + e.getMessage(), e);
        }
    }

    private BenchReport runScenario(Scenario scenario, LimiterTarget.Store store, String uri, URI dynamoDbEndpoint,
            RedisAdmin admin, BenchRunner.Settings settings, PrintWriter out, PrintWriter err) {
        List<BenchTarget> targets = new ArrayList<>();
        targets.add(new FloorTarget(scenario));
        if (store != null) {
            targets.add(new LimiterTarget(scenario, store));
            if (store == LimiterTarget.Store.VALKEY) {
                targets.add(new LimiterTarget(scenario, store, LimiterTarget.Variant.NO_DENIAL_MEMORY));
                targets.add(new LimiterTarget(scenario, store, LimiterTarget.Variant.NO_COALESCING));
            }
        }
        List<DynamoDbTarget> dynamoDbTargets = new ArrayList<>();
        if (dynamoDbEndpoint != null) {
            dynamoDbTargets.add(new DynamoDbTarget(scenario, DynamoDbTarget.Mode.SHARED, dynamoDbEndpoint));
            dynamoDbTargets.add(new DynamoDbTarget(scenario, DynamoDbTarget.Mode.PER_CALLER, dynamoDbEndpoint));
            targets.addAll(dynamoDbTargets);
        }
        targets.add(new Bucket4jTarget(scenario));
        targets.add(new RedissonTarget(scenario, redissonPool));
        out.println();
        out.println("scenario " + scenario.name() + ": " + scenario.description());
        List<BenchTarget> started = new ArrayList<>();
        try {
            for (BenchTarget target : targets) {
                int before = admin.connectedClients();
                started.add(target);
                try {
                    target.setUp(uri);
                } catch (BenchException e) {
                    throw e;
                } catch (Exception e) {
                    throw new BenchException(target.name() + " could not be set up at " + uri + ": " + e, e);
                }
                out.printf(Locale.ROOT, "  %-28s %s; opened %d connection(s)%n", target.name(), target.description(),
                        admin.connectedClients() - before);
            }
            out.flush();
            // the server's commands, and what the DynamoDB targets asked of their server (only one target runs at a time)
            BenchRunner.CommandCounter counter = () -> {
                Map<String, Long> counts = new HashMap<>(admin.commandCalls());
                for (DynamoDbTarget t : dynamoDbTargets) {
                    t.statistics().forEach((name, n) -> counts.merge(name, n, Long::sum));
                }
                return counts;
            };
            List<Cell> cells = new BenchRunner(settings, counter, line -> {
                err.println("  " + line);
                err.flush();
            }).run(targets);
            BenchReport report = new BenchReport(scenario, cells, "floor", LimiterTarget.NAME,
                    store == LimiterTarget.Store.VALKEY, Set.of(LimiterTarget.NAME_NO_DENIAL_MEMORY, LimiterTarget.NAME_NO_COALESCING),
                    dynamoDbTargets.stream().map(DynamoDbTarget::name).collect(java.util.stream.Collectors.toSet()));
            out.print(report.format());
            out.printf(Locale.ROOT, "  connections at the end of the scenario: %d (without the bench's own)%n",
                    admin.connectedClients() - 1);
            out.flush();
            return report;
        } finally {
            for (BenchTarget target : started) {
                try {
                    target.close();
                } catch (RuntimeException e) {
                    err.println("  closing " + target.name() + " failed: " + e);
                }
            }
        }
    }

    private void writeJson(List<BenchReport> reports, List<CollectorBench.Target> collectorTargets, String uri, boolean started) {
        String text = "{\"redis\":{\"uri\":" + Json.string(uri) + ",\"startedByBench\":" + started + "}"
                + ",\"settings\":{\"warmupMillis\":" + warmup.toMillis() + ",\"durationMillis\":" + duration.toMillis()
                + ",\"rounds\":" + rounds + ",\"callers\":" + callers + ",\"limiterStore\":" + Json.string(limiterStore)
                + ",\"redissonPool\":" + redissonPool + ",\"dynamoDb\":" + Json.string(dynamoDb == null ? "dynalite" : dynamoDb) + ",\"floor\":" + Json.string(FloorTarget.SCRIPT) + "}"
                + ",\"scenarios\":[" + String.join(",", reports.stream().map(BenchReport::json).toList()) + "]"
                + ",\"collector\":" + CollectorBench.json(collectorTargets) + "}\n";
        try {
            Files.writeString(json, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BenchException("cannot write " + json + ": " + e.getMessage(), e);
        }
    }

    /** Reads a duration as the rest of marketgate does ({@link Durations}): {@code 500ms}, {@code 4s}, {@code 1m}, ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
