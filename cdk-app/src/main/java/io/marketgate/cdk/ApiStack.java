package io.marketgate.cdk;

import io.marketgate.config.ApiCatalog;
import io.marketgate.config.ApiRoute;
import io.marketgate.config.InfrastructureConfig.ApiAuth;
import io.marketgate.config.InfrastructureConfig.ApiStage;
import io.marketgate.config.canary.CanaryConfig;
import io.marketgate.config.canary.RouteConfig;
import io.marketgate.config.canary.RouteState;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.ApiKey;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CfnStage;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.HttpIntegration;
import software.amazon.awscdk.services.apigateway.HttpIntegrationProps;
import software.amazon.awscdk.services.apigateway.IModel;
import software.amazon.awscdk.services.apigateway.Integration;
import software.amazon.awscdk.services.apigateway.IntegrationOptions;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.QuotaSettings;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.ThrottleSettings;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.apigateway.UsagePlanPerApiStage;
import software.amazon.awscdk.services.apigateway.Period;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionAttributes;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The public REST API {@code <env>-marketgate-api} (stage {@code live} unless the canary file names another) with
 * every route of {@code canary-config/<env>.yaml}: a legacy route is an HTTP proxy to the legacy base URL, a migrated
 * route the API function's alias, and a canary route an HTTP proxy to {@code https://${stageVariables.migrationBackend}}
 * — the legacy host on the stage, the origin API {@code <env>-marketgate-origin} (which serves the canary routes with
 * the API function) in the stage's canary settings, which exist exactly when the file has canary routes. This is the
 * shape the operator CLI's {@code canary set|promote|rollback} changes. Both APIs throttle the stage, validate bodies
 * and parameters, write JSON access logs, and require an API key (usage plan) or IAM, as the environment file says.
 */
public final class ApiStack extends Stack {

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final Deployment deployment;
    private final RestApi api;
    private final Optional<RestApi> origin;
    private final IModel jsonObject;
    private final RequestValidator validator;

    public ApiStack(Construct scope, String id, StackProps props, Deployment deployment, FunctionsStack functions) {
        super(scope, id, props);
        this.deployment = deployment;
        CanaryConfig canary = deployment.canary();
        ApiStage stage = deployment.infrastructure().apiStage();
        // imported here, so that API Gateway's invoke permissions live in this stack and the two stacks do not cycle
        IFunction handler = Function.fromFunctionAttributes(this, "ApiFunction", FunctionAttributes.builder()
                .functionArn(functions.api().alias().getFunctionArn()).sameEnvironment(true).build());
        URI legacy = canary.legacyBaseUrl();
        String legacyHost = legacy.getHost() + (legacy.getPort() > 0 ? ":" + legacy.getPort() : "") + legacy.getRawPath();

        List<RouteConfig> canaryRoutes = canary.routes(RouteState.CANARY);
        if (canaryRoutes.isEmpty()) {
            origin = Optional.empty();
        } else {
            RestApi o = restApi("Origin", CanaryConfig.originApiName(deployment.env()),
                    "Serves the canary routes of " + canary.restApiName() + " with the API function (its canary's backend)",
                    Map.of(), false);
            IModel model = jsonObjectModel(o, "OriginJsonObject");
            RequestValidator v = validator(o, "OriginValidator");
            canaryRoutes.forEach(r -> addRoute(o, r.route(), new LambdaIntegration(handler), model, v));
            origin = Optional.of(o);
        }
        api = restApi("Api", canary.restApiName(), "The public API of marketgate " + deployment.env()
                + ": legacy, migrated and canary routes (canary-config/" + deployment.env() + ".yaml)",
                Map.of(CanaryConfig.BACKEND_VARIABLE, legacyHost), true);
        jsonObject = jsonObjectModel(api, "JsonObject");
        validator = validator(api, "Validator");
        for (RouteConfig route : canary.routes().values()) {
            Integration integration = switch (route.state()) {
                case LEGACY -> proxy(legacy.getScheme() + "://" + legacyHost + route.route().path(), route.route());
                case MIGRATED -> new LambdaIntegration(handler);
                case CANARY -> proxy("https://${stageVariables." + CanaryConfig.BACKEND_VARIABLE + "}" + route.route().path(), route.route());
            };
            addRoute(api, route.route(), integration, jsonObject, validator);
        }
        // API Gateway's account-wide CloudWatch role (made with the public API) must exist before any stage logs
        origin.ifPresent(o -> Optional.ofNullable(api.getNode().tryFindChild("Account"))
                .ifPresent(account -> o.getDeploymentStage().getNode().addDependency(account)));
        origin.ifPresent(o -> {
            String originBackend = Fn.join("", List.of(o.getRestApiId(), ".execute-api.", getRegion(), ".", getUrlSuffix(), "/",
                    canary.stage()));
            CfnStage cfnStage = (CfnStage) api.getDeploymentStage().getNode().getDefaultChild();
            cfnStage.setCanarySetting(CfnStage.CanarySettingProperty.builder()
                    .deploymentId(api.getLatestDeployment().getDeploymentId())
                    .percentTraffic(canary.canaryPercent().getAsDouble())
                    .stageVariableOverrides(Map.of(CanaryConfig.BACKEND_VARIABLE, originBackend))
                    .useStageCache(false)
                    .build());
        });
        if (stage.auth() == ApiAuth.API_KEYS) {
            usagePlan(stage);
        }
        acknowledge(stage);
    }

