package io.marketgate.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where an environment is deployed. Either part may be absent, in which case the AWS CLI's (or CDK's) default
 * applies, so that nothing account-specific is written into the repository unless a team chooses to.
 *
 * @param account a 12-digit account id, or empty for the CLI's default account
 * @param region an AWS region such as {@code ap-northeast-2}, or empty for the CLI's default region
 */
public record AwsConfig(Optional<String> account, Optional<String> region) {

    /** Both from the CLI's defaults: what an environment without an {@code aws} section gets. */
    public static final AwsConfig CLI_DEFAULTS = new AwsConfig(Optional.empty(), Optional.empty());

    public AwsConfig {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
    }
}
