package io.marketgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalEndpointsTest {

    @TempDir
    Path dir;

    private final LocalEndpoints endpoints = new LocalEndpoints("dev", URI.create("http://127.0.0.1:8080"),
            Optional.of("redis://127.0.0.1:6390"), URI.create("http://127.0.0.1:9324"), URI.create("http://127.0.0.1:8000"),
            Optional.empty(), Optional.of(URI.create("http://127.0.0.1:4567")), ProcessHandle.current().pid());

    @Test
    void what_local_up_writes_an_operator_command_reads_back() {
        Path file = dir.resolve(".marketgate/local.json");

        LocalEndpoints.write(file, endpoints);

        assertThat(LocalEndpoints.read(file)).isEqualTo(endpoints);
    }

    @Test
    void a_missing_file_says_to_start_the_platform() {
        assertThatThrownBy(() -> LocalEndpoints.read(dir.resolve("local.json")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no local platform is running")
                .hasMessageContaining("./marketgate local up");
    }

    @Test
    void a_file_left_by_a_dead_platform_is_reported_as_stale() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path file = dir.resolve("local.json");
        LocalEndpoints.write(file, new LocalEndpoints("dev", endpoints.api(), endpoints.valkeyUrl(), endpoints.sqs(),
                endpoints.dynamoDb(), endpoints.s3(), endpoints.apiGateway(), finished.pid()));

        assertThatThrownBy(() -> LocalEndpoints.read(file))
                .hasMessageContaining("(pid " + finished.pid() + ") is no longer running");
    }

    @Test
    void the_file_property_points_commands_in_this_jvm_at_another_file_unless_the_variable_is_set() {
        // GIVEN the property set (and, as in any test run, no MARKETGATE_LOCAL_FILE)
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(LocalEndpoints.FILE_VARIABLE) == null);
        Path file = dir.resolve("elsewhere.json");
        System.setProperty(LocalEndpoints.FILE_PROPERTY, file.toString());
        try {
            // THEN it is the default file
            assertThat(LocalEndpoints.defaultFile()).isEqualTo(file);
        } finally {
            System.clearProperty(LocalEndpoints.FILE_PROPERTY);
        }
        assertThat(LocalEndpoints.defaultFile()).isNotEqualTo(file);
    }

    @Test
    void the_platform_deletes_its_own_file_on_stop() {
        Path file = dir.resolve("local.json");
        LocalEndpoints.write(file, endpoints);

        LocalEndpoints.deleteIfOurs(file);

        assertThat(Files.exists(file)).isFalse();
    }
}