    private RestApi restApi(String id, String name, String description, Map<String, String> variables, boolean cloudWatchRole) {
        ApiStage stage = deployment.infrastructure().apiStage();
        LogGroup accessLogs = LogGroup.Builder.create(this, id + "AccessLogs")
                .logGroupName("/marketgate/" + deployment.env() + "/api-gateway/" + name)
                .retention(Retention.days(deployment.infrastructure().logRetentionDays()))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        MethodOptions auth = stage.auth() == ApiAuth.IAM
                ? MethodOptions.builder().authorizationType(AuthorizationType.IAM).build()
                : MethodOptions.builder().apiKeyRequired(true).build();
        return RestApi.Builder.create(this, id)
                .restApiName(name)
                .description(description)
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(cloudWatchRole)
                .defaultMethodOptions(auth)
                .deployOptions(StageOptions.builder()
                        .stageName(deployment.canary().stage())
                        .variables(variables)
                        .throttlingRateLimit(stage.rateLimit())
                        .throttlingBurstLimit(stage.burstLimit())
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        .loggingLevel(MethodLoggingLevel.INFO)
                        .metricsEnabled(true)
                        .build())
                .build();
    }

    private static IModel jsonObjectModel(RestApi api, String id) {
        return Model.Builder.create(api, id).restApi(api).contentType("application/json")
                .description("A request body must be one JSON object; the handler checks its fields")
                .schema(JsonSchema.builder().type(JsonSchemaType.OBJECT).build()).build();
    }

    private static RequestValidator validator(RestApi api, String id) {
        return RequestValidator.Builder.create(api, id).restApi(api).validateRequestBody(true).validateRequestParameters(true).build();
    }

    private void addRoute(RestApi api, ApiRoute route, Integration integration, IModel model, RequestValidator validator) {
        var resource = api.getRoot().resourceForPath(route.path());
        Map<String, Boolean> parameters = new LinkedHashMap<>();
        pathVariables(route).forEach(v -> parameters.put("method.request.path." + v, true));
        MethodOptions.Builder options = MethodOptions.builder().requestValidator(validator).requestParameters(parameters);
        if (!route.method().equals("GET") && !route.method().equals("DELETE")) {
            options.requestModels(Map.of("application/json", model));
        }
        boolean open = ApiCatalog.PUBLIC_ROUTES.contains(route);
        if (open) {
            // the market sends its user's browser here: no IAM signature, no API key; the single-use state binds it
            options.authorizationType(AuthorizationType.NONE).apiKeyRequired(false);
        }
        var method = resource.addMethod(route.method(), integration, options.build());
        if (open) {
            NagAcknowledgements.of(this).acknowledge(method, "AwsSolutions-APIG4", route + " is where a market sends its user's "
                    + "browser back after consent: the browser has no credentials of ours; the request is bound by its single-use, "
                    + "expiring state, and changes nothing without one");
        }
    }

    /** An HTTP proxy to {@code url} that passes the route's path variables on. */
    private static Integration proxy(String url, ApiRoute route) {
        Map<String, String> parameters = new LinkedHashMap<>();
        pathVariables(route).forEach(v -> parameters.put("integration.request.path." + v, "method.request.path." + v));
        return new HttpIntegration(url, HttpIntegrationProps.builder().proxy(true).httpMethod(route.method())
                .options(IntegrationOptions.builder().requestParameters(parameters).build()).build());
    }

    private static List<String> pathVariables(ApiRoute route) {
        Matcher m = PATH_VARIABLE.matcher(route.path());
        List<String> variables = new java.util.ArrayList<>();
        while (m.find()) {
            variables.add(m.group(1));
        }
        return variables;
    }

    private void usagePlan(ApiStage stage) {
        List<UsagePlanPerApiStage> stages = new java.util.ArrayList<>();
        stages.add(UsagePlanPerApiStage.builder().api(api).stage(api.getDeploymentStage()).build());
        origin.ifPresent(o -> stages.add(UsagePlanPerApiStage.builder().api(o).stage(o.getDeploymentStage()).build()));
        UsagePlan plan = UsagePlan.Builder.create(this, "UsagePlan")
                .name(deployment.name("marketgate-clients"))
                .description("Every client key of " + canaryName() + ": the stage's throttling and a daily quota per key")
                .apiStages(stages)
                .throttle(ThrottleSettings.builder().rateLimit(stage.rateLimit()).burstLimit(stage.burstLimit()).build())
                .quota(QuotaSettings.builder().limit((int) Math.min(Integer.MAX_VALUE, stage.quotaPerDay())).period(Period.DAY).build())
                .build();
        ApiKey key = ApiKey.Builder.create(this, "FirstClientKey").apiKeyName(deployment.name("marketgate-first-client"))
                .description("The first client's key; add one per client to the usage plan").build();
        plan.addApiKey(key);
    }

    private String canaryName() {
        return deployment.canary().restApiName();
    }

    private void acknowledge(ApiStage stage) {
        NagAcknowledgements nag = NagAcknowledgements.of(this);
        nag.acknowledge(this, "AwsSolutions-APIG3", "The APIs are regional and throttled per stage and per key; a WAF web ACL "
                + "is an account-level choice (shared with the legacy backend's domain) and not part of this kit");
        nag.acknowledge(this, "AwsSolutions-COG4", "Callers are services with API keys in a usage plan, or IAM principals; "
                + "there is no Cognito user pool for them");
        if (stage.auth() == ApiAuth.API_KEYS) {
            nag.acknowledge(this, "AwsSolutions-APIG4", "Every method requires an API key of the usage plan (apiKeyRequired); "
                    + "the environment file chose API keys over IAM for its callers");
        }
        nag.acknowledge(this, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
                "API Gateway's account-wide CloudWatch role uses AWS's managed policy, which only writes API Gateway's logs");
    }

    /** The public REST API {@code <env>-marketgate-api}. */
    public RestApi api() {
        return api;
    }

    /** The origin API {@code <env>-marketgate-origin}, present when the canary file has canary routes. */
    public Optional<RestApi> origin() {
        return origin;
    }
}
