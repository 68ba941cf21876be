package io.marketgate.devtools.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.cli.LocalEndpoints;
import io.marketgate.devtools.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalUpCommandTest {

    @TempDir
    Path dir;

    @Test
    void local_up_serves_the_api_writes_its_endpoints_and_deletes_them_when_it_stops() throws Exception {
        // GIVEN local up, stopping by itself
        Path file = dir.resolve("local.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("local", "up", "--for", "15s", "-p", "0",
                "--store", "memory", "--market", "coupang", "--sellers", "3", "--environments", Path.of("..", "environments").toString(),
                "--endpoints-file", file.toString()));

        // WHEN it is up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file) && !exit.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(file).as("endpoints file; out: %s; err: %s", out, err).exists();
        LocalEndpoints endpoints = LocalEndpoints.read(file);
        HttpClient http = HttpClient.newHttpClient();
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(endpoints.api().resolve("/v1/collections"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"market\":\"coupang\",\"sellers\":[\"coupang-s0001\"],\"from\":\"%s\",\"to\":\"%s\"}".formatted(to.minusSeconds(3600), to)))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(endpoints.api().resolve("/v1/jobs/none")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        // THEN the API answers, the file names every endpoint, and after --for the file is gone
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(endpoints.environment()).isEqualTo("dev");
        assertThat(endpoints.s3()).isPresent();
        assertThat(endpoints.apiGateway()).isPresent();
        assertThat(out.toString()).contains("API at " + endpoints.api());
        assertThat(exit.get(60, TimeUnit.SECONDS)).as("exit; out: %s; err: %s", out, err).isZero();
        assertThat(file).doesNotExist();
        assertThat(out.toString()).contains("stopped");
    }
}
