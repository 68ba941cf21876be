package io.marketgate.devtools.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The floor any Lua limiter pays: one EVALSHA of a script that increments one key, on one shared Lettuce
 * connection. A limiter script does at least this much: one round trip, one script run, one key written.
 */
final class FloorTarget implements BenchTarget {

    static final String SCRIPT = "return redis.call('INCR', KEYS[1])";

    private final String key;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> commands;
    private String sha;

    FloorTarget(Scenario scenario) {
        this.key = "marketgate-bench:floor:" + scenario.keySuffix();
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public String description() {
        return "EVALSHA of \"" + SCRIPT + "\" on one key; Lettuce, 1 shared connection";
    }

    @Override
    public void setUp(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect();
        commands = connection.sync();
        commands.del(key);
        sha = commands.scriptLoad(SCRIPT);
    }

    @Override
    public boolean decide() {
        commands.evalsha(sha, ScriptOutputType.INTEGER, key);
        return true;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.sync().del(key);
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
