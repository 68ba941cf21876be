package io.marketgate.limiter.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Settings of a {@link DynamoDbLimiterStore}; immutable. The table is required (a staged builder), every other setter
 * validates its value and documents its default.
 *
 * <pre>{@code
 * DynamoDbStoreOptions options = DynamoDbStoreOptions.table("prod-limiter")
 *         .keyPrefix("mg-prod")
 *         .maxClockSkew(Duration.ofMillis(20))
 *         .build();
 * }</pre>
 */
public final class DynamoDbStoreOptions {

    /** The default key prefix: {@code mg}, as the Valkey store's. */
    public static final String DEFAULT_KEY_PREFIX = "mg";
    /**
     * The default tolerated difference between two callers' clocks: 20 ms. Lambda's clocks follow the Amazon Time Sync
     * Service, whose error is far below a millisecond; 20 ms leaves room for a clock that has just stepped.
     */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMillis(20);
    /** The most {@link Builder#maxClockSkew(Duration)} accepts: 1 s. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(1);
    /** The default denial memory: 100 ms, as the Valkey store's (see {@link Builder#denialMemory(Duration)}). */
    public static final Duration DEFAULT_DENIAL_MEMORY = Duration.ofMillis(100);
    /** The default time a decision may spend on conflicting writes before it gives up: 2 s. */
    public static final Duration DEFAULT_CONTENTION_TIMEOUT = Duration.ofSeconds(2);

    /** Letters, digits and {@code - _ . :}; no {@code #}, which separates a market from its instance key. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    /** DynamoDB's table names: 3 to 255 letters, digits, {@code _ - .}. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");

    private final String tableName;
    private final String keyPrefix;
    private final Duration maxClockSkew;
    private final Duration denialMemory;
    private final Duration contentionTimeout;
    private final Clock clock;
    private final LongSupplier ticker;

    private DynamoDbStoreOptions(Builder b) {
        this.tableName = b.tableName;
        this.keyPrefix = b.keyPrefix;
        this.maxClockSkew = b.maxClockSkew;
        this.denialMemory = b.denialMemory;
        this.contentionTimeout = b.contentionTimeout;
        this.clock = b.clock;
        this.ticker = b.ticker;
    }

    /**
     * Starts the options of a store in table {@code tableName} (see {@link LimiterTable} for its schema).
     *
     * @throws IllegalArgumentException when the name is not a DynamoDB table name
     */
    public static Builder table(String tableName) {
        return new Builder(tableName);
    }

    /** The table every item of the store is in. */
    public String tableName() {
        return tableName;
    }

    /** The first part of every item's key; see {@link Builder#keyPrefix(String)}. */
    public String keyPrefix() {
        return keyPrefix;
    }

    /** The tolerated difference between two callers' clocks; see {@link Builder#maxClockSkew(Duration)}. */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /** How long at most a ceiling denial is repeated without a read; see {@link Builder#denialMemory(Duration)}. */
    public Duration denialMemory() {
        return denialMemory;
    }

    /** How long a decision retries conflicting writes; see {@link Builder#contentionTimeout(Duration)}. */
    public Duration contentionTimeout() {
        return contentionTimeout;
    }

    /** The clock decisions are timed by; see {@link Builder#clock(Clock)}. */
    public Clock clock() {
        return clock;
    }

    /** The monotonic clock of the denial memory, in nanoseconds. */
    LongSupplier ticker() {
        return ticker;
    }

    @Override
    public String toString() {
        return "DynamoDbStoreOptions[table=" + tableName + ", keyPrefix=" + keyPrefix + ", maxClockSkew=" + maxClockSkew
                + ", denialMemory=" + denialMemory + ", contentionTimeout=" + contentionTimeout + ", clock=" + clock + "]";
    }

    /** Builds {@link DynamoDbStoreOptions}; each setter documents its default. */
    public static final class Builder {
        private final String tableName;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private Duration denialMemory = DEFAULT_DENIAL_MEMORY;
        private Duration contentionTimeout = DEFAULT_CONTENTION_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private LongSupplier ticker = System::nanoTime;

