package io.marketgate.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Validations;

/**
 * The CDK app: one environment per synthesis, named by {@code -c env=<name>}, from {@code environments/<env>.yaml} and
 * {@code canary-config/<env>.yaml}. Stacks per concern, named {@code marketgate-<env>-<concern>}: network, valkey,
 * state, messaging, alerts, functions, api, schedules, observability. cdk-nag's AwsSolutions pack checks every stack.
 *
 * <pre>
 * npx aws-cdk@2 synth -c env=dev            # cdk.json runs scripts/cdk-app, which runs this class
 * npx aws-cdk@2 deploy --all -c env=prod
 * </pre>
 *
 * <p>Context: {@code env} (required), {@code root} (the repository, default the working directory) and
 * {@code lambdaAsset} (the handlers' jar, default the one in {@value #HANDLERS_TARGET} under the root). Account and region come from
 * the environment file, else from the CLI's defaults ({@code CDK_DEFAULT_ACCOUNT}, {@code CDK_DEFAULT_REGION}).
 */
public final class MarketgateApp {

    /** Where {@code ./mvnw -pl lambda-handlers package} puts the shaded jar with every dependency, under the root. */
    public static final String HANDLERS_TARGET = "lambda-handlers/target";
    /** The shade plugin's name for that jar: {@code marketgate-lambda-handlers-<version>-lambda.jar}. */
    public static final Pattern HANDLERS_JAR = Pattern.compile("marketgate-lambda-handlers-.+-lambda\\.jar");

    /** The stacks of one environment. */
    public record Stacks(NetworkStack network, ValkeyStack valkey, StateStack state, MessagingStack messaging, AlertsStack alerts,
            FunctionsStack functions, ApiStack api, SchedulesStack schedules, ObservabilityStack observability) {
        public List<Stack> all() {
            return List.of(network, valkey, state, messaging, alerts, functions, api, schedules, observability);
        }
    }

    private MarketgateApp() {}

    public static void main(String[] args) {
        App app = new App();
        try {
            Object env = app.getNode().tryGetContext("env");
            Object root = app.getNode().tryGetContext("root");
            Object asset = app.getNode().tryGetContext("lambdaAsset");
            Path rootDir = Path.of(root == null ? "." : root.toString());
            Path assetPath = asset == null ? handlersJar(rootDir) : Path.of(asset.toString());
            Deployment deployment = Deployment.load(rootDir, env == null ? null : env.toString(), assetPath);
            build(app, deployment);
            Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        } catch (Deployment.SynthesisStopped e) {
            System.err.println("marketgate: synthesis stopped: " + e.getMessage());
            System.exit(1);
        }
        app.synth();
    }

    /** Adds the stacks of {@code deployment} to {@code app}. */
    public static Stacks build(App app, Deployment deployment) {
        String env = deployment.env();
        // strong cross-stack references (CloudFormation exports): a stack cannot delete what another still uses
        app.getNode().setContext("@aws-cdk/core:defaultCrossStackReferences", "strong");
        StackProps props = StackProps.builder()
                .env(Environment.builder()
                        .account(deployment.environment().aws().account().orElse(System.getenv("CDK_DEFAULT_ACCOUNT")))
                        .region(deployment.environment().aws().region().orElse(System.getenv("CDK_DEFAULT_REGION")))
                        .build())
                .tags(Map.of("marketgate:environment", env))
                .build();
        NetworkStack network = new NetworkStack(app, stackName(env, "network"), described(props, "VPC, fixed egress IPs"), deployment);
        ValkeyStack valkey = new ValkeyStack(app, stackName(env, "valkey"), described(props, "the limiter's Valkey"), deployment, network);
        StateStack state = new StateStack(app, stackName(env, "state"), described(props, "tables and the export bucket"), deployment);
        MessagingStack messaging = new MessagingStack(app, stackName(env, "messaging"), described(props, "per-market queues"), deployment);
        AlertsStack alerts = new AlertsStack(app, stackName(env, "alerts"), described(props, "the alarms' topic"), deployment);
        FunctionsStack functions = new FunctionsStack(app, stackName(env, "functions"), described(props, "Lambda functions"),
                deployment, network, valkey, state, messaging, alerts);
        ApiStack api = new ApiStack(app, stackName(env, "api"), described(props, "REST API with canary"), deployment, functions);
        SchedulesStack schedules = new SchedulesStack(app, stackName(env, "schedules"), described(props, "EventBridge schedules"),
                deployment, functions);
        ObservabilityStack observability = new ObservabilityStack(app, stackName(env, "observability"),
                described(props, "alarms and dashboard"), deployment, messaging, functions, valkey, api, alerts);
        Tags.of(app).add("marketgate:environment", env);
        return new Stacks(network, valkey, state, messaging, alerts, functions, api, schedules, observability);
    }

    /**
     * The handlers' Lambda jar under {@code root}: the {@link #HANDLERS_JAR} in {@value #HANDLERS_TARGET}, or, when
     * there is none, the path where it would be (so that the message of the missing asset names it).
     */
    public static Path handlersJar(Path root) {
        Path target = root.resolve(HANDLERS_TARGET);
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(f -> HANDLERS_JAR.matcher(f.getFileName().toString()).matches()).sorted().findFirst()
                    .orElse(target.resolve("marketgate-lambda-handlers-<version>-lambda.jar"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code marketgate-<env>-<concern>}. */
    public static String stackName(String env, String concern) {
        return "marketgate-" + env + "-" + concern;
    }

    private static StackProps described(StackProps props, String what) {
        return StackProps.builder().env(props.getEnv()).tags(props.getTags()).description("marketgate: " + what).build();
    }
}
