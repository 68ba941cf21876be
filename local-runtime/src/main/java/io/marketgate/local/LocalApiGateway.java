package io.marketgate.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.marketgate.config.canary.CanaryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of API Gateway's management API (REST APIs, v1) that the canary commands use, in memory, over HTTP, so
 * that the real AWS SDK {@code ApiGatewayClient} can talk to it with an endpoint override: the local runtime has no
 * API Gateway of its own. It keeps REST APIs, their deployments and their stages with canary settings, and answers
 * GetRestApis (paginated), GetStage, UpdateStage (the patch operations on a stage's deployment, variables and
 * canary settings), CreateDeployment (with or without canary settings) and GetDeployment with the JSON the SDK
 * expects; errors come as API Gateway's {@code NotFoundException} and {@code BadRequestException}. Every request is
 * recorded, so that a test can assert the exact operations a command sent.
 *
 * <pre>{@code
 * try (LocalApiGateway gateway = LocalApiGateway.start()) {
 *     String id = gateway.createRestApi("dev-marketgate-api", "live");
 *     // ./marketgate canary set --percent 10 --endpoint-url gateway.uri() …
 *     gateway.stage(id, "live").canary();      // Optional[Canary[percentTraffic=10.0, …]]
 *     gateway.requests();                      // [GET /restapis, GET /restapis/{id}/stages/live, POST …/deployments]
 * }
 * }</pre>
 *
 * <p>Its semantics follow API Gateway's documentation of canary releases: a deployment created with canary settings
 * becomes the stage's canary and leaves the stage's own deployment alone (the stage must exist); the patch
 * operations of one UpdateStage apply all or none. What it does not model (methods, resources, integrations,
 * throttling, stage caches) it does not pretend to: an unknown request or patch path is a {@code BadRequestException}
 * naming it.
 */
public final class LocalApiGateway implements AutoCloseable {

    /** API Gateway's largest page of GetRestApis ({@code limit} is 25 by default, 500 at most). */
    public static final int MAX_PAGE_SIZE = 500;
    private static final int DEFAULT_PAGE_SIZE = 25;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STAGE = Pattern.compile("/restapis/([^/]+)/stages/([^/]+)");
    private static final Pattern DEPLOYMENTS = Pattern.compile("/restapis/([^/]+)/deployments");
    private static final Pattern DEPLOYMENT = Pattern.compile("/restapis/([^/]+)/deployments/([^/]+)");
    private static final Pattern OVERRIDE = Pattern.compile("/canarySettings/stageVariableOverrides/([A-Za-z0-9_]+)");
    private static final Pattern VARIABLE = Pattern.compile("/variables/([A-Za-z0-9_]+)");

    /** One request as it arrived: method, path, decoded query parameters and body (empty when none). */
    public record RecordedRequest(String method, String path, Map<String, String> query, String body) {
        public RecordedRequest {
            query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        }

