import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.marketgate.limiter.Budget;
import io.marketgate.limiter.Call;
import io.marketgate.limiter.Priority;
import io.marketgate.limiter.PriorityLimiter;
import io.marketgate.limiter.valkey.ValkeyLimiterStore;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a lone decision's time goes, at 1 caller: interleaves, call by call, the floor script, the floor script sent with
 * the store's keys and arguments and returning text like the store's plain grant, a bare script doing only the decide
 * path's four commands (TIME, ZCOUNT, HGETALL, ZADD), the same without HGETALL (its ZADD also re-adds a marker
 * member), limiter.lua sent raw through Lettuce (on the floor's connection, and on a connection of its own as the
 * store has), the Valkey store's decide, and PriorityLimiter.tryAcquire on that store. Interleaving puts every variant
 * in the same moment of a noisy machine, which 1 s slices do not; each variant runs twice in a row and the second call
 * is measured.
 *
 * <pre>
 * ./marketgate bench --help >/dev/null   # builds dev-tools/target/marketgate-dev.jar
 * redis-server --port 6399 --save '' --daemonize yes
 * java -cp dev-tools/target/marketgate-dev.jar scripts/DecideProbe.java redis://127.0.0.1:6399 20000
 * </pre>
 * Prints per variant p25, p50, p75 and mean latency in µs, and the floor's p50 divided by the variant's. Then the
 * server's own time per script call of the raw scripts, from INFO commandstats (CONFIG RESETSTAT before each of 7 rounds
 * of ITERATIONS / 10 calls of one script; the median round): the server's part of the gap, free of the round trip's
 * noise, with the time of the commands run inside limiter.lua, so that what is left is the script's own work and the
 * cost of calling commands from Lua. The bare scripts' logs are never trimmed and grow through the run; limiter.lua's
 * keeps to its window.
 */
