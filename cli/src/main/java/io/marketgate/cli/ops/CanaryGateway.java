package io.marketgate.cli.ops;

import io.marketgate.cli.LocalEndpoints;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.canary.CanaryConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClientBuilder;
import software.amazon.awssdk.services.apigateway.model.CanarySettings;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.Op;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.RestApi;

/**
 * The API Gateway calls of the canary commands, through the AWS SDK's {@link ApiGatewayClient}: find the stage,
 * and change its canary the way API Gateway's documentation of canary releases does it.
 *
 * <ul>
 *   <li>create: CreateDeployment with the stage's name and canary settings (a new deployment of the API's current
 *       definition becomes the stage's canary; the stage's own deployment stays);
 *   <li>set the share: UpdateStage {@code replace /canarySettings/percentTraffic};
 *   <li>promote: UpdateStage {@code replace /canarySettings/percentTraffic 0.0}, {@code copy} the canary's stage
 *       variable overrides to {@code /variables} and its deployment to {@code /deploymentId}; then UpdateStage
 *       {@code remove /canarySettings};
 *   <li>roll back: UpdateStage {@code remove /canarySettings}.
 * </ul>
 *
 * <p>Without {@code --local} or {@code --endpoint-url} the client uses the environment file's {@code aws.region}
 * (else the SDK's default region) and the standard credential chain ({@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID},
 * SSO, instance roles, …).
 */
final class CanaryGateway implements AutoCloseable {

    /** GetRestApis' largest page: fewer round trips in accounts with many APIs. */
    private static final int PAGE_SIZE = 500;
    /** The local runtime's API Gateway checks no signature; the SDK still needs something to sign with. */
    private final ApiGatewayClient client;
    private final Region region;
    private final String where;

    private CanaryGateway(ApiGatewayClient client, Region region, String where) {
        this.client = client;
        this.region = region;
        this.where = where;
    }

    /**
     * The client for {@code env}: the local platform's API Gateway with {@code --local}, {@code endpointUrl} when
     * given, else API Gateway in the environment's region.
     */
    static CanaryGateway open(EnvironmentConfig env, Optional<LocalEndpoints> local, Optional<URI> endpointUrl) {
        ApiGatewayClientBuilder builder = ApiGatewayClient.builder()
                // UpdateStage is a PATCH, which HttpURLConnection (the url-connection-client) refuses to send
                .httpClientBuilder(ApacheHttpClient.builder());
        Optional<Region> region = env.aws().region().map(Region::of);
        if (local.isPresent()) {
            URI endpoint = local.get().apiGateway().orElseThrow(() -> new IllegalStateException(
                    "the local platform runs no API Gateway (its endpoints file has no apiGateway); restart it with a "
                            + "version of './marketgate local up' that starts LocalApiGateway, or use --endpoint-url"));
            Region localRegion = region.orElse(OperatorAws.LOCAL_REGION);
            return new CanaryGateway(builder.endpointOverride(endpoint).region(localRegion)
                    .credentialsProvider(OperatorAws.LOCAL_CREDENTIALS).build(), localRegion, "the local API Gateway " + endpoint);
        }
        region.ifPresent(builder::region);
        endpointUrl.ifPresent(builder::endpointOverride);
        ApiGatewayClient client;
        try {
            client = builder.build();
        } catch (SdkClientException e) {
            throw new IllegalStateException("cannot reach API Gateway: " + e.getMessage() + " (the region comes from aws.region of "
                    + "environments/" + env.name() + ".yaml, else AWS_REGION or the AWS profile)", e);
        }
        Region used = client.serviceClientConfiguration().region();
        return new CanaryGateway(client, used,
                endpointUrl.map(u -> "API Gateway at " + u + " (" + used.id() + ")").orElse("API Gateway in " + used.id()));
    }

    /** Where the calls go, for messages. */
    String where() {
        return where;
    }

    /**
     * The environment's stage, and where its canary should send its share: the origin API's
     * {@code <id>.execute-api.<region>.<domain>/<stage>} when {@code <env>-marketgate-origin} exists. A missing or
     * ambiguous API, or a missing stage, is a clear error.
     */
    Found find(CanaryConfig config) {
        List<RestApi> apis = client.getRestApisPaginator(b -> b.limit(PAGE_SIZE)).items().stream().toList();
        RestApi api = only(apis, config.restApiName()).orElseThrow(() -> new IllegalStateException("no REST API named "
                + config.restApiName() + " in " + where + "; deploy the environment's API first, or check the account and region"));
        Optional<String> origin = only(apis, CanaryConfig.originApiName(config.environment()))
                .map(o -> o.id() + ".execute-api." + region.id() + "." + domain() + "/" + config.stage());
        return new Found(stage(api.id(), config.restApiName(), config.stage()), origin);
    }

