package io.marketgate.config;

import java.util.Objects;

/**
 * Settings shared by every market's limiter in one environment.
 *
 * @param keyPrefix prefix of every limiter key in Valkey, so that environments can share a server; never
 *     contains braces, because the limiter adds its own hash tag per market
 * @param defaultFailureMode the failure mode of every market that does not name its own
 */
public record LimiterConfig(String keyPrefix, FailureModeKind defaultFailureMode) {

    /** The failure mode a file gets when {@code limiter.failureMode} is absent: the limiter's own default. */
    public static final FailureModeKind DEFAULT_FAILURE_MODE = FailureModeKind.FAIL_CLOSED;

    public LimiterConfig {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(defaultFailureMode, "defaultFailureMode");
    }

    /**
     * The ACL rules of the limiter's Valkey user, which the CDK app deploys as its access string (after {@code on})
     * and the tests give their TLS clusters' user: the environment's keys only, and the commands the limiter runs.
     * {@code -@dangerous} comes after {@code +@write}, which alone would also grant FLUSHALL and FLUSHDB; the cluster
     * client's {@code CLUSTER} and {@code INFO} are named after it.
     */
    public String valkeyUserRules() {
        return "~" + keyPrefix + "* -@all +@read +@write +@scripting +@connection -@dangerous +time +cluster +info";
    }
}