        /** The body as JSON (an empty object when there is none). */
        public JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code PATCH /restapis/a1/stages/live}: method and path, what a test usually compares first. */
        public String line() {
            return method + " " + path;
        }
    }

    /** A stage's canary: the share of its traffic that goes to another deployment, with its own stage variables. */
    public record Canary(double percentTraffic, String deploymentId, Map<String, String> stageVariableOverrides, boolean useStageCache) {
        public Canary {
            Objects.requireNonNull(deploymentId, "deploymentId");
            stageVariableOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(stageVariableOverrides));
        }
    }

    /** A stage: the deployment it serves, its variables and its canary, if any. */
    public record Stage(String name, String deploymentId, Map<String, String> variables, Optional<Canary> canary) {
        public Stage {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(deploymentId, "deploymentId");
            variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
            Objects.requireNonNull(canary, "canary");
        }
    }

    /** A deployment: a snapshot of the API's definition that a stage (or its canary) serves. */
    public record Deployment(String id, String description, Instant createdDate) {}

    private record RestApi(String id, String name, Map<String, Deployment> deployments, Map<String, Stage> stages) {}

    /** An error API Gateway would answer: its HTTP status, error type and message. */
    private static final class ApiError extends RuntimeException {
        private final int status;
        private final String type;

        ApiError(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }

        static ApiError notFound(String message) {
            return new ApiError(404, "NotFoundException", message);
        }

        static ApiError badRequest(String message) {
            return new ApiError(400, "BadRequestException", message);
        }
    }

    private final HttpServer server;
    private final int pageSize;
    private final Clock clock;
    private final Map<String, RestApi> apis = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private int nextId = 1;

    private LocalApiGateway(HttpServer server, int pageSize, Clock clock) {
        this.server = server;
        this.pageSize = pageSize;
        this.clock = clock;
    }

    /**
     * Starts on a free loopback port with the environment's REST API ({@code <env>-marketgate-api}) and the origin
     * API behind its canary ({@code <env>-marketgate-origin}), each with the stage {@code live}, as the CDK app
     * deploys them and as {@code ./marketgate local up} needs them for {@code canary … --local}.
     */
    public static LocalApiGateway startFor(String environment) {
        LocalApiGateway gateway = start();
        gateway.createRestApi(CanaryConfig.restApiName(environment), CanaryConfig.DEFAULT_STAGE);
        gateway.createRestApi(CanaryConfig.originApiName(environment), CanaryConfig.DEFAULT_STAGE);
        return gateway;
    }

    /** Starts on a free loopback port, without any REST API. */
    public static LocalApiGateway start() {
        return start(0, MAX_PAGE_SIZE, Clock.systemUTC());
    }

    /**
     * Starts on {@code port} of the loopback interface (0 for a free one).
     *
     * @param maxPageSize the most REST APIs one GetRestApis page holds, whatever {@code limit} asks (1..500), so that a
     *     test can make a client page through few APIs
     * @param clock the deployments' creation time
     */
    public static LocalApiGateway start(int port, int maxPageSize, Clock clock) {
        if (maxPageSize < 1 || maxPageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("maxPageSize must be 1.." + MAX_PAGE_SIZE + ", was " + maxPageSize);
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the local API Gateway on port " + port + ": " + e.getMessage(), e);
        }
        LocalApiGateway gateway = new LocalApiGateway(server, maxPageSize, clock);
        server.createContext("/", gateway::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return gateway;
    }

    /** The endpoint to give the SDK's {@code endpointOverride} (and the CLI's {@code LocalEndpoints.apiGateway()}). */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /**
     * Creates a REST API named {@code name} with a first deployment and the stage {@code stageName} serving it, as
     * {@code cdk deploy} leaves an environment's API; returns the API's id.
     */
    public synchronized String createRestApi(String name, String stageName) {
        String id = newId("api");
        RestApi api = new RestApi(id, name, new LinkedHashMap<>(), new LinkedHashMap<>());
        apis.put(id, api);
        Deployment first = deploy(api, "first deployment of " + name);
        api.stages().put(stageName, new Stage(stageName, first.id(), Map.of(), Optional.empty()));
        return id;
    }

    /** The stage as it is now; throws {@link IllegalArgumentException} when there is no such API or stage. */
    public synchronized Stage stage(String restApiId, String stageName) {
        try {
            return stageOf(apiOf(restApiId), stageName);
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The API's deployments, oldest first. */
    public synchronized List<Deployment> deployments(String restApiId) {
        try {
            return List.copyOf(apiOf(restApiId).deployments().values());
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Every request received so far, in order. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests received so far (not the APIs), so that a test sees only those of the command it runs. */
    public synchronized void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    query(exchange.getRequestURI().getRawQuery()), body);
            int status;
            JsonNode answer;
            synchronized (this) {
                requests.add(request);
                try {
                    answer = answer(request);
                    status = request.method().equals("POST") ? 201 : 200;
                } catch (ApiError e) {
                    status = e.status;
                    answer = JSON.createObjectNode().put("message", e.getMessage());
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", e.type);
                } catch (RuntimeException e) {
                    status = 400;
                    answer = JSON.createObjectNode().put("message", "cannot read the request: " + e.getMessage());
                    exchange.getResponseHeaders().add("x-amzn-ErrorType", "BadRequestException");
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private JsonNode answer(RecordedRequest request) {
        String path = URLDecoder.decode(request.path(), StandardCharsets.UTF_8);
        Matcher m;
        if (request.method().equals("GET") && path.equals("/restapis")) {
            return restApis(request.query());
        }
        if ((m = STAGE.matcher(path)).matches()) {
            RestApi api = apiOf(m.group(1));
            if (request.method().equals("GET")) {
                return json(stageOf(api, m.group(2)));
            }
            if (request.method().equals("PATCH")) {
                return json(updateStage(api, m.group(2), request.json().path("patchOperations")));
            }
        }
        if ((m = DEPLOYMENTS.matcher(path)).matches() && request.method().equals("POST")) {
            return json(createDeployment(apiOf(m.group(1)), request.json()));
        }
        if ((m = DEPLOYMENT.matcher(path)).matches() && request.method().equals("GET")) {
            Deployment deployment = apiOf(m.group(1)).deployments().get(m.group(2));
            if (deployment == null) {
                throw ApiError.notFound("Invalid Deployment identifier specified");
            }
            return json(deployment);
        }
        throw ApiError.badRequest("LocalApiGateway does not implement " + request.method() + " " + path);
    }

    // ---- operations

    private JsonNode restApis(Map<String, String> query) {
        int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : DEFAULT_PAGE_SIZE;
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw ApiError.badRequest("limit must be 1.." + MAX_PAGE_SIZE + ", was " + limit);
        }
        int from = query.containsKey("position") ? Integer.parseInt(query.get("position")) : 0;
        List<RestApi> all = List.copyOf(apis.values());
        int to = Math.min(all.size(), from + Math.min(limit, pageSize));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode items = page.putArray("item");
        for (RestApi api : all.subList(Math.min(from, all.size()), to)) {
            items.addObject().put("id", api.id()).put("name", api.name());
        }
        if (to < all.size()) {
            page.put("position", Integer.toString(to));
        }
        return page;
    }

    private Deployment createDeployment(RestApi api, JsonNode body) {
        String stageName = body.path("stageName").asText(null);
        JsonNode canary = body.get("canarySettings");
        if (canary != null && (stageName == null || !api.stages().containsKey(stageName))) {
            // documented: a canary release deployment needs an existing stage; none is created for it
            throw ApiError.badRequest("Invalid stage identifier specified: a canary deployment needs an existing stage, was "
                    + stageName);
        }
        Double percent = canary == null ? null : percent(canary.path("percentTraffic").asText("0"));
        Deployment deployment = deploy(api, body.path("description").asText(""));
        if (stageName == null) {
            return deployment;
        }
        Stage stage = api.stages().get(stageName);
        if (canary != null) {
            api.stages().put(stageName, new Stage(stageName, stage.deploymentId(), stage.variables(), Optional.of(new Canary(
                    percent, deployment.id(), strings(canary.path("stageVariableOverrides")), canary.path("useStageCache").asBoolean(false)))));
        } else {
            Map<String, String> variables = new LinkedHashMap<>(stage == null ? Map.of() : stage.variables());
            variables.putAll(strings(body.path("variables")));
            api.stages().put(stageName, new Stage(stageName, deployment.id(), variables,
                    stage == null ? Optional.empty() : stage.canary()));
        }
        return deployment;
    }

    /** Applies every operation to a copy, and keeps it only when all of them applied: one UpdateStage is all or nothing. */
    private Stage updateStage(RestApi api, String stageName, JsonNode operations) {
        Stage stage = stageOf(api, stageName);
        if (!operations.isArray() || operations.isEmpty()) {
            throw ApiError.badRequest("patchOperations must be a non-empty list");
        }
        String deploymentId = stage.deploymentId();
        Map<String, String> variables = new LinkedHashMap<>(stage.variables());
        Canary canary = stage.canary().orElse(null);
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            String value = operation.path("value").asText(null);
            String from = operation.path("from").asText(null);
            Matcher m;
            if (op.equals("replace") && path.equals("/canarySettings/percentTraffic")) {
                Canary c = requireCanary(canary, path);
                canary = new Canary(percent(value), c.deploymentId(), c.stageVariableOverrides(), c.useStageCache());
            } else if (op.equals("replace") && path.equals("/canarySettings/useStageCache")) {
                Canary c = requireCanary(canary, path);
                canary = new Canary(c.percentTraffic(), c.deploymentId(), c.stageVariableOverrides(), Boolean.parseBoolean(value));
            } else if (op.equals("replace") && path.equals("/canarySettings/deploymentId")) {
                Canary c = requireCanary(canary, path);
                canary = new Canary(c.percentTraffic(), requireDeployment(api, value), c.stageVariableOverrides(), c.useStageCache());
            } else if ((m = OVERRIDE.matcher(path)).matches() && (op.equals("replace") || op.equals("add") || op.equals("remove"))) {
                Canary c = requireCanary(canary, path);
                Map<String, String> overrides = new LinkedHashMap<>(c.stageVariableOverrides());
                if (op.equals("remove")) {
                    overrides.remove(m.group(1));
                } else {
                    overrides.put(m.group(1), Objects.requireNonNull(value, "value"));
                }
                canary = new Canary(c.percentTraffic(), c.deploymentId(), overrides, c.useStageCache());
            } else if (op.equals("remove") && path.equals("/canarySettings")) {
                requireCanary(canary, path);
                canary = null;
            } else if (op.equals("copy") && path.equals("/deploymentId") && "/canarySettings/deploymentId".equals(from)) {
                deploymentId = requireCanary(canary, from).deploymentId();
            } else if (op.equals("copy") && path.equals("/variables") && "/canarySettings/stageVariableOverrides".equals(from)) {
                variables.putAll(requireCanary(canary, from).stageVariableOverrides());
            } else if (op.equals("replace") && path.equals("/deploymentId")) {
                deploymentId = requireDeployment(api, value);
            } else if ((m = VARIABLE.matcher(path)).matches() && (op.equals("replace") || op.equals("add") || op.equals("remove"))) {
                if (op.equals("remove")) {
                    variables.remove(m.group(1));
                } else {
                    variables.put(m.group(1), Objects.requireNonNull(value, "value"));
                }
            } else {
                throw ApiError.badRequest("LocalApiGateway does not implement the patch operation " + operation);
            }
        }
        Stage updated = new Stage(stageName, deploymentId, variables, Optional.ofNullable(canary));
        api.stages().put(stageName, updated);
        return updated;
    }

    // ---- helpers

    private Deployment deploy(RestApi api, String description) {
        Deployment deployment = new Deployment(newId("dep"), description, clock.instant());
        api.deployments().put(deployment.id(), deployment);
        return deployment;
    }

    private String newId(String kind) {
        return kind + String.format("%03d", nextId++);
    }

    private RestApi apiOf(String id) {
        RestApi api = apis.get(id);
        if (api == null) {
            throw ApiError.notFound("Invalid API identifier specified " + id);
        }
        return api;
    }

    private static Stage stageOf(RestApi api, String stageName) {
        Stage stage = api.stages().get(stageName);
        if (stage == null) {
            throw ApiError.notFound("Invalid Stage identifier specified: " + stageName);
        }
        return stage;
    }

    private static Canary requireCanary(Canary canary, String path) {
        if (canary == null) {
            throw ApiError.badRequest("the stage has no canary settings: cannot apply " + path);
        }
        return canary;
    }

    private static String requireDeployment(RestApi api, String id) {
        if (id == null || !api.deployments().containsKey(id)) {
            throw ApiError.badRequest("Invalid deployment identifier specified: " + id);
        }
        return id;
    }

    private static double percent(String value) {
        double percent;
        try {
            percent = Double.parseDouble(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw ApiError.badRequest("percentTraffic must be a number, was " + value);
        }
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw ApiError.badRequest("percentTraffic must be between 0.0 and 100.0, was " + value);
        }
        return percent;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static JsonNode json(Stage stage) {
        ObjectNode node = JSON.createObjectNode().put("stageName", stage.name()).put("deploymentId", stage.deploymentId());
        node.set("variables", JSON.valueToTree(stage.variables()));
        stage.canary().ifPresent(c -> {
            ObjectNode canary = node.putObject("canarySettings")
                    .put("percentTraffic", c.percentTraffic())
                    .put("deploymentId", c.deploymentId())
                    .put("useStageCache", c.useStageCache());
            canary.set("stageVariableOverrides", JSON.valueToTree(c.stageVariableOverrides()));
        });
        return node;
    }

    private static JsonNode json(Deployment deployment) {
        // rest-json timestamps are epoch seconds
        return JSON.createObjectNode().put("id", deployment.id()).put("description", deployment.description())
                .put("createdDate", deployment.createdDate().toEpochMilli() / 1000.0);
    }
}