public class DecideProbe {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp dev-tools/target/marketgate-dev.jar scripts/DecideProbe.java REDIS_URI ITERATIONS");
            System.exit(2);
        }
        String uri = args[0];
        int iterations = Integer.parseInt(args[1]);
        RedisClient client = RedisClient.create(uri);
        RedisClient own = RedisClient.create(uri);
        RedisCommands<byte[], byte[]> shared = client.connect(ByteArrayCodec.INSTANCE).sync();
        RedisCommands<byte[], byte[]> separate = own.connect(ByteArrayCodec.INSTANCE).sync();
        String script;
        try (var in = DecideProbe.class.getClassLoader().getResourceAsStream("io/marketgate/limiter/valkey/limiter.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String floorSha = shared.scriptLoad("return redis.call('INCR', KEYS[1])");
        String carrySha = shared.scriptLoad("redis.call('INCR', KEYS[1]) return ARGV[2]");
        String fourSha = shared.scriptLoad("local t = redis.call('TIME') redis.call('ZCOUNT', KEYS[1], t[1] - 1, '+inf') "
                + "redis.call('HGETALL', KEYS[2]) redis.call('ZADD', KEYS[1], t[1] .. t[2], ARGV[2]) return t[1] .. t[2]");
        // the four commands without HGETALL: the ctl's absence read from a marker member that the grant's ZADD re-adds
        // (CH counts it when it was missing); what dropping the ctl read would save, were a marker scheme sound
        String threeSha = shared.scriptLoad("local t = redis.call('TIME') redis.call('ZCOUNT', KEYS[1], t[1] - 1, '+inf') "
                + "redis.call('ZADD', KEYS[1], 'CH', t[1] .. t[2], ARGV[2], '-inf', '~plain') return t[1] .. t[2]");
        String sha = shared.scriptLoad(script);
        long[] token = {0};

        PriorityLimiter limiter = PriorityLimiter.builder()
                .budget(Budget.named("probe/lone").limit(10_000_000).window(Duration.ofSeconds(1)).build())
                .store(ValkeyLimiterStore.standalone(uri, ValkeyStoreOptions.builder().keyPrefix("probe")
                        .commandTimeout(Duration.ofSeconds(10)).build()))
                .build();
        Call call = Call.of(Priority.MEDIUM, "probe/lone");
        ValkeyLimiterStore store = ValkeyLimiterStore.standalone(uri, ValkeyStoreOptions.builder().keyPrefix("probestore")
                .commandTimeout(Duration.ofSeconds(10)).build());
        List<Budget> budgets = List.of(Budget.named("probe/store").limit(10_000_000).window(Duration.ofSeconds(1)).build());

        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("floor", () -> shared.evalsha(floorSha, ScriptOutputType.INTEGER, new byte[][] {b("{probe}:floor")}));
        variants.put("floor, store's args+reply", () -> shared.evalsha(carrySha, ScriptOutputType.MULTI,
                new byte[][] {b("{probe}:carry"), b("{probe}:ctl")}, decideArgs(token)));
        variants.put("four commands", () -> shared.evalsha(fourSha, ScriptOutputType.MULTI,
                new byte[][] {b("{probe}:four"), b("{probe}:ctl")}, decideArgs(token)));
        variants.put("three commands (no HGETALL)", () -> shared.evalsha(threeSha, ScriptOutputType.MULTI,
                new byte[][] {b("{probe}:three"), b("{probe}:ctl")}, decideArgs(token)));
        variants.put("limiter.lua raw", () -> shared.evalsha(sha, ScriptOutputType.MULTI,
                new byte[][] {b("{probe}:raw"), b("{probe}:ctl")}, decideArgs(token)));
        variants.put("limiter.lua raw, own conn", () -> separate.evalsha(sha, ScriptOutputType.MULTI,
                new byte[][] {b("{probe}:raw2"), b("{probe}:ctl")}, decideArgs(token)));
        variants.put("store.decide", () -> {
            if (!store.decide(budgets, Priority.MEDIUM, 1).granted()) {
                throw new IllegalStateException("a grant was expected: the budget allows 10,000,000 per second");
            }
        });
        variants.put("tryAcquire", () -> {
            if (!limiter.tryAcquire(call).granted()) {
                throw new IllegalStateException("a grant was expected: the budget allows 10,000,000 per second");
            }
        });

        List<String> names = new ArrayList<>(variants.keySet());
        List<Runnable> runs = new ArrayList<>(variants.values());
        for (int i = 0; i < 20_000; i++) {
            runs.get(i % runs.size()).run();
        }
        long[][] nanos = new long[runs.size()][iterations];
        for (int i = 0; i < iterations; i++) {
            for (int v = 0; v < runs.size(); v++) {
                // twice in a row, the second measured: a call right after another on a different connection (or right
                // after a different script) pays for that switch, whichever variant it is
                runs.get(v).run();
                long start = System.nanoTime();
                runs.get(v).run();
                nanos[v][i] = System.nanoTime() - start;
            }
        }
        double floorP50 = 0;
        System.out.printf("%-30s %9s %9s %9s %9s %10s%n", "variant", "p25 µs", "p50 µs", "p75 µs", "mean µs", "floor/p50");
        for (int v = 0; v < runs.size(); v++) {
            long[] sorted = nanos[v].clone();
            Arrays.sort(sorted);
            double p50 = sorted[iterations / 2] / 1e3;
            if (v == 0) {
                floorP50 = p50;
            }
            System.out.printf("%-30s %9.1f %9.1f %9.1f %9.1f %10.2f%n", names.get(v), sorted[iterations / 4] / 1e3, p50,
                    sorted[3 * iterations / 4] / 1e3, Arrays.stream(sorted).average().orElse(0) / 1e3, floorP50 / p50);
        }
        serverTimes(shared, variants, List.of("floor", "floor, store's args+reply", "four commands",
                "three commands (no HGETALL)", "limiter.lua raw"), Math.max(1_000, iterations / 10));
        limiter.close();
        store.close();
        client.shutdown();
        own.shutdown();
    }

    /**
     * The server's time per EVALSHA of each named variant, and for limiter.lua that of the commands it runs, from INFO
     * commandstats: the median of 7 rounds of {@code calls} calls, each round after CONFIG RESETSTAT.
     */
    private static void serverTimes(RedisCommands<byte[], byte[]> conn, Map<String, Runnable> variants, List<String> names,
            int calls) {
        Map<String, List<Double>> evalsha = new LinkedHashMap<>();
        Map<String, List<Double>> inside = new LinkedHashMap<>();
        for (int round = 0; round < 7; round++) {
            for (String name : names) {
                Runnable run = variants.get(name);
                conn.configResetstat();
                for (int i = 0; i < calls; i++) {
                    run.run();
                }
                Map<String, Double> stats = commandStats(conn.info("commandstats"));
                evalsha.computeIfAbsent(name, k -> new ArrayList<>()).add(stats.getOrDefault("evalsha", 0.0) / calls);
                if (name.equals("limiter.lua raw")) {
                    for (String cmd : List.of("time", "zcount", "hgetall", "zadd", "zremrangebyscore", "pexpireat")) {
                        inside.computeIfAbsent(cmd, k -> new ArrayList<>()).add(stats.getOrDefault(cmd, 0.0) / calls);
                    }
                }
            }
        }
        System.out.println();
        System.out.printf("server time per call (INFO commandstats, median of 7 rounds of %,d calls)%n", calls);
        double floor = median(evalsha.get(names.get(0)));
        for (String name : names) {
            double us = median(evalsha.get(name));
            System.out.printf("%-30s %6.2f µs  (+%.2f over the floor)%n", name, us, us - floor);
        }
        double commands = 0;
        StringBuilder parts = new StringBuilder();
        for (Map.Entry<String, List<Double>> e : inside.entrySet()) {
            double us = median(e.getValue());
            commands += us;
            parts.append(String.format("  %s %.2f", e.getKey(), us));
        }
        System.out.printf("  of limiter.lua's, the commands' own execution: %.2f µs per call:%s%n", commands, parts);
    }

    /** µs spent per command from INFO commandstats (cmdstat_NAME:calls=…,usec=…), by lower-case name. */
    private static Map<String, Double> commandStats(String info) {
        Map<String, Double> usec = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String total = line.replaceAll(".*[:,]usec=(\\d+).*", "$1");
                usec.put(name, Double.parseDouble(total));
            }
        }
        return usec;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    /** limiter.lua's ARGV for one MEDIUM call of cost 1 on one budget of 10,000,000 per second (its 'one' operation). */
    private static byte[][] decideArgs(long[] token) {
        long cell = System.currentTimeMillis() / 256 * 256;
        return new byte[][] {b("one"), b("1:probe." + token[0]++), b("10000000"), b("1000000"), b("1000000"),
                b("800000"), b("700000"), b("1000000"), b("1"), b(Long.toString(cell))};
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
