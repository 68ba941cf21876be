package io.marketgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shaded operator's jar, as an operator runs it: {@code java -jar marketgate-cli.jar …}. */
class VersionIT {

    private static final Path JAR = Path.of(System.getProperty("marketgate.jar", "target/marketgate-cli.jar"));

    /** What a run of the jar printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {}

    private static Result exec(String... args) throws IOException, InterruptedException {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBinary, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }

    private static String run(String... args) throws IOException, InterruptedException {
        Result result = exec(args);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    @Test
    void version_prints_the_poms_version_from_the_jars_manifest() throws Exception {
        assertThat(Files.isRegularFile(JAR)).as(JAR + " is built").isTrue();

        assertThat(run("--version").strip()).isEqualTo("marketgate " + System.getProperty("marketgate.pomVersion"));
    }

    @Test
    void the_jar_starts_without_warnings_and_lists_the_operator_commands() throws Exception {
        String help = run("--help");

        assertThat(help).startsWith("Usage: marketgate").contains("limiter").contains("canary").doesNotContain("bench")
                .doesNotContain("SLF4J");
    }

    @Test
    void a_limiter_command_opens_its_store_without_the_jvms_native_access_warning() throws Exception {
        // GIVEN a store where nothing listens: the connection attempt loads Netty's native transport
        Result result = exec("limiter", "status", "--market", "11st", "--environments", "../environments", "--valkey", "redis://127.0.0.1:1");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.output()).startsWith("marketgate: ").contains("127.0.0.1:1")
                .doesNotContain("WARNING: A restricted method").doesNotContain("SLF4J");
    }
}
