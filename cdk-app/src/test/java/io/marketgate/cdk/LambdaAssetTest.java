package io.marketgate.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functions run the handlers' shaded jar: the one the shade plugin writes, found where the CDK app looks. */
class LambdaAssetTest {

    @Test
    void the_app_looks_for_the_jar_the_shade_plugin_writes() throws IOException {
        String pom = Files.readString(Synthesized.ROOT.resolve("lambda-handlers/pom.xml"));
        assertThat(pom).contains("<artifactId>maven-shade-plugin</artifactId>").contains("<shadedClassifierName>lambda</shadedClassifierName>")
                .contains("Log4j2PluginCacheFileTransformer");   // Powertools' JSON layout and log4j-core's appenders, both
        assertThat(MarketgateApp.HANDLERS_JAR.matcher("marketgate-lambda-handlers-0.1.0-SNAPSHOT-lambda.jar").matches()).isTrue();
        assertThat(MarketgateApp.HANDLERS_JAR.matcher("marketgate-lambda-handlers-0.1.0-SNAPSHOT.jar").matches()).isFalse();
    }

    @Test
    void a_jar_in_lambda_handlers_target_is_the_asset_of_every_function(@TempDir Path root) throws IOException {
        // GIVEN a repository whose lambda-handlers/target holds the shaded jar
        Files.createDirectories(root.resolve("environments"));
        Files.createDirectories(root.resolve("canary-config"));
        Files.copy(Synthesized.ROOT.resolve("environments/dev.yaml"), root.resolve("environments/dev.yaml"));
        Files.copy(Synthesized.ROOT.resolve("canary-config/dev.yaml"), root.resolve("canary-config/dev.yaml"));
        Path target = Files.createDirectories(root.resolve(MarketgateApp.HANDLERS_TARGET));
        Path jar = target.resolve("marketgate-lambda-handlers-9.9.9-lambda.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("io/marketgate/handlers/"));
        }
        Files.writeString(target.resolve("marketgate-lambda-handlers-9.9.9.jar"), "not the shaded one");
        // WHEN the app finds its asset as MarketgateApp.main does, and synthesizes
        Path found = MarketgateApp.handlersJar(root);
        Synthesized s = Synthesized.synthesize(Deployment.load(root, "dev", found));
        // THEN that jar is every function's code, as a file asset (uploaded as is)
        assertThat(found).isEqualTo(jar);
        assertThat(Resources.properties(s.template(s.stacks.functions()), "AWS::Lambda::Function"))
                .allSatisfy(f -> assertThat(String.valueOf(Resources.at(f, "Code", "S3Key"))).endsWith(".jar"));
        String assets = Files.readString(s.outdir.resolve(s.stacks.functions().getStackName() + ".assets.json"));
        assertThat(assets).contains("\"packaging\": \"file\"").contains(".jar");
    }

    @Test
    void without_a_jar_the_missing_asset_names_where_it_should_be(@TempDir Path root) {
        assertThat(MarketgateApp.handlersJar(root).toString()).endsWith("lambda-handlers/target/marketgate-lambda-handlers-<version>-lambda.jar");
    }
}