        private Builder(String tableName) {
            if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
                throw new IllegalArgumentException("tableName '" + tableName
                        + "' must be 3 to 255 letters, digits, '_', '-' or '.' (DynamoDB's rule for table names)");
            }
            this.tableName = tableName;
        }

        /**
         * The first part of every item's key ({@code <prefix>:<market>} and {@code <prefix>:<market>#<key>}), so that
         * several environments or applications can share one table; default {@code mg}. 1 to 64 letters, digits,
         * {@code - _ . :}.
         */
        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix == null || !KEY_PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix '" + keyPrefix
                        + "' must be 1 to 64 letters, digits, '-', '_', '.' or ':'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * The most two callers' clocks may differ; default 20 ms, between 0 and 1 s. DynamoDB has no server clock, so
         * every decision is timed by its caller's clock; a caller whose clock runs ahead of another's would see that
         * other's grants leave the window early. So a decision counts another store's grant (another Lambda's) for
         * the window plus this much, and its own grants for exactly the window: as long as no two clocks differ by
         * more, no window holds more than the limit, whoever decided. The price is that grants of other callers hold
         * their room up to this much longer: at most {@code maxClockSkew / window} of a budget's rate (2% of a 1 s
         * window by default, 0.1% of a 20 s one).
         */
        public Builder maxClockSkew(Duration maxClockSkew) {
            Objects.requireNonNull(maxClockSkew, "maxClockSkew");
            if (maxClockSkew.isNegative() || maxClockSkew.compareTo(MAX_CLOCK_SKEW) > 0
                    || maxClockSkew.toNanos() % 1_000L != 0) {
                throw new IllegalArgumentException("maxClockSkew is " + maxClockSkew
                        + ", must be between 0 and 1 s in whole microseconds");
            }
            this.maxClockSkew = maxClockSkew;
            return this;
        }

        /**
         * How long at most this store repeats a {@code CEILING_REACHED} denial from memory instead of reading the table
         * again; default 100 ms, {@link Duration#ZERO} to read for every decision. Between 0 and 10 s. The memory is a
         * {@link io.marketgate.limiter.DenialMemoryStore} in front of the store, as the Valkey store has: it only ever
         * denies, and spares the table (and the bill) the storm of reads that a spike of denials brings.
         */
        public Builder denialMemory(Duration denialMemory) {
            Objects.requireNonNull(denialMemory, "denialMemory");
            if (denialMemory.isNegative() || denialMemory.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("denialMemory is " + denialMemory + ", must be between 0 and 10 s");
            }
            this.denialMemory = denialMemory;
            return this;
        }

        /**
         * How long one decision or control operation may keep retrying writes that lost a race with another caller's
         * (a conditional write on the item's version) before it fails with
         * {@link io.marketgate.limiter.LimiterStoreUnavailableException}; default 2 s, between 1 ms and 60 s. Only
         * sustained contention on one item, far beyond the rates this store suits, comes near it.
         */
        public Builder contentionTimeout(Duration contentionTimeout) {
            Objects.requireNonNull(contentionTimeout, "contentionTimeout");
            if (contentionTimeout.compareTo(Duration.ofMillis(1)) < 0 || contentionTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("contentionTimeout is " + contentionTimeout + ", must be between 1 ms and 60 s");
            }
            this.contentionTimeout = contentionTimeout;
            return this;
        }

        /**
         * The clock that times decisions, grants and expiries; default {@link Clock#systemUTC()}. DynamoDB has no
         * clock of its own to offer, so this is the store's clock (see {@link #maxClockSkew(Duration)}); a test gives a
         * manual one.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The monotonic clock of the denial memory, in nanoseconds; default {@code System::nanoTime}. A test with a
         * manual {@link #clock(Clock)} gives one that moves with it.
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public DynamoDbStoreOptions build() {
            return new DynamoDbStoreOptions(this);
        }
    }
}
