package io.marketgate.handlers;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.deployed.DeployedStore;
import io.marketgate.deployed.StoreLocation;
import io.marketgate.handlers.sqs.QueueDirectory;
import io.marketgate.handlers.store.Tables;
import io.marketgate.handlers.events.ActionEvents;
import io.marketgate.handlers.events.EventBridgeActionEvents;
import io.marketgate.handlers.store.ActionTargets;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.LimiterStore;
import io.marketgate.limiter.memory.InMemoryLimiterStore;
import io.marketgate.config.Durations;
import io.marketgate.limiter.LimiterControl;
import io.marketgate.deployed.tokens.TokenCaches;
import io.marketgate.deployed.tokens.TokenEncryption;
import io.marketgate.market.auth.MallConnections;
import io.marketgate.market.auth.TokenSealer;
import io.marketgate.sellers.ConnectStates;
import io.marketgate.sellers.DynamoConnectionStore;
import io.marketgate.market.AdapterContext;
import io.marketgate.market.auth.InMemoryTokenCache;
import io.marketgate.market.auth.SharedTokens;
import io.marketgate.market.auth.TokenCache;
import io.marketgate.market.MarketAdapter;
import io.marketgate.market.MarketAdapterFactory;
import io.marketgate.market.MarketAdapters;
import io.marketgate.market.MarketCallListener;
import io.marketgate.market.auth.CredentialSchema;
import io.marketgate.sellers.CachingCredentialSource;
import io.marketgate.sellers.SecretDeletion;
import io.marketgate.sellers.SellerCredentialStore;
import io.marketgate.sellers.SellerDirectory;
import io.marketgate.sellers.SellerRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Everything a handler needs from outside: the environment's configuration, the AWS clients, table and queue names,
 * the limiter's store per market, the sellers' secrets and the cached credential source the adapters read, listeners,
 * the HTTP client for markets, the clock and the environment variables (market secrets), plus a few settings. Tests
 * and the local runtime build one with {@link #builder()}; a Lambda with {@link #fromEnvironment()}.
 *
 * <pre>{@code
 * HandlerDependencies deps = HandlerDependencies.builder()
 *         .environment(env).dynamoDb(dynamo).sqs(sqs)
 *         .tables(Tables.withPrefix("mg-local-")).queues(queues)
 *         .storeForMarket(market -> new InMemoryLimiterStore(Clock.systemUTC()))
 *         .build();
 * var handler = new CollectorHandler(deps);
 * }</pre>
 */
public final class HandlerDependencies implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HandlerDependencies.class);

    /** Default of {@link Builder#maxLimiterWait}: longer waits are handed back to the queue, not slept. */
    public static final Duration DEFAULT_MAX_LIMITER_WAIT = Duration.ofSeconds(2);
    /** Default of {@link Builder#maxActionWait}: how long a HIGH action waits in-process for the limiter. */
    public static final Duration DEFAULT_MAX_ACTION_WAIT = Duration.ofSeconds(10);
    /** Default of {@link Builder#lowMaxAttempts}. */
    public static final int DEFAULT_LOW_MAX_ATTEMPTS = 5;
    /** Default of {@link Builder#ipPause}: how long a market's budgets pause after it refused our IP address. */
    public static final Duration DEFAULT_IP_PAUSE = Duration.ofMinutes(10);
    /** The variable of {@link Builder#credentialsTtl} ({@code 5m}, {@code 90s}). */
    public static final String CREDENTIALS_TTL_VARIABLE = "MARKETGATE_CREDENTIALS_TTL";
    /** The variable of {@link Builder#ipPause} ({@code 10m}). */
    public static final String IP_PAUSE_VARIABLE = "MARKETGATE_IP_PAUSE";
    /**
     * The variable of the market a consumer function serves (the CDK app sets it on each market's collector and actions
     * functions): the market its SnapStart hooks prime and connect. Without it, every market with queues.
     */
    public static final String MARKET_VARIABLE = "MARKETGATE_MARKET";
    /** The variable of the event bus that final actions' events go to. */
    public static final String EVENT_BUS_VARIABLE = "MARKETGATE_EVENT_BUS";

    private final EnvironmentConfig environment;
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final Tables tables;
    private final QueueDirectory queues;
    private final Function<String, LimiterStore> storeForMarket;
    private final LimiterListener limiterListener;
    private final MarketCallListener marketCallListener;
    private final HttpClient http;
    private final Clock clock;
    private final Function<String, String> envVars;
    private final Duration maxLimiterWait;
    private final Duration maxActionWait;
    private final int lowMaxAttempts;
    private final Duration ipPause;
    private final Map<String, MarketAdapterFactory> adapterFactories;
    private final Optional<SellerCredentialStore> sellerSecrets;
    private final CachingCredentialSource credentials;
    private final TokenCache tokenCache;
    private final MallConnections connections;
    private final Optional<ActionEvents> actionEvents;
    private final ActionTargets actionTargets;
    private final Optional<String> servedMarket;
    /** What these dependencies opened themselves and close with {@link #close()}, in reverse order. */
    private final List<AutoCloseable> owned;

    private HandlerDependencies(Builder b) {
        this.environment = require(b.environment, "environment");
        this.dynamoDb = require(b.dynamoDb, "dynamoDb");
        this.sqs = require(b.sqs, "sqs");
        this.tables = require(b.tables, "tables");
        this.queues = require(b.queues, "queues");
        this.storeForMarket = require(b.storeForMarket, "storeForMarket");
        this.limiterListener = b.limiterListener;
        this.marketCallListener = b.marketCallListener;
        List<AutoCloseable> owned = new java.util.ArrayList<>(b.owned);
        if (b.http != null) {
            this.http = b.http;
        } else {
            this.http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            owned.add(http);
        }
        this.owned = List.copyOf(owned);
        this.clock = b.clock;
        this.envVars = b.envVars;
        this.maxLimiterWait = b.maxLimiterWait;
        this.maxActionWait = b.maxActionWait;
        this.lowMaxAttempts = b.lowMaxAttempts;
        this.ipPause = b.ipPause;
        this.adapterFactories = Map.copyOf(b.adapterFactories);
        this.sellerSecrets = Optional.ofNullable(b.secretsManager)
                .map(client -> new SellerCredentialStore(client, environment.name(), b.secretDeletion));
        this.credentials = sellerSecrets
                .map(store -> CachingCredentialSource.builder(CachingCredentialSource.loader(store, this::credentialSchema)))
                .orElseGet(() -> CachingCredentialSource.builder((market, sellerId) -> Optional.empty()))
                .ttl(b.credentialsTtl).build();
        this.tokenCache = b.tokenCache != null ? b.tokenCache : new InMemoryTokenCache(clock);
        TokenSealer sealer = b.tokenSealer;
        if (sealer == null) {
            TokenEncryption generated = TokenEncryption.generated();
            log.info("no token key is given: sellers' connections are sealed with key {}, generated for this process; other "
                    + "processes cannot read them (set {} outside of tests and local runs)", generated.current().idHex(),
                    TokenCaches.KEY_SECRET);
            sealer = generated;
        }
        this.connections = new MallConnections(new DynamoConnectionStore(dynamoDb, tables.sellers(), sealer), clock);
        this.actionEvents = Optional.ofNullable(b.actionEvents);
        this.servedMarket = Optional.ofNullable(b.servedMarket);
        servedMarket.ifPresent(market -> {
            try {
                environment.market(market);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("servedMarket (" + MARKET_VARIABLE + "): " + e.getMessage(), e);
            }
        });
        this.actionTargets = b.actionTargets != null ? b.actionTargets
                : ActionTargets.stored(new OrderStore(dynamoDb, tables.orders(), clock),
                        new io.marketgate.handlers.store.RecordStore(dynamoDb, tables.orders(), clock));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The dependencies of a real Lambda, from its environment variables:
     * <ul>
     *   <li>{@code MARKETGATE_ENV}: the environment; its file is the classpath resource {@code environments/<env>.yaml}
     *       (bundled in the jar), or the file at {@code MARKETGATE_CONFIG} when that is set;</li>
     *   <li>{@code MARKETGATE_VALKEY_CLUSTER} and {@code MARKETGATE_VALKEY_SECRET} (as the CDK app deploys them), or
     *       {@code MARKETGATE_VALKEY_URL}, and optionally {@code MARKETGATE_VALKEY_CA}: the limiter's store, opened by
     *       {@link DeployedStore} as the operator CLI opens it; when absent each instance limits alone in memory, which
     *       is logged as an error because budgets then do not hold for the fleet;</li>
     *   <li>{@code MARKETGATE_TABLE_ORDERS}, {@code _REQUESTS}, {@code _SELLERS}, {@code _IDEMPOTENCY}: table names;</li>
     *   <li>{@code AWS_REGION} (set by Lambda), else the environment file's {@code aws.region}: the AWS clients' region;</li>
     *   <li>{@code MARKETGATE_QUEUE_<MARKET>_COLLECT} and {@code _ACTIONS}: queue URLs, the market's name upper-cased
     *       with every character other than a letter or digit as '_' (11st: {@code MARKETGATE_QUEUE_11ST_COLLECT});</li>
     *   <li>{@code MARKETGATE_TOKEN_KEY_SECRET} (with the cluster, and wherever sellers' connections are read or written:
     *       the API, a per-mall market's consumers): the secret whose key seals the fleet's market access tokens in Valkey
     *       ({@code TokenCaches}) and the sellers' consent-granted connections in the sellers table;</li>
     *   <li>{@code MARKETGATE_CREDENTIALS_TTL} (optional, default 5m): how long a seller's credentials are cached;
     *       {@code MARKETGATE_IP_PAUSE} (optional, default 10m): how long a market's budgets pause after it refused our
     *       IP address. The sellers' secrets are read from Secrets Manager in the same region.</li>
     *   <li>{@code MARKETGATE_EVENT_BUS} (the actions functions): the event bus (name or ARN) that final actions'
     *       events go to ({@link ActionEvents}); the actions handler refuses to start without it. The SDK reads
     *       {@code AWS_ENDPOINT_URL_EVENTBRIDGE} as the other clients read theirs.</li>
     * </ul>
     *
     * @throws IllegalStateException naming the missing variable
     */
    public static HandlerDependencies fromEnvironment() {
        return fromVariables(System::getenv);
    }

    /** {@link #fromEnvironment()} reading {@code variables} instead of the process's environment. */
    public static HandlerDependencies fromVariables(Function<String, String> variables) {
        EnvironmentConfig env = loadEnvironment(variables);
        Tables tables = new Tables(
                required(variables, "MARKETGATE_TABLE_ORDERS"),
                required(variables, "MARKETGATE_TABLE_REQUESTS"),
                required(variables, "MARKETGATE_TABLE_SELLERS"),
                required(variables, "MARKETGATE_TABLE_IDEMPOTENCY"));
        QueueDirectory.Builder queues = QueueDirectory.builder();
        for (String market : env.markets().keySet()) {
            String collect = variables.apply(queueVariable(market, "COLLECT"));
            if (collect != null && !collect.isBlank()) {
                queues.market(market, collect, variables.apply(queueVariable(market, "ACTIONS")));
            }
        }
        // the Lambda runtime sets AWS_REGION; elsewhere the environment file's aws.region, else the SDK's default chain
        Optional<Region> region = Optional.ofNullable(variables.apply("AWS_REGION")).filter(r -> !r.isBlank())
                .or(() -> env.aws().region()).map(Region::of);
        Optional<StoreLocation> location = StoreLocation.fromVariables(variables, Optional.empty());
        Optional<DeployedStore> deployed = location.map(l -> DeployedStore.resolve(l, DeployedStore.options(env),
                () -> DeployedStore.secretsManager(region)));
        Function<String, LimiterStore> stores = limiterStores(deployed);
        DynamoDbClientBuilder dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        SqsClientBuilder sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        // the sellers' secrets; the SDK reads AWS_ENDPOINT_URL_SECRETS_MANAGER as the other clients read theirs
        SecretsManagerClientBuilder secrets = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        Optional<String> bus = Optional.ofNullable(variables.apply(EVENT_BUS_VARIABLE)).map(String::strip).filter(v -> !v.isEmpty());
        EventBridgeClientBuilder events = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create());
        region.ifPresent(r -> {
            dynamoDb.region(r);
            sqs.region(r);
            secrets.region(r);
            events.region(r);
        });
        DynamoDbClient dynamoDbClient = dynamoDb.build();
        SqsClient sqsClient = sqs.build();
        SecretsManagerClient secretsClient = secrets.build();
        Builder b = builder()
                .environment(env)
                .dynamoDb(dynamoDbClient)
                .sqs(sqsClient)
                .secretsManager(secretsClient)
                .tables(tables)
                .queues(queues.build())
                .storeForMarket(stores)
                .envVars(variables);
        // the clients these dependencies made are theirs to close (a SnapStart checkpoint closes them, SnapshotLifecycle)
        b.owned.addAll(List.of(dynamoDbClient, sqsClient, secretsClient));
        bus.ifPresent(name -> {
            EventBridgeClient eventsClient = events.build();
            b.owned.add(eventsClient);
            b.actionEvents(new EventBridgeActionEvents(eventsClient, name));
        });
        // the environment's token key, read once: it seals the fleet's access tokens in Valkey and the sellers'
        // connections in the sellers table
        Optional<TokenEncryption> key = Optional.ofNullable(variables.apply(TokenCaches.KEY_SECRET)).filter(v -> !v.isBlank())
                .map(secretId -> {
                    try (SecretsManagerClient client = DeployedStore.secretsManager(region)) {
                        return TokenEncryption.fromSecret(secretId.strip(), client);
                    }
                });
        key.ifPresent(b::tokenSealer);
        if (key.isEmpty() && onLambda(variables)) {
            consentMarket(env).ifPresent(market -> {
                throw new IllegalStateException(TokenCaches.KEY_SECRET + " is not set, but market " + market + " connects its "
                        + "sellers by consent: each instance would seal their connections with a key of its own that no other "
                        + "instance can open (the CDK app sets it; set it to the environment's token key secret)");
            });
        }
        // the fleet's access tokens beside the limiter's budgets; without a store each instance keeps its own (and
        // fetches its own token)
        deployed.ifPresent(d -> {
            var tokens = TokenCaches.forStore(d, key.orElseGet(() ->
                    TokenCaches.encryption(variables, location.orElseThrow(), () -> DeployedStore.secretsManager(region))));
            b.owned.add(tokens);
            b.tokenCache(tokens);
        });
        Optional.ofNullable(variables.apply(MARKET_VARIABLE)).map(String::strip).filter(v -> !v.isEmpty())
                .ifPresent(b::servedMarket);
        duration(variables, CREDENTIALS_TTL_VARIABLE).ifPresent(b::credentialsTtl);
        duration(variables, IP_PAUSE_VARIABLE).ifPresent(b::ipPause);
        return b.build();
    }

    /**
     * The limiter's store per market, where the variables say ({@link StoreLocation#fromVariables}): the CDK app's
     * cluster as its RBAC user (the secret read once, now, at cold start), or a standalone URL; both opened by
     * {@link DeployedStore} as the operator CLI opens them. Without either, each instance limits alone in memory.
     */
    private static Function<String, LimiterStore> limiterStores(Optional<DeployedStore> deployed) {
        if (deployed.isPresent()) {
            return market -> deployed.get().open();
        }
        // said when a store is first needed: the API and the job worker never call a market and need no Valkey
        AtomicBoolean said = new AtomicBoolean();
        return market -> {
            if (said.compareAndSet(false, true)) {
                log.error("neither " + StoreLocation.CLUSTER + " nor " + StoreLocation.URL + " is set: each instance limits "
                        + "alone, in memory; the markets' budgets do NOT hold for the fleet. Set one outside of local runs.");
            }
            return new InMemoryLimiterStore(Clock.systemUTC());
        };
    }

    /** Whether these are a Lambda function's variables (the runtime sets {@code AWS_LAMBDA_FUNCTION_NAME}). */
    private static boolean onLambda(Function<String, String> variables) {
        String name = variables.apply("AWS_LAMBDA_FUNCTION_NAME");
        return name != null && !name.isBlank();
    }

    /** A market whose sellers connect by consent (a per-mall API, Cafe24's): its connections need the shared key. */
    private static Optional<String> consentMarket(EnvironmentConfig env) {
        return env.markets().values().stream()
                .filter(m -> m.adapter().filter(a -> a instanceof io.marketgate.config.MarketApiConfig api && api.type().perMall()).isPresent())
                .map(io.marketgate.config.MarketConfig::name).findFirst();
    }

    private static Optional<Duration> duration(Function<String, String> variables, String name) {
        String value = variables.apply(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + name + ": " + e.getMessage(), e);
        }
    }

    /** The variable of a market's queue URL: {@code MARKETGATE_QUEUE_<MARKET>_<which>}. */
    public static String queueVariable(String market, String which) {
        return "MARKETGATE_QUEUE_" + market.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_" + which;
    }

    private static EnvironmentConfig loadEnvironment(Function<String, String> variables) {
        String file = variables.apply("MARKETGATE_CONFIG");
        if (file != null && !file.isBlank()) {
            return EnvironmentLoader.load(Path.of(file));
        }
        String name = required(variables, "MARKETGATE_ENV");
        String resource = "environments/" + name + EnvironmentLoader.EXTENSION;
        try (InputStream in = HandlerDependencies.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("MARKETGATE_ENV is " + name + " but the classpath has no " + resource
                        + "; set MARKETGATE_CONFIG to a file or bundle the environment");
            }
            // the loader reads files and takes the environment's name from the file's name
            Path dir = Files.createTempDirectory("marketgate-env");
            Path copy = dir.resolve(name + EnvironmentLoader.EXTENSION);
            Files.copy(in, copy);
            return EnvironmentLoader.load(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** The variable's value; throws {@link IllegalStateException} naming it when it is unset or blank. */
    public static String required(Function<String, String> variables, String name) {
        String value = variables.apply(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    public EnvironmentConfig environment() {
        return environment;
    }

    /**
     * Closes what these dependencies opened themselves: for {@link #fromVariables}, the AWS SDK clients, the fleet's
     * token cache (its Valkey connection) and the default HTTP client; clients given to the builder stay open (their
     * owner closes them). The limiter stores are closed by whoever asked for them ({@code MarketClients}). Every
     * closer runs; the first failure is thrown after, with the others suppressed.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the handler's dependencies failed: " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public SqsClient sqs() {
        return sqs;
    }

    public Tables tables() {
        return tables;
    }

    public QueueDirectory queues() {
        return queues;
    }

    /** Called once per handler instance and market: each Lambda instance has its own connection. */
    public Function<String, LimiterStore> storeForMarket() {
        return storeForMarket;
    }

    public LimiterListener limiterListener() {
        return limiterListener;
    }

    /** Observes every market call besides the handlers' own metrics; default none. */
    public MarketCallListener marketCallListener() {
        return marketCallListener;
    }

    public HttpClient http() {
        return http;
    }

    public Clock clock() {
        return clock;
    }

    public Function<String, String> envVars() {
        return envVars;
    }

    public Duration maxLimiterWait() {
        return maxLimiterWait;
    }

    public Duration maxActionWait() {
        return maxActionWait;
    }

    public int lowMaxAttempts() {
        return lowMaxAttempts;
    }

    /** How long a market's budgets pause, for every priority, after the market refused our IP address. */
    public Duration ipPause() {
        return ipPause;
    }

    /** The sellers' secrets, when a Secrets Manager client is configured. */
    public Optional<SellerCredentialStore> sellerSecrets() {
        return sellerSecrets;
    }

    /**
     * The sellers' credentials as the adapters read them, through a cache (one per these dependencies, so every handler
     * built from them shares it); without a Secrets Manager client every seller's are missing.
     */
    public CachingCredentialSource credentials() {
        return credentials;
    }

    /** The sellers table. */
    public SellerRegistry sellers() {
        return new SellerRegistry(dynamoDb, tables.sellers());
    }

    /** Registration, listing and removal of sellers with their credentials. */
    public SellerDirectory sellerDirectory() {
        return new SellerDirectory(sellers(), sellerSecrets, this::credentialSchema, clock);
    }

    /**
     * The credential fields a seller of {@code market} registers with: its {@link Builder#adapterFactory override}'s,
     * else its adapter protocol's.
     *
     * @throws IllegalArgumentException naming the market when it is unknown or has no adapter section
     */
    public CredentialSchema credentialSchema(String market) {
        MarketAdapterFactory factory = adapterFactories.get(market);
        return factory != null ? factory.credentialSchema() : MarketAdapters.credentialSchema(environment, market);
    }

    /**
     * The adapter of {@code market}, reading the sellers' credentials from {@link #credentials()}: its
     * {@link Builder#adapterFactory override}'s, else the one its environment section's protocol makes.
     */
    public MarketAdapter adapter(String market) {
        AdapterContext context = new AdapterContext(envVars, credentials, new SharedTokens(tokenCache, clock), clock, connections);
        MarketAdapterFactory factory = adapterFactories.get(market);
        return factory != null ? factory.create(environment.market(market), context)
                : MarketAdapters.forMarket(environment, market, context);
    }

    /**
     * The sellers' consent-granted connections (Cafe24's malls) in the sellers table, sealed with the environment's token
     * key; shared by every adapter these dependencies make (one cache per handler instance).
     */
    public MallConnections connections() {
        return connections;
    }

    /** The states of consents in progress, in the sellers table. */
    public ConnectStates connectStates() {
        return new ConnectStates(dynamoDb, tables.sellers(), clock);
    }

    /** Where the fleet's market access tokens are kept (Naver's); shared by every adapter these dependencies make. */
    /** Where final actions' events go; empty when these dependencies have none (the actions handler needs it). */
    public Optional<ActionEvents> actionEvents() {
        return actionEvents;
    }

    /** The market this function serves ({@link #MARKET_VARIABLE}), if it serves one. */
    public Optional<String> servedMarket() {
        return servedMarket;
    }

    /** Whether a record an action names has been collected for its seller ({@code POST /v1/actions}). */
    public ActionTargets actionTargets() {
        return actionTargets;
    }

    public TokenCache tokenCache() {
        return tokenCache;
    }

    /** Settings; required: environment, dynamoDb, sqs, tables, queues, storeForMarket. Each other setter documents its default. */
    public static final class Builder {
        private EnvironmentConfig environment;
        private DynamoDbClient dynamoDb;
        private SqsClient sqs;
        private Tables tables;
        private QueueDirectory queues;
        private Function<String, LimiterStore> storeForMarket;
        private LimiterListener limiterListener = LimiterListener.NONE;
        private MarketCallListener marketCallListener = MarketCallListener.NONE;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private TokenCache tokenCache;
        private TokenSealer tokenSealer;
        private Function<String, String> envVars = System::getenv;
        private Duration maxLimiterWait = DEFAULT_MAX_LIMITER_WAIT;
        private Duration maxActionWait = DEFAULT_MAX_ACTION_WAIT;
        private int lowMaxAttempts = DEFAULT_LOW_MAX_ATTEMPTS;
        private Duration ipPause = DEFAULT_IP_PAUSE;
        private SecretsManagerClient secretsManager;
        private SecretDeletion secretDeletion = SecretDeletion.DEFAULT;
        private Duration credentialsTtl = CachingCredentialSource.DEFAULT_TTL;
        private final Map<String, MarketAdapterFactory> adapterFactories = new LinkedHashMap<>();
        private ActionEvents actionEvents;
        private ActionTargets actionTargets;
        private final List<AutoCloseable> owned = new java.util.ArrayList<>();
        private String servedMarket;

        private Builder() {}

        /**
         * The market this function serves ({@link HandlerDependencies#MARKET_VARIABLE}): the one its SnapStart hooks
         * prime and connect; default none (every market with queues). Must be a market of the environment.
         */
        public Builder servedMarket(String market) {
            if (market == null || market.isBlank()) {
                throw new IllegalArgumentException("servedMarket is missing");
            }
            this.servedMarket = market;
            return this;
        }

        /**
         * Closes {@code resource} when these dependencies are closed ({@link HandlerDependencies#close()}): a client or
         * cache made for them alone, such as a token cache with its own connection; default none.
         */
        public Builder closes(AutoCloseable resource) {
            owned.add(Objects.requireNonNull(resource, "resource"));
            return this;
        }

        /** Where final actions' events go ({@code MARKETGATE_EVENT_BUS}); default none, which the actions handler refuses. */
        public Builder actionEvents(ActionEvents actionEvents) {
            this.actionEvents = Objects.requireNonNull(actionEvents, "actionEvents");
            return this;
        }

        /**
         * Whether a record an action names was collected; default: orders from the orders table, no other kind (until
         * the records of the other kinds are stored).
         */
        public Builder actionTargets(ActionTargets actionTargets) {
            this.actionTargets = Objects.requireNonNull(actionTargets, "actionTargets");
            return this;
        }

        /**
         * Where the sellers' secrets are ({@code <env>/marketgate/sellers/<market>/<sellerId>}); default none: every
         * seller's credentials are missing, and the sellers API registers only markets without per-seller credentials.
         */
        public Builder secretsManager(SecretsManagerClient secretsManager) {
            this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
            return this;
        }

        /**
         * How a removed seller's secret is deleted; default {@link SecretDeletion#DEFAULT} (a 7-day recovery window). The
         * local platform deletes at once.
         */
        public Builder secretDeletion(SecretDeletion secretDeletion) {
            this.secretDeletion = Objects.requireNonNull(secretDeletion, "secretDeletion");
            return this;
        }

        /** How long a seller's credentials are used before they are read again; default 5 min ({@link CachingCredentialSource#DEFAULT_TTL}). */
        public Builder credentialsTtl(Duration credentialsTtl) {
            if (credentialsTtl == null || credentialsTtl.isNegative() || credentialsTtl.isZero()) {
                throw new IllegalArgumentException("credentialsTtl is " + credentialsTtl + ", must be positive");
            }
            this.credentialsTtl = credentialsTtl;
            return this;
        }

        /**
         * How long a market's budgets pause, for every priority, after the market refused our IP address (its allow-list
         * lacks the egress IP: every call would be refused until someone adds it); default 10 min, at most the limiter's
         * {@link LimiterControl#MAX_TTL}.
         */
        public Builder ipPause(Duration ipPause) {
            if (ipPause == null || ipPause.isNegative() || ipPause.isZero() || ipPause.compareTo(LimiterControl.MAX_TTL) > 0) {
                throw new IllegalArgumentException("ipPause is " + ipPause + ", must be positive and at most " + LimiterControl.MAX_TTL);
            }
            this.ipPause = ipPause;
            return this;
        }

        /**
         * Makes {@code market}'s adapter (and credential schema) with {@code factory} instead of the factory of its
         * environment section's protocol: a test's way to run a protocol of its own; default none.
         */
        public Builder adapterFactory(String market, MarketAdapterFactory factory) {
            adapterFactories.put(Objects.requireNonNull(market, "market"), Objects.requireNonNull(factory, "factory"));
            return this;
        }

        public Builder environment(EnvironmentConfig environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        public Builder dynamoDb(DynamoDbClient dynamoDb) {
            this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
            return this;
        }

        public Builder sqs(SqsClient sqs) {
            this.sqs = Objects.requireNonNull(sqs, "sqs");
            return this;
        }

        public Builder tables(Tables tables) {
            this.tables = Objects.requireNonNull(tables, "tables");
            return this;
        }

        public Builder queues(QueueDirectory queues) {
            this.queues = Objects.requireNonNull(queues, "queues");
            return this;
        }

        /** The limiter store of a market; called once per handler instance and market. */
        public Builder storeForMarket(Function<String, LimiterStore> storeForMarket) {
            this.storeForMarket = Objects.requireNonNull(storeForMarket, "storeForMarket");
            return this;
        }

        /** Observes the limiters' decisions besides the handlers' metrics; default {@link LimiterListener#NONE}. */
        public Builder limiterListener(LimiterListener limiterListener) {
            this.limiterListener = Objects.requireNonNull(limiterListener, "limiterListener");
            return this;
        }

        /** Observes every market call besides the handlers' metrics; default {@link MarketCallListener#NONE}. */
        public Builder marketCallListener(MarketCallListener marketCallListener) {
            this.marketCallListener = Objects.requireNonNull(marketCallListener, "marketCallListener");
            return this;
        }

        /** The HTTP client for markets; default HTTP/1.1, 5 s connect timeout, no redirects. */
        public Builder http(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** The clock for record timestamps and schedule ranges; default the system's UTC clock. */
        /**
         * Where market access tokens are kept for the fleet (Valkey in a deployment, {@code TokenCaches.forStore});
         * default a cache in this JVM, so that each instance fetches its own token.
         */
        public Builder tokenCache(TokenCache tokenCache) {
            this.tokenCache = java.util.Objects.requireNonNull(tokenCache, "tokenCache");
            return this;
        }

        /**
         * What seals the sellers' connections in the sellers table: the environment's token key
         * ({@code TokenEncryption.fromSecret}); default a key generated for this process (tests, local runs), whose
         * connections no other process can read.
         */
        public Builder tokenSealer(TokenSealer tokenSealer) {
            this.tokenSealer = Objects.requireNonNull(tokenSealer, "tokenSealer");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Environment variables, for market secrets ({@code ${env:NAME}}); default {@code System::getenv}. */
        public Builder envVars(Function<String, String> envVars) {
            this.envVars = Objects.requireNonNull(envVars, "envVars");
            return this;
        }

        /** The longest limiter wait slept through in a handler; longer ones are handed back to the queue. Default 2 s. */
        public Builder maxLimiterWait(Duration maxLimiterWait) {
            if (maxLimiterWait == null || maxLimiterWait.isNegative()) {
                throw new IllegalArgumentException("maxLimiterWait is " + maxLimiterWait + ", must be zero or positive");
            }
            this.maxLimiterWait = maxLimiterWait;
            return this;
        }

        /**
         * The longest limiter wait a HIGH action sleeps through (within the invocation's remaining time); longer ones
         * are handed back to its FIFO queue. Default 10 s, longer than {@link #maxLimiterWait}: actions are few and paid,
         * and a handed-back action comes back later than the collectors that wait in-process for the same room, so on
         * a budget without priority shares (11st's pace: limit 1) it would lose every race to bulk collection while each
         * hand-back counts as a receive towards the queue's redrive policy.
         */
        public Builder maxActionWait(Duration maxActionWait) {
            if (maxActionWait == null || maxActionWait.isNegative()) {
                throw new IllegalArgumentException("maxActionWait is " + maxActionWait + ", must be zero or positive");
            }
            this.maxActionWait = maxActionWait;
            return this;
        }

        /** Deliveries after which a LOW request gives up and is recorded FAILED; default 5. */
        public Builder lowMaxAttempts(int lowMaxAttempts) {
            if (lowMaxAttempts < 1) {
                throw new IllegalArgumentException("lowMaxAttempts is " + lowMaxAttempts + ", must be ≥ 1");
            }
            this.lowMaxAttempts = lowMaxAttempts;
            return this;
        }

        public HandlerDependencies build() {
            return new HandlerDependencies(this);
        }
    }
}
