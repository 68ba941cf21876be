package io.marketgate.devtools.bench;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;

/**
 * Bucket4j's Lettuce backend: a proxy-managed token bucket (capacity = limit, greedy refill of limit per window),
 * {@code tryConsume(1)}. Bucket4j 8.x offers only a compare-and-swap proxy manager for Lettuce: each decision
 * reads the bucket's state (GET), computes on the client's clock, and writes it back with a CAS script (EVAL),
 * retrying when another caller changed the state in between.
 */
final class Bucket4jTarget implements BenchTarget {

    private final Scenario scenario;
    private final String key;
    private RedisClient client;
    private StatefulRedisConnection<String, byte[]> connection;
    private Bucket bucket;

    Bucket4jTarget(Scenario scenario) {
        this.scenario = scenario;
        this.key = "marketgate-bench:bucket4j:" + scenario.keySuffix();
    }

    @Override
    public String name() {
        return "bucket4j";
    }

    @Override
    public String description() {
        return "Bucket4jLettuce.casBasedBuilder(connection) proxy bucket, tryConsume(1); Lettuce, 1 shared connection";
    }

    @Override
    public void setUp(String uri) {
        client = RedisClient.create(uri);
        connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        connection.sync().del(key);
        var proxyManager = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(scenario.limit()).refillGreedy(scenario.limit(), scenario.window()))
                .build();
        bucket = proxyManager.builder().build(key, () -> configuration);
    }

    @Override
    public boolean decide() {
        return bucket.tryConsume(1);
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
