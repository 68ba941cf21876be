package io.marketgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ValkeyServerTest {

    @Test
    void started_server_answers_ping_on_a_loopback_port() {
        // GIVEN a started server
        try (ValkeyServer server = new ValkeyServer().start()) {
            // WHEN it is pinged
            Object reply = server.command("PING");

            // THEN it answers, and its uri names the port
            assertThat(reply).isEqualTo("PONG");
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isBetween(1, 65_535);
            assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
        }
    }

    @Test
    @SuppressWarnings("unchecked") // a RESP array reply
    void server_keeps_no_data_on_disk() {
        try (ValkeyServer server = new ValkeyServer().start()) {
            assertThat((List<Object>) server.command("CONFIG", "GET", "save")).containsExactly("save", "");
            assertThat((List<Object>) server.command("CONFIG", "GET", "appendonly")).containsExactly("appendonly", "no");
        }
    }

    @Test
    void killed_server_is_unreachable_and_restarts_empty_on_the_same_port() {
        // GIVEN a server holding a key
        try (ValkeyServer server = new ValkeyServer().start()) {
            int port = server.port();
            server.command("SET", "k", "v");

            // WHEN it is killed
            server.kill();

            // THEN it no longer answers
            assertThat(server.isRunning()).isFalse();
            assertThatThrownBy(() -> server.command("PING")).isInstanceOf(EmbeddedValkeyException.class)
                    .hasMessageContaining("port " + port);

            // WHEN it is started again
            server.start();

            // THEN it answers on the same port, without the old data
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.command("PING")).isEqualTo("PONG");
            assertThat(server.command("GET", "k")).isNull();
        }
    }

    @Test
    void paused_server_answers_nothing_until_resumed_and_keeps_its_data() throws Exception {
        // GIVEN a server holding a key
        try (ValkeyServer server = new ValkeyServer().start()) {
            server.command("SET", "k", "v");

            // WHEN it is paused (SIGSTOP)
            server.pause();

            // THEN a command gets no answer within its timeout, though the process is alive
            assertThat(server.isRunning()).isTrue();
            assertThatThrownBy(() -> Resp.command(server.access(), 300, "PING"))
                    .isInstanceOf(java.net.SocketTimeoutException.class);

            // WHEN it is resumed (SIGCONT)
            server.resume();

            // THEN it answers again, with the data it held
            assertThat(server.command("GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void starting_a_running_server_again_is_refused() {
        try (ValkeyServer server = new ValkeyServer().start()) {
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
        }
    }

    @Test
    void two_servers_get_different_ports() {
        try (ValkeyServer a = new ValkeyServer().start(); ValkeyServer b = new ValkeyServer().start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
        }
    }

    @Test
    void installed_engines_start_with_the_default_binary_and_each_runs_what_it_names() {
        // GIVEN the engines at hand (this suite needs at least one)
        Map<String, Path> engines = ValkeyServer.installedEngines();
        assertThat(engines).isNotEmpty();
        assertThat(engines.values().iterator().next()).isEqualTo(new ValkeyServer().binary());

        for (Map.Entry<String, Path> e : engines.entrySet()) {
            // WHEN a server of each is started
            try (ValkeyServer server = new ValkeyServer(e.getValue()).start()) {
                // THEN it is that engine: "valkey 8.0.1" answers INFO with valkey_version:8.0.1
                assertThat(e.getKey()).matches("(valkey|redis) \\d+\\.\\d+\\.\\d+.*");
                assertThat(server.engine()).isEqualTo(e.getKey());
                assertThat((String) server.command("INFO", "server")).contains(e.getKey().replace(" ", "_version:"));
            }
        }
    }

    @Test
    void a_binary_that_is_not_an_executable_file_is_refused_by_name() {
        Path missing = Path.of("/nonexistent/valkey-server");
        assertThatThrownBy(() -> new ValkeyServer(missing)).isInstanceOf(EmbeddedValkeyException.class)
                .hasMessageContaining("/nonexistent/valkey-server is not an executable file");
    }

    @Test
    void a_binary_that_is_no_server_is_refused_when_asked_its_engine() {
        ValkeyServer notAServer = new ValkeyServer(Path.of("/bin/echo"));
        assertThatThrownBy(notAServer::engine).isInstanceOf(EmbeddedValkeyException.class)
                .hasMessageContaining("/bin/echo --version printed")
                .hasMessageContaining("is it a Valkey or Redis server?");
        notAServer.close();
    }
}
