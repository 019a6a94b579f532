package dev.vqclip.job;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker whose store fails at the worst moments: finished work is never lost, and a lost lease stops the render. */
class WorkerStoreFailureTest {
    static EngineRenderer renderer;
    @TempDir
    static Path models;
    @TempDir
    Path dir;
    Database db;
    JdbcJobStore store;
    FaultyStore faults;
    JobService jobs;
    final JobEvents events = new JobEvents();
    final List<JobEvent> seen = new CopyOnWriteArrayList<>();
    final Limits limits = Limits.defaults().withPerUser(4, 10).withLease(Duration.ofSeconds(2), Duration.ofMillis(100));

    @BeforeAll
    static void warm() {
        renderer = TinyModels.renderer(models);
    }

    @AfterAll
    static void cool() {
        renderer.close();
    }

    @BeforeEach
    void open() {
        db = TestDatabases.h2(dir.resolve("db"));
        store = new JdbcJobStore(db, Clock.systemUTC());
        faults = new FaultyStore(store);
        events.subscribe(seen::add);
        jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()), events,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    Worker worker(JobStore through, int batch) {
        return new Worker("w1", through, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(50), false, "vqclip test", batch, dir.resolve("spool")),
                Clock.systemUTC());
    }

    long submit(String user, Recipe recipe) {
        SubmitResult r = jobs.submit(new JobRequest(new UserRef("discord", user, user), recipe, "reply"));
        assertThat(r).isInstanceOf(SubmitResult.Accepted.class);
        return ((SubmitResult.Accepted) r).job().id();
    }

    @Test
    void aStoreErrorAtCompletionIsRetriedAndTheImageIsDoneOnce() throws Exception {
        long id = submit("1", TinyModels.recipe("a lighthouse", 4, 0, 7));
        faults.failNext("complete", 3);
        assertThat(worker(faults.store(), 1).runOnce()).isTrue();
        Job job = store.reads().find(id).orElseThrow();
        assertThat(job.state()).as(String.valueOf(job.failure())).isEqualTo(JobState.DONE);
        assertThat(faults.failures("complete")).isEqualTo(3);
        assertThat(seen.stream().filter(e -> e instanceof JobEvent.Finished)).hasSize(1);
        assertThat(seen).noneMatch(e -> e instanceof JobEvent.Failed);
        assertThat(spooled()).as("the kept copy is removed once committed").isEmpty();
    }

    @Test
    void aStoreErrorInABatchFailsNoneOfItsJobs() throws Exception {
        long a = submit("1", TinyModels.recipe("a red fox", 4, 0, 11));
        long b = submit("2", TinyModels.recipe("a blue whale", 4, 0, 12));
        long c = submit("3", TinyModels.recipe("a green owl", 4, 0, 13));
        faults.failNext("complete", 2);
        assertThat(worker(faults.store(), 4).runOnce()).isTrue();
        for (long id : List.of(a, b, c)) {
            Job job = store.reads().find(id).orElseThrow();
            assertThat(job.state()).as("job %d (%s)", id, job.failure()).isEqualTo(JobState.DONE);
        }
        assertThat(seen).noneMatch(e -> e instanceof JobEvent.Failed);
    }

    @Test
    void aResultTheStoreNeverTookIsAdoptedAfterARestart() throws Exception {
        long id = submit("1", TinyModels.recipe("a quiet harbour", 4, 0, 5));
        faults.failNext("complete", Integer.MAX_VALUE);
        Worker first = worker(faults.store(), 1);
        Thread t = new Thread(first);
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (spooled().isEmpty() || faults.failures("complete") == 0) {
            assertThat(System.nanoTime()).as("the result is kept within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        first.close(); // the process goes away while the database still refuses the commit
        t.join(30_000);
        assertThat(store.reads().find(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        byte[] kept = Files.readAllBytes(spooled().get(0));

        store.leases().requeueAllRunning(); // the restart's re-queue does not lose it: the same lease token is still the latest
        worker(store, 1).adoptKeptResults();
        Job job = store.reads().find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.DONE);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(store.reads().result(id).orElseThrow()).isEqualTo(kept);
        assertThat(spooled()).isEmpty();
        assertThat(seen.stream().filter(e -> e instanceof JobEvent.Finished f && f.jobId() == id)).hasSize(1);
    }

    @Test
    void aKeptResultIsDroppedWhenTheJobWasClaimedAgain() throws Exception {
        long id = submit("1", TinyModels.recipe("a quiet harbour", 4, 0, 5));
        faults.failNext("complete", Integer.MAX_VALUE);
        Worker first = worker(faults.store(), 1);
        Thread t = new Thread(first);
        t.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (spooled().isEmpty() || faults.failures("complete") == 0) {
            assertThat(System.nanoTime()).as("the result is kept within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        first.close();
        t.join(30_000);
        store.leases().requeueAllRunning();
        Lease other = store.queue().claimNext("w2", limits.lease(), 4).orElseThrow();
        worker(store, 1).adoptKeptResults();
        assertThat(store.reads().find(id).orElseThrow().state()).as("the newer lease owns the job").isEqualTo(JobState.RUNNING);
        assertThat(store.reads().find(id).orElseThrow().leaseToken()).isEqualTo(other.token());
        assertThat(spooled()).isEmpty();
    }

    @Test
    void aWorkerWhoseHeartbeatsFailForALeaseStopsRendering() throws Exception {
        long id = submit("1", TinyModels.recipe("endless", 100_000, 0, 9));
        faults.failNext("heartbeat", Integer.MAX_VALUE);
        Thread t = new Thread(() -> worker(faults.store(), 1).runOnce());
        long start = System.nanoTime();
        t.start();
        t.join(Duration.ofSeconds(60).toMillis());
        assertThat(t.isAlive()).as("the render still runs 60 s after its lease could not be renewed").isFalse();
        System.out.printf("self-fencing: stopped %d ms after the start, lease %d ms%n",
                (System.nanoTime() - start) / 1_000_000, limits.lease().toMillis());
        Job job = store.reads().find(id).orElseThrow();
        assertThat(job.state()).as("left for the reaper, not ended by a worker that lost its lease").isEqualTo(JobState.RUNNING);
        assertThat(seen).noneMatch(e -> e instanceof JobEvent.Finished || e instanceof JobEvent.Failed);
    }

    private List<Path> spooled() throws Exception {
        Path spool = dir.resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".png")).toList();
        }
    }
}
