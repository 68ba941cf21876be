package io.marketgate.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system's UTC clock, off by a skew that a scenario's {@code clockSkew} fault sets and clears while the run goes on. */
final class SkewableClock extends Clock {
    private volatile Duration skew = Duration.ZERO;

    void skew(Duration skew) {
        this.skew = skew;
    }

    Duration skew() {
        return skew;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a skewed clock is UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(skew);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + skew.toMillis();
    }
}
