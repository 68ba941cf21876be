package io.marketgate.cdk;

import io.marketgate.config.ConfigException;
import io.marketgate.config.EnvironmentConfig;
import io.marketgate.config.EnvironmentLoader;
import io.marketgate.config.InfrastructureConfig;
import io.marketgate.config.MarketApiConfig;
import io.marketgate.config.canary.CanaryConfig;
import io.marketgate.config.canary.CanaryConfigLoader;
import io.marketgate.config.canary.RouteState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One environment as the CDK app deploys it: {@code environments/<env>.yaml} (with its {@code infrastructure:}
 * section), {@code canary-config/<env>.yaml}, and the Lambda code asset. It prefixes every name with the
 * environment's, so that nothing collides between environments in one account.
 *
 * <pre>{@code
 * Deployment dev = Deployment.load(Path.of("."), "dev", Path.of("lambda-handlers/target/…-lambda.jar"));
 * dev.name("coupang-collector");   // "dev-coupang-collector"
 * }</pre>
 *
 * @param environment the environment file, with an infrastructure section
 * @param canary the environment's routes and their canary states
 * @param lambdaAsset the jar (or directory) every function runs
 */
public record Deployment(EnvironmentConfig environment, CanaryConfig canary, Path lambdaAsset) {

    public Deployment {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(canary, "canary");
        Objects.requireNonNull(lambdaAsset, "lambdaAsset");
        if (environment.infrastructure().isEmpty()) {
            throw new SynthesisStopped("environments/" + environment.name() + ".yaml: infrastructure: missing; required by the CDK app:"
                    + " the VPC, egress groups, Valkey, queues, functions and schedules it deploys (see environments/dev.yaml)");
        }
    }

    /**
     * Loads environment {@code env} from {@code root}'s {@code environments/} and {@code canary-config/}. Every problem
     * (no env given, an unknown one, an invalid file, a missing asset) is a {@link SynthesisStopped} whose message
     * names the file and the problem.
     */
    public static Deployment load(Path root, String env, Path lambdaAsset) {
        Path environments = root.resolve("environments");
        if (env == null || env.isBlank()) {
            throw new SynthesisStopped("no environment given: run with -c env=<name>, one of "
                    + EnvironmentLoader.environments(environments) + " (the files in " + environments + ")");
        }
        EnvironmentConfig environment;
        CanaryConfig canary;
        try {
            environment = EnvironmentLoader.load(environments, env);
            canary = CanaryConfigLoader.load(root.resolve("canary-config"), env);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new SynthesisStopped(e.getMessage());
        }
        if (!Files.exists(lambdaAsset)) {
            throw new SynthesisStopped("the handlers' jar " + lambdaAsset + " does not exist: build it with "
                    + "./mvnw -B -pl lambda-handlers -am package -DskipTests (scripts/cdk-app does when it is missing)");
        }
        Deployment deployment = new Deployment(environment, canary, lambdaAsset);
        deployment.checkAcrossFiles();
        return deployment;
    }

    /** Rules that span the two files, and the CDK app's own rules of the environment file. */
    private void checkAcrossFiles() {
        checkConsentMarketsShareOneLimiterStore();
        if (!canary.routes(RouteState.CANARY).isEmpty() && infrastructure().apiStage().auth() == InfrastructureConfig.ApiAuth.IAM) {
            throw new SynthesisStopped("environments/" + env() + ".yaml: infrastructure.apiStage.auth: must be api-keys while "
                    + "canary-config/" + env() + ".yaml has canary routes: the canary proxies a request to the origin API, which "
                    + "the caller's API key reaches but a SigV4 signature for the public API's host does not");
        }
    }

    /**
     * The API draws the code exchanges of every market whose sellers connect by consent from that market's limiter store,
     * and a function opens one store: those markets keep their budgets in one (Valkey, or the DynamoDB limiter table).
     */
    private void checkConsentMarketsShareOneLimiterStore() {
        Map<FunctionsStack.Limiter, List<String>> byStore = new TreeMap<>();
        for (String market : consentMarkets()) {
            String group = infrastructure().market(market).egressGroup();
            FunctionsStack.Limiter limiter = FunctionsStack.limiterOf(infrastructure().egressGroup(group));
            if (limiter != FunctionsStack.Limiter.NONE) {
                byStore.computeIfAbsent(limiter, l -> new ArrayList<>()).add(market + " (group " + group + ")");
            }
        }
        if (byStore.size() > 1) {
            throw new SynthesisStopped("environments/" + env() + ".yaml: infrastructure.markets.<market>.egressGroup: the markets "
                    + "whose sellers connect by consent must keep their budgets in one limiter store (the API draws their "
                    + "consents' code exchanges from it, and a function opens one store), were "
                    + byStore.entrySet().stream().map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getValue())
                            .collect(java.util.stream.Collectors.joining("; ")));
        }
    }

    /** The markets of the infrastructure section whose sellers connect by consent ({@link #connectsByConsent}). */
    public List<String> consentMarkets() {
        return infrastructure().markets().keySet().stream().filter(this::connectsByConsent).toList();
    }

    /** The environment's name. */
    public String env() {
        return environment.name();
    }

    /** The infrastructure section. */
    public InfrastructureConfig infrastructure() {
        return environment.infrastructure().orElseThrow();
    }

    /**
     * Whether the sellers of {@code market} connect their mall by their owner's consent (a per-mall protocol: Cafe24), so
     * that the fleet keeps a connection per seller, sealed with the environment's token key, in the sellers table.
     */
    public boolean connectsByConsent(String market) {
        return environment.market(market).adapter()
                .filter(a -> a instanceof MarketApiConfig api && api.type().perMall()).isPresent();
    }

    /** {@code <env>-<suffix>}: every resource name of the environment. */
    public String name(String suffix) {
        return env() + "-" + suffix;
    }

    /** A construct id part for a market or group name that may start with a digit ({@code 11st} → {@code M11st}). */
    public static String idOf(String name) {
        StringBuilder id = new StringBuilder();
        for (String part : name.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                id.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return Character.isDigit(id.charAt(0)) ? "M" + id : id.toString();
    }

    /** Stops synthesis with a message that names the file and the problem. */
    public static final class SynthesisStopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SynthesisStopped(String message) {
            super(message);
        }
    }
}
