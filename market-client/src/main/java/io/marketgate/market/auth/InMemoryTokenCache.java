package io.marketgate.market.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@link TokenCache} in this JVM: for tests and embedded runs, where the fleet is one process. Thread-safe. */
public final class InMemoryTokenCache implements TokenCache {

    private final Clock clock;
    private final Map<String, CachedToken> tokens = new HashMap<>();
    private final Map<String, Instant> leases = new HashMap<>();

    public InMemoryTokenCache() {
        this(Clock.systemUTC());
    }

    public InMemoryTokenCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Optional<CachedToken> get(String key) {
        CachedToken token = tokens.get(key);
        if (token != null && !token.validAt(clock.instant())) {
            tokens.remove(key);
            return Optional.empty();
        }
        return Optional.ofNullable(token);
    }

    @Override
    public synchronized boolean tryLease(String key, Duration lease) {
        Instant now = clock.instant();
        Instant until = leases.get(key);
        if (until != null && now.isBefore(until)) {
            return false;
        }
        leases.put(key, now.plus(lease));
        return true;
    }

    @Override
    public synchronized void put(String key, CachedToken token) {
        tokens.put(key, Objects.requireNonNull(token, "token"));
        leases.remove(key);
    }

    @Override
    public synchronized void releaseLease(String key) {
        leases.remove(key);
    }

    @Override
    public synchronized void invalidate(String key, String value) {
        CachedToken token = tokens.get(key);
        if (token != null && token.value().equals(value)) {
            tokens.remove(key);
        }
    }

    @Override
    public String toString() {
        return "InMemoryTokenCache";
    }
}
