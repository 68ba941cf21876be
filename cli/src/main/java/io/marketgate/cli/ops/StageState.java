package io.marketgate.cli.ops;

import io.marketgate.config.canary.CanaryConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One stage of an environment's REST API as API Gateway reports it: the deployment it serves, its stage variables
 * and its canary, if any. What the canary commands read before they plan a change and again before they apply it.
 *
 * @param restApiId API Gateway's id of the REST API
 * @param restApiName {@code <env>-marketgate-api}
 * @param stageName the stage ({@code live})
 * @param deploymentId the deployment that serves the stage's traffic outside the canary
 * @param variables the stage's variables
 * @param canary the stage's canary settings, or empty when it has none
 */
record StageState(String restApiId, String restApiName, String stageName, String deploymentId, Map<String, String> variables,
        Optional<Canary> canary) {

    StageState {
        Objects.requireNonNull(restApiId, "restApiId");
        Objects.requireNonNull(restApiName, "restApiName");
        Objects.requireNonNull(stageName, "stageName");
        Objects.requireNonNull(deploymentId, "deploymentId");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
        Objects.requireNonNull(canary, "canary");
    }

    /**
     * A stage's canary settings.
     *
     * @param percent the share of the stage's requests that the canary deployment serves, 0.0..100.0
     * @param deploymentId the deployment that serves the canary's share
     * @param stageVariableOverrides the stage variables whose values differ for the canary's requests
     * @param useStageCache whether the canary's requests use the stage's cache
     */
    record Canary(double percent, String deploymentId, Map<String, String> stageVariableOverrides, boolean useStageCache) {
        Canary {
            Objects.requireNonNull(deploymentId, "deploymentId");
            stageVariableOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(stageVariableOverrides));
        }

        /** {@code 10% on deployment d2}. */
        String describe() {
            return CanaryConfig.formatPercent(percent) + "% on deployment " + deploymentId;
        }
    }

    /** {@code dev-marketgate-api (id a1b2c3) stage live}. */
    String describe() {
        return restApiName + " (id " + restApiId + ") stage " + stageName;
    }

    /** The stage and its canary as JSON-ready maps and values. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("restApiId", restApiId);
        json.put("restApiName", restApiName);
        json.put("stage", stageName);
        json.put("deploymentId", deploymentId);
        json.put("variables", variables);
        json.put("canary", canary.map(c -> {
            Map<String, Object> canaryJson = new LinkedHashMap<>();
            canaryJson.put("percentTraffic", c.percent());
            canaryJson.put("deploymentId", c.deploymentId());
            canaryJson.put("stageVariableOverrides", c.stageVariableOverrides());
            canaryJson.put("useStageCache", c.useStageCache());
            return canaryJson;
        }).orElse(null));
        return json;
    }
}
