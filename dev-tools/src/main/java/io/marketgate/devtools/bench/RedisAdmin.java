package io.marketgate.devtools.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A connection of the bench's own, outside the measured paths: checks that the server answers, reads its version,
 * counts its clients and the commands it has executed ({@code INFO commandstats}) between measured slices.
 */
final class RedisAdmin implements BenchRunner.CommandCounter, AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;

    private RedisAdmin(RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
        this.commands = connection.sync();
    }

    /** Connects and pings, or throws a {@link BenchException} that names the URI. */
    static RedisAdmin connect(String uri) {
        RedisClient client = null;
        try {
            RedisURI redisUri = RedisURI.create(uri);
            redisUri.setTimeout(Duration.ofSeconds(5));
            client = RedisClient.create(redisUri);
            StatefulRedisConnection<String, String> connection = client.connect();
            connection.sync().ping();
            return new RedisAdmin(client, connection);
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown();
            }
            throw new BenchException("cannot reach Redis at " + uri + ": " + e.getMessage(), e);
        }
    }

    String version() {
        String server = commands.info("server");
        return field(server, "redis_version").orElse("unknown")
                + field(server, "valkey_version").map(v -> " (valkey " + v + ")").orElse("");
    }

    /** How many client connections the server has, this one included. */
    int connectedClients() {
        return Integer.parseInt(field(commands.info("clients"), "connected_clients").orElse("0"));
    }

    /** Calls per command since the server started, without the INFO calls of this class. */
    @Override
    public Map<String, Long> commandCalls() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : commands.info("commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=123,usec=456,...  (sub-commands as cmdstat_script|load)
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                String name = line.substring("cmdstat_".length(), colon);
                String stats = line.substring(colon + 1);
                int start = stats.indexOf("calls=") + "calls=".length();
                int end = stats.indexOf(',', start);
                if (!name.equals("info")) {
                    calls.put(name, Long.parseLong(stats.substring(start, end < 0 ? stats.length() : end)));
                }
            }
        }
        return calls;
    }

    private static Optional<String> field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return Optional.of(line.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
