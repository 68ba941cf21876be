package io.marketgate.cdk;

import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.InfrastructureConfig.Consumer;
import io.marketgate.config.InfrastructureConfig.EgressGroup;
import io.marketgate.config.InfrastructureConfig.LimiterStoreKind;
import io.marketgate.config.InfrastructureConfig.FunctionSize;
import io.marketgate.config.InfrastructureConfig.MarketInfrastructure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Every function of the environment, each a {@link ReleasedFunction}: per market a collector
 * ({@code <env>-<market>-collector}, the collection queue's consumer) and an actions consumer
 * ({@code <env>-<market>-actions}, the FIFO action queue's), in the market's egress group: a fixed-IP group's
 * subnets, or outside the VPC for a dynamic-IP group; with the group's limiter store: the Valkey (its cluster and user
 * secret) or the DynamoDB limiter table ({@code MARKETGATE_LIMITER_TABLE}, read and written, and no Valkey secret); and
 * the API ({@code <env>-api}), the scheduler fan-out ({@code <env>-scheduler}) and the background job worker
 * ({@code <env>-job-worker}) in the platform group's subnets. Each is allowed exactly the actions it uses on exactly its
 * tables, queues, bucket, secrets and functions: a market's consumers read only that market's sellers' secrets
 * ({@code <env>/marketgate/sellers/<market>/*}); the API registers and removes every seller's secret and reads none,
 * except those of the markets whose sellers connect by consent. The actions consumers put their final actions' events
 * on the environment's actions bus ({@code MARKETGATE_EVENT_BUS}, {@code events:PutEvents} on that bus only); no other
 * function may.
 *
 * <p>The environment's token key ({@code <env>-token-key}, {@code MARKETGATE_TOKEN_KEY_SECRET}) goes to the consumers
 * of a Valkey group (the access tokens the fleet shares there) and, wherever they run, to the consumers of a market
 * whose sellers connect by consent (Cafe24: each seller's connection, sealed in the sellers table, opened and written
 * again at every refresh with conditional UpdateItems). For such markets the API completes the consent: it reads the
 * market's sellers' secrets (the app's client secret for the code's exchange), draws the exchange from the market's
 * limiter store (the Valkey, joining the limiter clients' security group, or the limiter table) and seals the
 * connection with the token key.
 */
public final class FunctionsStack extends Stack {

    static final String HANDLERS = "io.marketgate.handlers.";
    /** deployed-store's {@code StoreLocation.TABLE}. */
    static final String LIMITER_TABLE_VARIABLE = "MARKETGATE_LIMITER_TABLE";
    /** deployed-store's {@code TokenCaches.KEY_SECRET}: the secret of the environment's token key. */
    static final String TOKEN_KEY_VARIABLE = "MARKETGATE_TOKEN_KEY_SECRET";
    /** deployed-store's {@code StoreLocation.CLUSTER} and {@code StoreLocation.SECRET}. */
    static final String VALKEY_CLUSTER_VARIABLE = "MARKETGATE_VALKEY_CLUSTER";
    static final String VALKEY_SECRET_VARIABLE = "MARKETGATE_VALKEY_SECRET";
    static final String COLLECTOR_HANDLER = HANDLERS + "CollectorHandler::handleRequest";
    static final String ACTIONS_HANDLER = HANDLERS + "ActionsHandler::handleRequest";
    static final String SCHEDULER_HANDLER = HANDLERS + "SchedulerHandler::handleRequest";
    static final String API_HANDLER = HANDLERS + "ApiHandler::handleRequest";
    static final String JOB_WORKER_HANDLER = HANDLERS + "JobWorkerHandler::handleRequest";
    /** lambda-handlers' {@code HandlerDependencies.EVENT_BUS_VARIABLE}: the bus the actions' events go to. */
    static final String EVENT_BUS_VARIABLE = "MARKETGATE_EVENT_BUS";
    /**
     * lambda-handlers' {@code HandlerDependencies.MARKET_VARIABLE}: the market a consumer serves, whose client its
     * SnapStart hooks prime before the snapshot and connect after a restore (every function gets every market's queues).
     */
    static final String MARKET_VARIABLE = "MARKETGATE_MARKET";
    /** What an actions consumer does with the environment's actions bus: put events on it. */
    static final List<String> EVENTS_PUT = List.of("events:PutEvents");

    /** The key prefix of export results in the export bucket. */
    static final String EXPORT_PREFIX = "exports/";
    static final List<String> TABLE_READ = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
            "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable");
    static final List<String> TABLE_WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem");
    /** What a market's collector and actions consumer may do with its sellers' secrets: read them. */
    static final List<String> SELLER_SECRET_READ = List.of("secretsmanager:GetSecretValue");
    /** What a function does with the secrets it reads at cold start (the Valkey user's, the token key). */
    static final List<String> SECRET_READ = List.of("secretsmanager:GetSecretValue");
    /**
     * What the API may do with every seller's secret: register (create, tag, put a value, restore a secret whose deletion
     * was scheduled), undo a registration (move AWSCURRENT back), remove; never read a value.
     */
    static final List<String> SELLER_SECRET_MANAGE = List.of("secretsmanager:CreateSecret", "secretsmanager:TagResource",
            "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:RestoreSecret",
            "secretsmanager:UpdateSecretVersionStage", "secretsmanager:DeleteSecret");

    /** What the DynamoDB limiter store does with its table: strongly consistent reads, and conditional puts. */
    static final List<String> LIMITER_TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:PutItem");

    private final Deployment deployment;
    /** One asset for every function: the handlers' jar. */
    private final Code code;
    private final Map<String, ReleasedFunction> collectors = new LinkedHashMap<>();
    private final Map<String, ReleasedFunction> actions = new LinkedHashMap<>();
    private final ReleasedFunction api;
    private final ReleasedFunction scheduler;
    private final ReleasedFunction jobWorker;

    public FunctionsStack(Construct scope, String id, StackProps props, Deployment deployment, NetworkStack network,
            ValkeyStack valkey, StateStack state, MessagingStack messaging, AlertsStack alerts) {
        super(scope, id, props);
        this.deployment = deployment;
        InfrastructureConfig infra = deployment.infrastructure();
        code = Code.fromAsset(deployment.lambdaAsset().toString());
        LambdaApplication application = LambdaApplication.Builder.create(this, "Application")
                .applicationName(deployment.name("marketgate")).build();

        Map<String, String> shared = new LinkedHashMap<>();
        shared.put("MARKETGATE_ENV", deployment.env());
        shared.put("POWERTOOLS_METRICS_NAMESPACE", "marketgate");
        shared.put("POWERTOOLS_LOG_LEVEL", "INFO");
        shared.put("MARKETGATE_TABLE_ORDERS", state.orders().getTableName());
        shared.put("MARKETGATE_TABLE_REQUESTS", state.requests().getTableName());
        shared.put("MARKETGATE_TABLE_SELLERS", state.sellers().getTableName());
        shared.put("MARKETGATE_TABLE_IDEMPOTENCY", state.idempotency().getTableName());
        messaging.markets().forEach((market, queues) -> {
            shared.put(queueVariable(market, "COLLECT"), queues.collect().getQueueUrl());
            shared.put(queueVariable(market, "ACTIONS"), queues.actions().getQueueUrl());
        });
        for (MarketInfrastructure market : infra.markets().values()) {
            MarketQueues queues = messaging.market(market.market());
            String idPart = Deployment.idOf(market.market());
            EgressGroup group = infra.egressGroup(market.egressGroup());
            boolean consent = deployment.connectsByConsent(market.market());
            Map<String, String> environment = new LinkedHashMap<>(shared);
            environment.putAll(limiterVariables(limiterOf(group), valkey, state));
            environment.put(MARKET_VARIABLE, market.market());
            if (needsTokenKey(group, consent)) {
                environment.put(TOKEN_KEY_VARIABLE, valkey.tokenKey().getSecretArn());
            }
            ReleasedFunction collector = consumer("Collector" + idPart, market.market() + "-collector", COLLECTOR_HANDLER,
                    "Collects " + market.market() + " for the collection queue's requests", market.collector(), environment,
                    network, group, queues.collect(), application);
            allowTables(collector, List.of(state.orders(), state.requests()), List.of(state.sellers()));
            allowLimiter(collector, limiterOf(group), valkey, state);
            allowTokenKey(collector, group, consent, valkey);
            allowSellers(collector, state, market.market());
            collectors.put(market.market(), collector);

            Map<String, String> actorEnvironment = new LinkedHashMap<>(environment);
            actorEnvironment.put(EVENT_BUS_VARIABLE, messaging.actionsBus().getEventBusName());
            ReleasedFunction actor = consumer("Actions" + idPart, market.market() + "-actions", ACTIONS_HANDLER,
                    "Runs " + market.market() + " actions from the FIFO action queue", market.actions(), actorEnvironment,
                    network, group, queues.actions(), application);
            allowTables(actor, List.of(state.idempotency(), state.requests()), List.of(state.sellers()));
            allowLimiter(actor, limiterOf(group), valkey, state);
            allowTokenKey(actor, group, consent, valkey);
            allowSellers(actor, state, market.market());
            // a final action's event (Action Done / Action Failed) goes to the environment's actions bus, and only there
            actor.allow(EVENTS_PUT, List.of(messaging.actionsBus().getEventBusArn()));
            actions.put(market.market(), actor);
        }

        List<String> collectQueues = messaging.markets().values().stream().map(q -> q.collect().getQueueArn()).toList();
        List<String> allQueues = new ArrayList<>(collectQueues);
        messaging.markets().values().forEach(q -> allQueues.add(q.actions().getQueueArn()));

        jobWorker = platform("JobWorker", "job-worker", JOB_WORKER_HANDLER, "Runs background jobs (exports, bulk edits)",
                infra.functions().jobWorker(), jobEnvironment(shared, state, null), network, List.of(network.platformFunctions()),
                application);
        allowTables(jobWorker, List.of(state.jobs()), List.of(state.orders()));
        allowExports(jobWorker, state);
        // the API starts a job once (InvocationType Event); Lambda's own retries would start a second worker on a job
        // the first may still run, so a failed run is left to the job's heartbeat, which reports it failed
        jobWorker.alias().configureAsyncInvoke(EventInvokeConfigOptions.builder().retryAttempts(0).build());

        // the API completes the consents of the markets whose sellers connect by consent (Cafe24): it reads the seller's
        // app secret for the code's exchange, draws the exchange from the market's limiter and seals the connection
        List<String> consentMarkets = deployment.consentMarkets();
        Limiter consentLimiter = consentLimiter(infra, consentMarkets);
        Map<String, String> apiEnvironment = jobEnvironment(shared, state, jobWorker);
        if (!consentMarkets.isEmpty()) {
            apiEnvironment.putAll(limiterVariables(consentLimiter, valkey, state));
            apiEnvironment.put(TOKEN_KEY_VARIABLE, valkey.tokenKey().getSecretArn());
        }
        List<ISecurityGroup> apiGroups = new ArrayList<>(List.of(network.platformFunctions()));
        if (consentLimiter == Limiter.VALKEY) {
            // Valkey admits the limiter clients only
            apiGroups.add(network.limiterClients());
        }
        api = platform("Api", "api", API_HANDLER, "Serves the public API's migrated and canary routes", infra.functions().api(),
                apiEnvironment, network, apiGroups, application);
        allowTables(api, List.of(state.requests(), state.jobs(), state.idempotency(), state.sellers()), List.of(state.orders()));
        allowExports(api, state);
        // the API registers and removes sellers of every market: it writes their secrets, and never reads one
        api.allow(SELLER_SECRET_MANAGE, List.of(sellerSecretsArn(deployment, null)));
        NagAcknowledgements.of(this).acknowledge(api.role(), "AwsSolutions-IAM5[Resource::" + nagArn(sellerSecretsArn(deployment, null)) + "]",
                "The API registers and removes the sellers of every market: one secret per seller, named "
                        + "<env>/marketgate/sellers/<market>/<sellerId>, created at registration, so the names are not known "
                        + "before; nothing outside that prefix is allowed, and no secret's value may be read");
        api.allow(List.of("sqs:SendMessage"), allQueues);
        api.allow(List.of("lambda:InvokeFunction"), List.of(jobWorker.alias().getFunctionArn()));
        allowConsents(api, consentMarkets, consentLimiter, valkey, state);

        // the scheduler also keeps consent-granted connections alive (FanOutService.keepAlive): a Query of the market's
        // connections in the sellers table and a collection request each; it never opens a sealed token. Its tracking
        // runs (FanOutService.trackUnfinished) Query the orders table's tracking items and mark and delete the ones given up
        scheduler = platform("Scheduler", "scheduler", SCHEDULER_HANDLER, "Fans a schedule out into collection requests",
                infra.functions().scheduler(), shared, network, List.of(network.platformFunctions()), application);
        allowTables(scheduler, List.of(state.requests(), state.orders()), List.of(state.sellers()));
        scheduler.allow(List.of("sqs:SendMessage"), collectQueues);

        // each function's errors alarm rolls its deployment back and pages on-call
        all().forEach(f -> f.errors().addAlarmAction(new SnsAction(alerts.topic())));

        NagAcknowledgements.of(this).acknowledge(this, "AwsSolutions-L1", "The handlers are built for Java 21 (the project's "
                + "bytecode level, with SnapStart); moving to a newer runtime is a build change, not a deployment setting");
        acknowledgeDeploymentRoles();
    }

    private ReleasedFunction consumer(String id, String name, String handler, String description, Consumer consumer,
            Map<String, String> environment, NetworkStack network, EgressGroup group, Queue queue, LambdaApplication application) {
        // a fixed-IP group's functions leave through its NAT gateways; a dynamic group's run outside the VPC
        boolean inVpc = group.fixedIp();
        ReleasedFunction f = new ReleasedFunction(this, id, new ReleasedFunction.Props(deployment.name(name), handler, description,
                consumer.size(), withService(environment, name), deployment.infrastructure().logRetentionDays(),
                deployment.infrastructure().deployment(), inVpc ? network.vpc() : null, inVpc ? network.subnetsOf(group.name()) : null,
                inVpc ? List.<ISecurityGroup>of(network.limiterClients()) : null), code, application);
        f.alias().addEventSource(new SqsEventSource(queue, SqsEventSourceProps.builder()
                .batchSize(consumer.batchSize())
                .maxConcurrency(consumer.maxConcurrency())
                .reportBatchItemFailures(true)
                .build()));
        return f;
    }

    private ReleasedFunction platform(String id, String name, String handler, String description, FunctionSize size,
            Map<String, String> environment, NetworkStack network, List<ISecurityGroup> securityGroups, LambdaApplication application) {
        return new ReleasedFunction(this, id, new ReleasedFunction.Props(deployment.name(name), handler, description, size,
                withService(environment, name), deployment.infrastructure().logRetentionDays(),
                deployment.infrastructure().deployment(), network.vpc(), network.platformSubnets(), securityGroups), code, application);
    }

    private static Map<String, String> withService(Map<String, String> environment, String name) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("POWERTOOLS_SERVICE_NAME", name);
        return env;
    }

    private static Map<String, String> jobEnvironment(Map<String, String> shared, StateStack state, ReleasedFunction worker) {
        Map<String, String> env = new LinkedHashMap<>(shared);
        env.put("MARKETGATE_JOBS_TABLE", state.jobs().getTableName());
        env.put("MARKETGATE_EXPORT_BUCKET", state.exports().getBucketName());
        if (worker != null) {
            env.put("MARKETGATE_JOB_WORKER_FUNCTION", worker.alias().getFunctionArn());
        }
        return env;
    }

    private static void allowTables(ReleasedFunction f, List<Table> readWrite, List<Table> read) {
        List<String> rw = readWrite.stream().map(Table::getTableArn).toList();
        List<String> all = new ArrayList<>(rw);
        read.forEach(t -> all.add(t.getTableArn()));
        f.allow(TABLE_READ, all);
        f.allow(TABLE_WRITE, rw);
    }

    private void allowExports(ReleasedFunction f, StateStack state) {
        f.allow(List.of("s3:PutObject", "s3:GetObject"), List.of(StateStack.exportObjectsArn(deployment, EXPORT_PREFIX)));
        NagAcknowledgements.of(this).acknowledge(f.role(), "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::"
                + deployment.name("marketgate-exports-") + "<AWS::AccountId>-<AWS::Region>/" + EXPORT_PREFIX + "*]",
                "Each job writes and reads its own new object under " + EXPORT_PREFIX + " of the export bucket; object keys "
                        + "are not known before the job runs, and nothing outside that prefix is allowed");
    }

    /**
     * A market's consumer reads the secrets of that market's sellers only, and marks a seller
     * {@code credentials-rejected} or {@code reconnect-required} in the sellers table (UpdateItem), where it also claims,
     * writes and marks its sellers' connections (conditional UpdateItems; reading them is the table's read access).
     */
    private void allowSellers(ReleasedFunction f, StateStack state, String market) {
        String secrets = sellerSecretsArn(deployment, market);
        f.allow(SELLER_SECRET_READ, List.of(secrets));
        f.allow(List.of("dynamodb:UpdateItem"), List.of(state.sellers().getTableArn()));
        NagAcknowledgements.of(this).acknowledge(f.role(), "AwsSolutions-IAM5[Resource::" + nagArn(secrets) + "]",
                "Each seller of " + market + " has a secret of its own (<env>/marketgate/sellers/" + market + "/<sellerId>), "
                        + "registered while the function runs; the function reads only its market's sellers' secrets");
    }

    /**
     * The ARN pattern of the sellers' secrets of {@code market} ({@code <env>/marketgate/sellers/<market>/*}), or of every
     * market when {@code market} is null ({@code <env>/marketgate/sellers/*}); Secrets Manager appends six characters
     * to a secret's name in its ARN, which the trailing {@code *} covers.
     */
    static String sellerSecretsArn(Deployment deployment, String market) {
        return "arn:" + Aws.PARTITION + ":secretsmanager:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":secret:" + deployment.env()
                + "/marketgate/sellers/" + (market == null ? "" : market + "/") + "*";
    }

    /** {@code arn} as cdk-nag prints a resource: pseudo parameters as {@code <AWS::Region>}. */
    private static String nagArn(String arn) {
        return arn.replace(Aws.PARTITION, "<AWS::Partition>").replace(Aws.REGION, "<AWS::Region>")
                .replace(Aws.ACCOUNT_ID, "<AWS::AccountId>");
    }

    /** Where a group's functions keep the limiter's budgets. */
    enum Limiter {
        /** The environment's Valkey, inside the VPC. */
        VALKEY,
        /** The DynamoDB limiter table. */
        DYNAMODB,
        /** None: a dynamic group on Valkey, which it cannot reach (its markets have no budgets: the configuration says so). */
        NONE
    }

    static Limiter limiterOf(EgressGroup group) {
        if (group.limiterStore() == LimiterStoreKind.DYNAMODB) {
            return Limiter.DYNAMODB;
        }
        return group.fixedIp() ? Limiter.VALKEY : Limiter.NONE;
    }

    /** The variables that open {@code limiter}: the Valkey cluster and its user's secret, or the limiter table. */
    private static Map<String, String> limiterVariables(Limiter limiter, ValkeyStack valkey, StateStack state) {
        Map<String, String> variables = new LinkedHashMap<>();
        switch (limiter) {
            case VALKEY -> {
                variables.put(VALKEY_SECRET_VARIABLE, valkey.credentials().getSecretArn());
                variables.put(VALKEY_CLUSTER_VARIABLE, valkey.endpoint());
            }
            // the DynamoDB limiter store, which a function outside the VPC reaches
            case DYNAMODB -> variables.put(LIMITER_TABLE_VARIABLE, state.limiter().orElseThrow().getTableName());
            case NONE -> { }
        }
        return variables;
    }

    /** Read and write the limiter store: the Valkey user's secret, or the limiter table alone. */
    private static void allowLimiter(ReleasedFunction f, Limiter limiter, ValkeyStack valkey, StateStack state) {
        switch (limiter) {
            case VALKEY -> f.allow(SECRET_READ, List.of(valkey.credentials().getSecretArn()));
            case DYNAMODB -> f.allow(LIMITER_TABLE_ACTIONS, List.of(state.limiter().orElseThrow().getTableArn()));
            case NONE -> { }
        }
    }

    /**
     * Whether a market's consumers need the environment's token key: to share access tokens in the group's Valkey
     * (Naver's), or to open and seal their sellers' connections (a market whose sellers connect by consent, wherever it
     * runs).
     */
    static boolean needsTokenKey(EgressGroup group, boolean connectsByConsent) {
        return connectsByConsent || limiterOf(group) == Limiter.VALKEY;
    }

    private static void allowTokenKey(ReleasedFunction f, EgressGroup group, boolean connectsByConsent, ValkeyStack valkey) {
        if (needsTokenKey(group, connectsByConsent)) {
            f.allow(SECRET_READ, List.of(valkey.tokenKey().getSecretArn()));
        }
    }

    /**
     * The one limiter store the API draws the consents' code exchanges from: the consent markets' groups' (the
     * deployment checked that they share one); {@link Limiter#NONE} without consent markets.
     */
    private static Limiter consentLimiter(InfrastructureConfig infra, List<String> consentMarkets) {
        return consentMarkets.stream().map(m -> limiterOf(infra.egressGroup(infra.market(m).egressGroup())))
                .filter(l -> l != Limiter.NONE).findFirst().orElse(Limiter.NONE);
    }

    /**
     * What the API needs to complete the consents of {@code markets}: read those markets' sellers' secrets (the app's
     * client secret, for the code's exchange), draw from their limiter store, and seal the connection with the token key.
     */
    private void allowConsents(ReleasedFunction api, List<String> markets, Limiter limiter, ValkeyStack valkey, StateStack state) {
        if (markets.isEmpty()) {
            return;
        }
        for (String market : markets) {
            String secrets = sellerSecretsArn(deployment, market);
            api.allow(SELLER_SECRET_READ, List.of(secrets));
            NagAcknowledgements.of(this).acknowledge(api.role(), "AwsSolutions-IAM5[Resource::" + nagArn(secrets) + "]",
                    "The API exchanges a consent's code with the app of the seller of " + market + " whose consent it is: one "
                            + "secret per seller (<env>/marketgate/sellers/" + market + "/<sellerId>), registered while the API runs; "
                            + "it reads only the secrets of markets whose sellers connect by consent");
        }
        allowLimiter(api, limiter, valkey, state);
        api.allow(SECRET_READ, List.of(valkey.tokenKey().getSecretArn()));
    }

    private void acknowledgeDeploymentRoles() {
        NagAcknowledgements.of(this).acknowledge(this, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]",
                "CodeDeploy's service role for Lambda deployments uses AWS's limited managed policy, which only shifts aliases "
                        + "and reads the deployment's alarms");
    }

    /**
     * The variable of a market's queue URL, as lambda-handlers' {@code HandlerDependencies.queueVariable} reads it:
     * {@code MARKETGATE_QUEUE_<MARKET>_<which>}, the market upper-cased with every other character as '_'.
     */
    static String queueVariable(String market, String which) {
        return "MARKETGATE_QUEUE_" + market.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_" + which;
    }

    public Map<String, ReleasedFunction> collectors() {
        return collectors;
    }

    public Map<String, ReleasedFunction> actions() {
        return actions;
    }

    public ReleasedFunction api() {
        return api;
    }

    public ReleasedFunction scheduler() {
        return scheduler;
    }

    public ReleasedFunction jobWorker() {
        return jobWorker;
    }

    /** Every function, collectors and actions first. */
    public List<ReleasedFunction> all() {
        List<ReleasedFunction> all = new ArrayList<>(collectors.values());
        all.addAll(actions.values());
        all.addAll(List.of(api, scheduler, jobWorker));
        return all;
    }
}
