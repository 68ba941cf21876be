package io.marketgate.devtools.bench;

import org.redisson.Redisson;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Redisson's {@link RRateLimiter}: {@code trySetRate(OVERALL, limit, window)} once, then {@code tryAcquire()}.
 * Redisson draws its connections from a pool; the bench pins the pool to {@code poolSize} connections so that it
 * does not get many more connections than the Lettuce-based implementations.
 */
final class RedissonTarget implements BenchTarget {

    private final Scenario scenario;
    private final int poolSize;
    private final String key;
    private RedissonClient client;
    private RRateLimiter limiter;

    RedissonTarget(Scenario scenario, int poolSize) {
        this.scenario = scenario;
        this.poolSize = poolSize;
        this.key = "marketgate-bench:redisson:" + scenario.keySuffix();
    }

    @Override
    public String name() {
        return "redisson";
    }

    @Override
    public String description() {
        return "RRateLimiter OVERALL, tryAcquire(); Redisson, connection pool of " + poolSize
                + " (min idle " + poolSize + "), script cache on (EVALSHA)";
    }

    @Override
    public void setUp(String uri) {
        Config config = new Config();
        config.setUseScriptCache(true);
        config.useSingleServer()
                .setAddress(uri)
                .setConnectionPoolSize(poolSize)
                .setConnectionMinimumIdleSize(poolSize);
        client = Redisson.create(config);
        limiter = client.getRateLimiter(key);
        limiter.delete();
        if (!limiter.trySetRate(RateType.OVERALL, scenario.limit(), scenario.window())) {
            throw new BenchException("redisson: trySetRate did not set the rate of " + key);
        }
    }

    @Override
    public boolean decide() {
        return limiter.tryAcquire();
    }

    @Override
    public void close() {
        if (client != null) {
            if (limiter != null) {
                limiter.delete();
            }
            client.shutdown();
        }
    }
}
