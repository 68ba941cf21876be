package io.marketgate.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.handlers.api.ApiResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting exports through the API without HTTP: the job, its launch, and a launch that fails. */
class ApiJobsTest {

    @TempDir
    Path dir;
    ApiTestWorld world;

    @BeforeEach
    void start() {
        world = new ApiTestWorld(dir);
    }

    @AfterEach
    void stop() {
        world.close();
    }

    private static final String EXPORT = "{\"owner\":\"u1\",\"market\":\"shop\",\"sellerId\":\"S1\"}";

    @Test
    void an_export_is_accepted_as_a_queued_job_and_its_worker_launched() {
        ApiResponse started = world.call("POST", "/v1/exports", EXPORT);

        assertThat(started.status()).as(started.body()).isEqualTo(202);
        JsonNode job = ApiValidationTest.read(started);
        assertThat(job.get("status").asText()).isEqualTo("QUEUED");
        assertThat(started.headers()).containsEntry("Location", "/v1/jobs/" + job.get("jobId").asText());
        assertThat(world.launched).containsExactly(job.get("jobId").asText());
        assertThat(job.has("result")).isFalse();
    }

    @Test
    void a_worker_that_cannot_be_started_is_503_and_the_job_failed_so_a_retry_starts_a_new_one() {
        // GIVEN Lambda refuses the invocation
        world.failLaunches.set(true);

        // WHEN an export is started
        ApiResponse refused = world.call("POST", "/v1/exports", EXPORT);

        // THEN 503 with a problem, the job recorded FAILED, and the retry gets a new job
        assertThat(refused.status()).isEqualTo(503);
        assertThat(ApiValidationTest.read(refused).get("rule").asText()).isEqualTo("unavailable");
        world.failLaunches.set(false);
        ApiResponse retried = world.call("POST", "/v1/exports", EXPORT);
        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(world.launched).hasSize(1);
    }
}
