package io.marketgate.cli.ops;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.local.LocalEndpoints;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
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
    private static final StaticCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    private static final Region LOCAL_REGION = Region.AP_NORTHEAST_2;

    private final ApiGatewayClient client;
    private final String where;

    private CanaryGateway(ApiGatewayClient client, String where) {
        this.client = client;
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
            return new CanaryGateway(builder.endpointOverride(endpoint).region(region.orElse(LOCAL_REGION))
                    .credentialsProvider(LOCAL_CREDENTIALS).build(), "the local API Gateway " + endpoint);
        }
        region.ifPresent(builder::region);
        endpointUrl.ifPresent(builder::endpointOverride);
        String place = region.map(Region::id).orElse("the SDK's default region");
        return new CanaryGateway(builder.build(),
                endpointUrl.map(u -> "API Gateway at " + u + " (" + place + ")").orElse("API Gateway in " + place));
    }

    /** Where the calls go, for messages. */
    String where() {
        return where;
    }

    /** The stage of the REST API named {@code restApiName}; a missing or ambiguous API or a missing stage is a clear error. */
    StageState find(String restApiName, String stageName) {
        List<RestApi> named = client.getRestApisPaginator(b -> b.limit(PAGE_SIZE)).items().stream()
                .filter(api -> restApiName.equals(api.name()))
                .toList();
        if (named.isEmpty()) {
            throw new IllegalStateException("no REST API named " + restApiName + " in " + where
                    + "; deploy the environment's API first, or check the account and region");
        }
        if (named.size() > 1) {
            throw new IllegalStateException(named.size() + " REST APIs are named " + restApiName + " in " + where + " (ids "
                    + String.join(", ", named.stream().map(RestApi::id).toList())
                    + "); the canary commands need exactly one: delete the stray ones");
        }
        return stage(named.get(0).id(), restApiName, stageName);
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

    /** A new deployment of the API's current definition becomes the stage's canary, serving {@code percent}. */
    String createCanary(StageState stage, double percent, String description) {
        return client.createDeployment(b -> b.restApiId(stage.restApiId()).stageName(stage.stageName())
                .description(description)
                .canarySettings(c -> c.percentTraffic(percent).useStageCache(false))).id();
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
