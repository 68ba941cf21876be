/**
 * The typed model of {@code canary-config/<env>.yaml} ({@link io.marketgate.config.canary.CanaryConfig}) and its
 * validating loader ({@link io.marketgate.config.canary.CanaryConfigLoader}, which documents the format): which
 * routes of an environment's REST API the legacy backend serves, which marketgate's handlers serve, and which are
 * split between the two by the API Gateway stage's canary.
 */
package io.marketgate.config.canary;
