package io.marketgate.limiter.valkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Settings of a {@link ValkeyLimiterStore}; immutable. Every setter of the {@link Builder} validates its value
 * and documents its default.
 *
 * <pre>{@code
 * ValkeyStoreOptions options = ValkeyStoreOptions.builder()
 *         .keyPrefix("mg-prod")
 *         .commandTimeout(Duration.ofMillis(150))
 *         .username("limiter").password(System.getenv("VALKEY_PASSWORD"))   // ElastiCache RBAC
 *         .build();
 * }</pre>
 */
public final class ValkeyStoreOptions {

    /** The default key prefix: {@code mg}. */
    public static final String DEFAULT_KEY_PREFIX = "mg";
    /** The default command timeout: 200 ms, so that a slow store costs a call little before the breaker opens. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(200);
    /** The default denial memory: 100 ms (see {@link Builder#denialMemory(Duration)}). */
    public static final Duration DEFAULT_DENIAL_MEMORY = Duration.ofMillis(100);
    /** The default connect timeout: 1 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Letters, digits and {@code - _ . :}; braces are excluded because they would change the cluster hash tag. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private static final ValkeyStoreOptions DEFAULTS = builder().build();

    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final String username;
    private final String password;
    private final boolean coalesce;
    private final Duration denialMemory;
    private final LongSupplier ticker;
    private final Path trustedCertificates;

    private ValkeyStoreOptions(Builder b) {
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.username = b.username;
        this.password = b.password;
        this.coalesce = b.coalesce;
        this.denialMemory = b.denialMemory;
        this.ticker = b.ticker;
        this.trustedCertificates = b.trustedCertificates;
    }

    /**
     * Prefix {@code mg}, command timeout 200 ms, connect timeout 1 s, credentials from the URI (if any), coalescing on,
     * denial memory 100 ms.
     */
    public static ValkeyStoreOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The ACL user name, when set; otherwise the URI's (or the default user). */
    public Optional<String> username() {
        return Optional.ofNullable(username);
    }

    /** The password, when set; otherwise the URI's (or none). */
    public Optional<String> password() {
        return Optional.ofNullable(password);
    }

    /** Whether concurrent decisions of a market go to the server together; see {@link Builder#coalesce(boolean)}. */
    public boolean coalesce() {
        return coalesce;
    }

    /** How long at most a ceiling denial is repeated without a round trip; see {@link Builder#denialMemory(Duration)}. */
    public Duration denialMemory() {
        return denialMemory;
    }

    /** The PEM file of the certificates a TLS connection trusts, when set; otherwise the JVM's default trust. */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /** The monotonic clock of the denial memory, in nanoseconds. */
    LongSupplier ticker() {
        return ticker;
    }

    @Override
    public String toString() {
        return "ValkeyStoreOptions[keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout + ", connectTimeout="
                + connectTimeout + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", coalesce=" + coalesce + ", denialMemory=" + denialMemory
                + (trustedCertificates == null ? "" : ", trustedCertificates=" + trustedCertificates) + "]";
    }

    /** Builds {@link ValkeyStoreOptions}; each setter documents its default. */
    public static final class Builder {
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private String username;
        private String password;
        private boolean coalesce = true;
        private Path trustedCertificates;
        private Duration denialMemory = DEFAULT_DENIAL_MEMORY;
        private LongSupplier ticker = System::nanoTime;

        private Builder() {}

        /**
         * The first part of every key ({@code <prefix>:{<market>}:<budget>:log}), so that several environments or
         * applications can share one server; default {@code mg}. 1 to 64 letters, digits, {@code - _ . :}; no braces.
         */
        public Builder keyPrefix(String keyPrefix) {
            if (keyPrefix == null || !KEY_PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix '" + keyPrefix
                        + "' must be 1 to 64 letters, digits, '-', '_', '.' or ':' (no braces: they would change the cluster hash tag)");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * How long one command may take before it fails with {@link io.marketgate.limiter.LimiterStoreUnavailableException};
         * default 200 ms. Between 1 ms and 60 s.
         */
        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = checkDuration("commandTimeout", commandTimeout);
            return this;
        }

        /**
         * How long opening a connection may take, and loading the decision script when the store opens (if longer than
         * the command timeout); default 1 s. Between 1 ms and 60 s.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = checkDuration("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * An ACL user (ElastiCache RBAC, Valkey ACL); default none: the URI's user, if any, else the default user.
         * Needs a {@link #password(String)}. Must not be blank.
         */
        public Builder username(String username) {
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException("username is missing or blank");
            }
            this.username = username;
            return this;
        }

        /** The password (of {@link #username(String)}, or of the default user); default none: the URI's, if any. Not empty. */
        public Builder password(String password) {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("password is missing or empty");
            }
            this.password = password;
            return this;
        }

        /**
         * Whether concurrent decisions of one market are coalesced; default {@code true}. While 6 decide scripts of a
         * market are in flight on the store's connection, further decisions of that market wait for one of them and
         * then go to the server together, up to 128 in one script call, which decides them in order, each exactly as if alone (same
         * ceilings, retry-afters and remaining room) at one server time. A lone caller never waits; many callers cost
         * the server one script per batch instead of one per decision, so a store decides several times as many calls
         * per second. A waiting decision waits at most the command timeout after its batch is sent, and a failure of
         * the batch (timeout, disconnect) fails all of its decisions. {@code false}: every decision is its own script
         * call.
         */
        public Builder coalesce(boolean coalesce) {
            this.coalesce = coalesce;
            return this;
        }

        /**
         * How long at most this store repeats a {@code CEILING_REACHED} denial from memory instead of asking the server
         * again; default 100 ms, {@link Duration#ZERO} to ask the server for every decision. Between 0 and 10 s.
         *
         * <p>A full ceiling opens only when the oldest entries leave the window, which is what the denial's
         * retry-after measures, and grants elsewhere only fill it further; so until the retry-after has passed the
         * server would deny the same call (same budgets and priority, no smaller cost) again. While a budget is full,
         * this instance's callers are then denied without a round trip (decided by
         * {@link io.marketgate.limiter.Decision.DecidedBy#REMEMBERED}), which spares the server the storm of
         * denials that a scheduler spike brings. The price: when the effective limit rises before the retry-after
         * (an override or resume made through another instance, an override that expires, a throttle recovery step),
         * this instance may keep denying for up to this long. Control operations through this store apply at once.
         * Only ever denies: the memory can leave room unused, never admit a call that the server would refuse.
         * Pauses and cool-downs are not remembered. The memory is a {@link io.marketgate.limiter.DenialMemoryStore} in
         * front of the store, which any other store can have too.
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
         * The certificates (a PEM file of one or more CA certificates) that a TLS connection ({@code rediss://})
         * trusts instead of the JVM's default trust store; default none: the JVM's. For a server whose certificate a
         * private CA signed, such as a test cluster; ElastiCache's certificates are trusted by every JVM.
         */
        public Builder trustedCertificates(Path pemFile) {
            Objects.requireNonNull(pemFile, "trustedCertificates");
            if (!Files.isRegularFile(pemFile) || !Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("trustedCertificates " + pemFile + " is not a readable file");
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        /** The monotonic clock of the denial memory, in nanoseconds; default {@code System::nanoTime}. For tests. */
        Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        public ValkeyStoreOptions build() {
            if (username != null && password == null) {
                throw new IllegalArgumentException("username " + username + " is set without a password");
            }
            return new ValkeyStoreOptions(this);
        }

        private static Duration checkDuration(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException(name + " is " + d + ", must be between 1 ms and 60 s");
            }
            return d;
        }
    }
}
