package io.marketgate.marketsim;

import java.time.Duration;
import java.util.Objects;

/**
 * The block a market imposes after excess: once an API key has sent {@code afterOverLimitRequests} requests
 * that a budget rejected, every request with that key is rejected for {@code block}, within budget or not.
 * The count starts again when the block ends. Coupang blocks for 1–30 minutes; tests use milliseconds.
 */
public record Penalty(int afterOverLimitRequests, Duration block) {

    /** No penalty: only the over-limit requests themselves are rejected. */
    public static final Penalty NONE = new Penalty(Integer.MAX_VALUE, Duration.ZERO);

    public Penalty {
        if (afterOverLimitRequests < 1) {
            throw new IllegalArgumentException("penalty: afterOverLimitRequests is " + afterOverLimitRequests + ", must be ≥ 1");
        }
        Objects.requireNonNull(block, "block");
        if (block.isNegative()) {
            throw new IllegalArgumentException("penalty: block is " + block + ", must not be negative");
        }
    }

    public static Penalty after(int overLimitRequests, Duration block) {
        return new Penalty(overLimitRequests, block);
    }

    public boolean enabled() {
        return afterOverLimitRequests != Integer.MAX_VALUE && !block.isZero();
    }
}
