package io.marketgate.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.assertions.Template;

/**
 * The shipped environments, each synthesized once per test run (with cdk-nag's AwsSolutions pack, as
 * {@link MarketgateApp#main} runs it) and shared by every test class: synthesis is the slow part.
 */
final class Synthesized {

    /** The repository: tests run in {@code cdk-app/}. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** A small directory instead of the shaded jar, so that the tests do not need lambda-handlers packaged. */
    static final Path TEST_ASSET = Path.of("src/test/resources/lambda-asset").toAbsolutePath();

    private static final Map<String, Synthesized> CACHE = new ConcurrentHashMap<>();

    final Deployment deployment;
    final MarketgateApp.Stacks stacks;
    final Path outdir;
    private final Map<Stack, Template> templates = new ConcurrentHashMap<>();

    private Synthesized(Deployment deployment, MarketgateApp.Stacks stacks, Path outdir) {
        this.deployment = deployment;
        this.stacks = stacks;
        this.outdir = outdir;
    }

    /** Environment {@code env} of the repository, synthesized with cdk-nag. */
    static Synthesized environment(String env) {
        return CACHE.computeIfAbsent(env, e -> synthesize(Deployment.load(ROOT, e, TEST_ASSET)));
    }

    /** {@code deployment} synthesized with cdk-nag (not cached). */
    static Synthesized synthesize(Deployment deployment) {
        Path outdir;
        try {
            outdir = Files.createTempDirectory("cdk-" + deployment.env());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(outdir)));
        App app = new App(AppProps.builder().outdir(outdir.toString())
                .context(Map.of("@aws-cdk/core:validationReportJson", true)).build());
        MarketgateApp.Stacks stacks = MarketgateApp.build(app, deployment);
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        try {
            app.synth();
        } catch (RuntimeException e) {
            throw new AssertionError("synthesis of " + deployment.env() + " failed: " + e.getMessage() + "\n" + report(outdir), e);
        }
        return new Synthesized(deployment, stacks, outdir);
    }

    /** cdk-nag's report of the synthesis, or a note that there is none. */
    static String report(Path outdir) {
        Path report = outdir.resolve("policy-validation-report.json");
        try {
            return Files.exists(report) ? Files.readString(report) : "(no policy-validation-report.json in " + outdir + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a synthesis's cloud assembly when the test JVM ends; what cannot be removed stays in the temp dir. */
    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // the temp directory is the system's to clean then
        }
    }

    Template template(Stack stack) {
        return templates.computeIfAbsent(stack, Template::fromStack);
    }
}
