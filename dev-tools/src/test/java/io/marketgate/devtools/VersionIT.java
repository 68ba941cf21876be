package io.marketgate.devtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded developer jar, as ./marketgate runs it. */
class VersionIT {

    private static final Path JAR = Path.of(System.getProperty("marketgate.jar", "target/marketgate-dev.jar"));

    private static String run(String... args) throws IOException, InterruptedException {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBinary, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }

    @Test
    void version_prints_the_poms_version_from_the_jars_manifest() throws Exception {
        assertThat(Files.isRegularFile(JAR)).as(JAR + " is built").isTrue();

        assertThat(run("--version").strip()).isEqualTo("marketgate " + System.getProperty("marketgate.pomVersion"));
    }

    @Test
    void the_jar_starts_without_warnings_and_lists_the_operator_commands() throws Exception {
        String help = run("--help");

        assertThat(help).startsWith("Usage: marketgate").contains("limiter").contains("canary").contains("bench").contains("simulate")
                .doesNotContain("SLF4J");
    }
}