    /**
     * The stage, and the value of {@link CanaryConfig#BACKEND_VARIABLE} that sends a canary route's requests to the
     * handlers (empty when the environment has no origin API).
     */
    record Found(StageState stage, Optional<String> canaryBackend) {}

    private Optional<RestApi> only(List<RestApi> apis, String name) {
        List<RestApi> named = apis.stream().filter(api -> name.equals(api.name())).toList();
        if (named.size() > 1) {
            throw new IllegalStateException(named.size() + " REST APIs are named " + name + " in " + where + " (ids "
                    + String.join(", ", named.stream().map(RestApi::id).toList())
                    + "); the canary commands need exactly one: delete the stray ones");
        }
        return named.stream().findFirst();
    }

    /** {@code amazonaws.com}, or {@code amazonaws.com.cn} in the China regions. */
    private String domain() {
        return region.metadata() == null ? "amazonaws.com" : region.metadata().domain();
    }

    /** The stage as it is now. */
    StageState stage(String restApiId, String restApiName, String stageName) {
        GetStageResponse stage;
        try {
            stage = client.getStage(b -> b.restApiId(restApiId).stageName(stageName));
        } catch (NotFoundException e) {
            throw new IllegalStateException("REST API " + restApiName + " (id " + restApiId + ") has no stage '" + stageName
                    + "' in " + where, e);
        }
        CanarySettings canary = stage.canarySettings();
        return new StageState(restApiId, restApiName, stageName, stage.deploymentId(), stage.variables(),
                Optional.ofNullable(canary).map(c -> new StageState.Canary(
                        c.percentTraffic() == null ? 0.0 : c.percentTraffic(), c.deploymentId(),
                        c.stageVariableOverrides(), Boolean.TRUE.equals(c.useStageCache()))));
    }

    /**
     * A new deployment of the API's current definition becomes the stage's canary, serving {@code percent} with
     * {@code overrides} of the stage's variables.
     */
    String createCanary(StageState stage, double percent, Map<String, String> overrides, String description) {
        return client.createDeployment(b -> b.restApiId(stage.restApiId()).stageName(stage.stageName())
                .description(description)
                .canarySettings(c -> c.percentTraffic(percent).stageVariableOverrides(overrides).useStageCache(false))).id();
    }

    /** The canary serves {@code percent} of the stage's requests. */
    void setPercent(StageState stage, double percent) {
        update(stage, List.of(replace("/canarySettings/percentTraffic", Double.toString(percent))));
    }

    /**
     * The canary's deployment and stage variable overrides become the stage's, then the canary settings go: first
     * the three operations of API Gateway's documented promotion (which leaves a canary at 0%), then its
     * documented removal of the canary settings.
     */
    void promote(StageState stage) {
        StageState.Canary canary = stage.canary().orElseThrow();
        List<PatchOperation> promotion = new ArrayList<>();
        promotion.add(replace("/canarySettings/percentTraffic", "0.0"));
        if (!canary.stageVariableOverrides().isEmpty()) {
            promotion.add(copy("/canarySettings/stageVariableOverrides", "/variables"));
        }
        promotion.add(copy("/canarySettings/deploymentId", "/deploymentId"));
        update(stage, promotion);
        try {
            removeCanary(stage);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the canary was promoted, but removing its settings (now at 0%) failed: "
                    + e.getMessage() + "; run 'canary rollback' to remove them", e);
        }
    }

    /** The stage's canary settings go; the stage's own deployment serves every request. */
    void removeCanary(StageState stage) {
        update(stage, List.of(PatchOperation.builder().op(Op.REMOVE).path("/canarySettings").build()));
    }

    private void update(StageState stage, List<PatchOperation> operations) {
        client.updateStage(b -> b.restApiId(stage.restApiId()).stageName(stage.stageName()).patchOperations(operations));
    }

    private static PatchOperation replace(String path, String value) {
        return PatchOperation.builder().op(Op.REPLACE).path(path).value(value).build();
    }

    private static PatchOperation copy(String from, String path) {
        return PatchOperation.builder().op(Op.COPY).from(from).path(path).build();
    }

    @Override
    public void close() {
        client.close();
    }
}
