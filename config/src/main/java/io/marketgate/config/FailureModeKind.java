package io.marketgate.config;

import io.marketgate.limiter.FailureMode;

/** The failure modes a file may name; see {@link FailureMode} for what each does. */
public enum FailureModeKind implements ConfigName {
    /** {@link FailureMode#failClosed()}: deny every call while the store is unreachable. */
    FAIL_CLOSED("fail-closed"),
    /** {@link FailureMode#localFallback(int)}: decide locally at {@code limit / fleetSize} while the store is unreachable. */
    LOCAL_FALLBACK("local-fallback");

    private final String configName;

    FailureModeKind(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }

    /** The limiter's failure mode for a market whose collector runs at most {@code fleetSize} instances. */
    public FailureMode toFailureMode(int fleetSize) {
        return switch (this) {
            case FAIL_CLOSED -> FailureMode.failClosed();
            case LOCAL_FALLBACK -> FailureMode.localFallback(fleetSize);
        };
    }
}
