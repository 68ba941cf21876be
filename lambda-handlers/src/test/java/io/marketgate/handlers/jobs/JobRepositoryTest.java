package io.marketgate.handlers.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.limiter.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class JobRepositoryTest {

    private static final Duration TTL = Duration.ofDays(1);
    private static final Duration HEARTBEAT = Duration.ofMinutes(2);
    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;
    private static final AtomicInteger tables = new AtomicInteger();

    /** Near the real time, as in production: a store that applies TTL (DynamoDB; not dynalite) deletes by real time. */
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final AtomicInteger ids = new AtomicInteger();
    private JobRepository jobs;

    @BeforeAll
    static void start() {
        server = EmbeddedDynamoDb.start();
        dynamoDb = server.client();
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        server.close();
    }

    private JobRepository repository() {
        String table = "jobs-" + tables.incrementAndGet();
        JobRepository.createTable(dynamoDb, table);
        return new JobRepository(dynamoDb, table, clock, () -> "job-" + ids.incrementAndGet());
    }

    @Test
    void concurrent_starts_for_one_owner_and_kind_make_one_job() throws Exception {
        // GIVEN eight clients starting the same export at once
        jobs = repository();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<JobRepository.Start>> starts = new ArrayList<>();
        Callable<JobRepository.Start> start = () -> jobs.start("u1", ExportWorker.KIND, Map.of("market", "m"), TTL, HEARTBEAT);

        // WHEN
        for (int i = 0; i < 8; i++) {
            starts.add(pool.submit(start));
        }

        // THEN one created it, all got it
        List<JobRepository.Start> results = new ArrayList<>();
        for (Future<JobRepository.Start> f : starts) {
            results.add(f.get());
        }
        pool.shutdown();
        assertThat(results).filteredOn(JobRepository.Start::created).hasSize(1);
        assertThat(results).extracting(s -> s.job().id()).containsOnly(results.get(0).job().id());
    }

    @Test
    void a_finished_or_dead_job_lets_the_next_one_start() {
        jobs = repository();
        String first = jobs.start("u1", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT).job().id();
        jobs.running(first);
        jobs.succeeded(first, "exports/x.json", 3);

        JobRepository.Start second = jobs.start("u1", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT);
        clock.advance(HEARTBEAT.plusSeconds(1)); // the second one's worker never shows life
        JobRepository.Start third = jobs.start("u1", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT);

        assertThat(second.created()).isTrue();
        assertThat(second.job().id()).isNotEqualTo(first);
        assertThat(third.created()).isTrue();
        assertThat(third.job().id()).isNotEqualTo(second.job().id());
        assertThat(jobs.start("u2", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT).created()).as("another owner").isTrue();
    }

    @Test
    void a_stale_job_is_failed_only_while_nobody_beat_meanwhile_and_its_worker_is_then_abandoned() {
        jobs = repository();
        Job job = jobs.start("u1", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT).job();
        jobs.running(job.id());
        Job seen = jobs.find(job.id()).orElseThrow();
        clock.advance(Duration.ofSeconds(5));
        jobs.progress(job.id(), 1, 0); // a beat after the reader's look

        assertThat(jobs.failStale(job.id(), seen.heartbeatAt(), "stale")).isFalse();
        Job fresh = jobs.find(job.id()).orElseThrow();
        assertThat(jobs.failStale(job.id(), fresh.heartbeatAt(), "stale")).isTrue();
        assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(Job.Status.FAILED);
        assertThatThrownBy(() -> jobs.succeeded(job.id(), "k", 1)).isInstanceOf(JobRepository.JobAbandonedException.class);
        assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(Job.Status.FAILED);
    }

    @Test
    void a_job_past_its_expiry_is_gone_for_readers_before_ttl_deletes_it() {
        jobs = repository();
        Job job = jobs.start("u1", ExportWorker.KIND, Map.of(), TTL, HEARTBEAT).job();

        clock.advance(TTL.plusSeconds(1));

        assertThat(jobs.find(job.id())).isEmpty();
    }

    @Test
    void a_job_seen_after_its_heartbeat_limit_reads_failed_with_the_reason() {
        Instant t = Instant.parse("2026-11-02T00:00:00Z");
        Job running = new Job("j", "u", ExportWorker.KIND, Job.Status.RUNNING, 3, 0, java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of(), t, t, t, t.plus(TTL));

        assertThat(running.asSeenAt(t.plus(HEARTBEAT), HEARTBEAT).status()).isEqualTo(Job.Status.RUNNING);
        Job stale = running.asSeenAt(t.plus(HEARTBEAT).plusSeconds(1), HEARTBEAT);
        assertThat(stale.status()).isEqualTo(Job.Status.FAILED);
        assertThat(stale.reason()).hasValueSatisfying(r -> assertThat(r).contains("no heartbeat since " + t));
    }
}
