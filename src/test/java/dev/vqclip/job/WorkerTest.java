package dev.vqclip.job;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import dev.vqclip.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** A worker renders queued jobs for real (tiny models) and ends each exactly once. */
class WorkerTest {
    static EngineRenderer renderer;
    @TempDir
    static Path models;
    @TempDir
    Path dir;
    Database db;
    JdbcJobStore store;
    JobService jobs;
    final JobEvents events = new JobEvents();
    final List<JobEvent> seen = new CopyOnWriteArrayList<>();
    final Limits limits = Limits.defaults().withPerUser(1, 10).withLease(Duration.ofSeconds(5), Duration.ofMillis(50));

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
        db = TestDatabases.h2(dir);
        store = new JdbcJobStore(db, Clock.systemUTC());
        events.subscribe(seen::add);
        jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()), events,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    Worker worker() {
        return new Worker("w1", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(100), true, "vqclip test"), Clock.systemUTC());
    }

    long submit(String user, Recipe recipe) {
        SubmitResult r = jobs.submit(new JobRequest(new UserRef("discord", user, user), recipe, "reply"));
        assertThat(r).isInstanceOf(SubmitResult.Accepted.class);
        return ((SubmitResult.Accepted) r).job().id();
    }

    @Test
    void aQueuedJobIsRenderedStampedWithItsIdAndStored() throws Exception {
        long id = submit("1", TinyModels.recipe("a lighthouse at dusk", 8, 2, 7));
        assertThat(worker().runOnce()).isTrue();
        Job done = store.reads().find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.progressIter()).isEqualTo(8);
        assertThat(done.actualGpuMs()).isPositive();
        byte[] png = store.reads().result(id).orElseThrow();
        ProvenanceReport report = new ProvenanceReader().read(png);
        assertThat(report.jobId()).contains(id);
        assertThat(report.recipe()).isPresent();
        List<JobEvent> mine = seen.stream().filter(e -> e.jobId() == id).toList();
        assertThat(mine.get(0)).isInstanceOf(JobEvent.Queued.class);
        assertThat(mine.get(1)).isEqualTo(new JobEvent.Started(id, "w1", 1));
        assertThat(mine.stream().filter(e -> e instanceof JobEvent.Progress p && p.previewPng() != null).count())
                .isGreaterThanOrEqualTo(2);
        assertThat(mine.get(mine.size() - 1)).isInstanceOfSatisfying(JobEvent.Finished.class,
                f -> assertThat(f.png()).isEqualTo(png));
        assertThat(done.previewIter()).as("previews were stored while it ran").isNotNull();
        assertThat(store.reads().preview(id)).as("and dropped when it ended").isEmpty();
    }

    @Test
    void theJobIdIsInTheLoggingContextWhileTheJobRendersAndGoneAfter() {
        long id = submit("1", TinyModels.recipe("fog", 2, 0, 3));
        List<String> during = new CopyOnWriteArrayList<>();
        events.subscribe(e -> {
            if (e instanceof JobEvent.Progress) {
                during.add(String.valueOf(MDC.get(Worker.MDC_JOB)));
            }
        });
        assertThat(worker().runOnce()).isTrue();
        assertThat(during).isNotEmpty().containsOnly(Long.toString(id));
        assertThat(MDC.get(Worker.MDC_JOB)).isNull();
    }

    @Test
    void compatibleJobsRunInOneBatchAndEachEndsWithItsOwnStampedImage() throws Exception {
        long a = submit("1", TinyModels.recipe("a red fox", 6, 2, 11));
        long b = submit("2", TinyModels.recipe("a blue whale", 6, 2, 12));
        long other = submit("3", TinyModels.recipe("different size", 6, 2, 13).withSize(48, 48));
        long c = submit("4", TinyModels.recipe("a green owl", 6, 2, 14));
        Worker batching = new Worker("wb", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(100), false, "vqclip test", 4), Clock.systemUTC());
        assertThat(batching.runOnce()).isTrue();
        for (long id : List.of(a, b, c)) {
            Job done = store.reads().find(id).orElseThrow();
            assertThat(done.state()).as("job %d (%s)", id, done.failure()).isEqualTo(JobState.DONE);
            assertThat(new ProvenanceReader().read(store.reads().result(id).orElseThrow()).jobId()).contains(id);
        }
        assertThat(store.reads().find(other).orElseThrow().state()).as("another batch key waits").isEqualTo(JobState.QUEUED);
        assertThat(seen.stream().filter(e -> e instanceof JobEvent.Progress p && p.previewPng() != null)
                .map(JobEvent::jobId).distinct()).containsExactlyInAnyOrder(a, b, c);
        assertThat(batching.runOnce()).isTrue();
        assertThat(store.reads().find(other).orElseThrow()).satisfies(j -> assertThat(j.state()).as(String.valueOf(j.failure()))
                .isEqualTo(JobState.DONE));
        // 48x48 is too small for the recipe in the LSBs: the PNG text chunks still carry it
        assertThat(new ProvenanceReader().read(store.reads().result(other).orElseThrow()).recipe()).isPresent();
    }

    @Test
    void whenTheMp4EncoderFailsTheJobStillGetsAGifTimelapse() throws Exception {
        // an ffmpeg that fails as one built without libx264 would, leaving a mark that it was asked
        Path broken = dir.resolve("ffmpeg");
        Path asked = dir.resolve("ffmpeg-was-asked");
        Files.writeString(broken, "#!/bin/sh\ncat >/dev/null\ntouch '" + asked + "'\n"
                + "echo \"Unknown encoder 'libx264'\" >&2\nexit 1\n");
        Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwx------"));
        JdbcShowcase showcase = new JdbcShowcase(db, Clock.systemUTC());
        long id = submit("1", TinyModels.recipe("a paper boat", 6, 2, 3));
        assertThat(worker().withTimelapses(showcase, 8, 32, new FfmpegEncoder(broken, Duration.ofSeconds(30))).runOnce())
                .isTrue();
        assertThat(store.reads().find(id).orElseThrow().state()).isEqualTo(JobState.DONE);
        TimelapseVideo video = showcase.timelapse(id).orElseThrow();
        assertThat(video.contentType()).isEqualTo("image/gif");
        assertThat(video.frames()).isGreaterThanOrEqualTo(2);
        assertThat(asked).as("the MP4 encoder was tried before the GIF was kept").exists();
    }

    @Test
    void aPausedQueueStartsNothingUntilResumed() {
        long id = submit("1", TinyModels.recipe("held", 3, 0, 5));
        jobs.setPaused(true);
        Worker worker = worker();
        assertThat(worker.runOnce()).isFalse();
        assertThat(store.reads().find(id).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        jobs.setPaused(false);
        assertThat(worker.runOnce()).isTrue();
        assertThat(store.reads().find(id).orElseThrow().state()).isEqualTo(JobState.DONE);
    }

    @Test
    void aJobThatCannotRenderFailsWithAReasonAndTheWorkerGoesOn() {
        Recipe broken = TinyModels.recipe("x", 4, 0, 1).withModels("/no/such/vqgan.safetensors", TinyModels.CLIP);
        long bad = submit("1", broken);
        long good = submit("2", TinyModels.recipe("fog", 4, 0, 2));
        Worker worker = worker();
        assertThat(worker.runOnce()).isTrue();
        assertThat(worker.runOnce()).isTrue();
        Job failed = store.reads().find(bad).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.failure()).contains("/no/such/vqgan.safetensors");
        assertThat(seen).contains(new JobEvent.Failed(bad, failed.failure()));
        assertThat(store.reads().find(good).orElseThrow().state()).isEqualTo(JobState.DONE);
    }

    @Test
    void cancellingARunningJobStopsItAtTheNextHeartbeat() throws Exception {
        long id = submit("1", TinyModels.recipe("long", 100_000, 0, 3));
        CountDownLatch running = new CountDownLatch(1);
        events.subscribe(e -> {
            if (e instanceof JobEvent.Progress p && p.jobId() == id && p.iteration() == 3) {
                running.countDown();
            }
        });
        Worker worker = worker();
        Thread t = new Thread(worker::runOnce);
        t.start();
        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jobs.cancel(id, new UserRef("discord", "1", "x"), false)).isEqualTo(CancelResult.STOPPING);
        t.join(60_000);
        Job job = store.reads().find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.progressIter()).isLessThan(100_000);
        assertThat(seen).contains(new JobEvent.Cancelled(id, "discord:1"));
    }

    @Test
    void aCancelInTheWorkersOwnProcessStopsTheJobAtTheNextStep() throws Exception {
        long id = submit("1", TinyModels.recipe("long", 100_000, 0, 6));
        Limits slowBeats = limits.withLease(Duration.ofMinutes(10), Duration.ofMinutes(5)); // no heartbeat will come
        Worker worker = new Worker("w1", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events,
                slowBeats, new Worker.Settings(Duration.ofMillis(100), false, "vqclip test"), Clock.systemUTC());
        jobs.onCancelRequested(worker::requestCancel);
        CountDownLatch running = new CountDownLatch(1);
        events.subscribe(e -> {
            if (e instanceof JobEvent.Progress p && p.jobId() == id && p.iteration() == 2) {
                running.countDown();
            }
        });
        Thread t = new Thread(worker::runOnce);
        t.start();
        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(jobs.cancel(id, new UserRef("discord", "1", "x"), false)).isEqualTo(CancelResult.STOPPING);
        t.join(60_000);
        assertThat(store.reads().find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    }

    @Test
    void gracefulShutdownHandsTheRunningJobBackToTheQueue() throws Exception {
        long id = submit("1", TinyModels.recipe("long", 100_000, 0, 4));
        CountDownLatch running = new CountDownLatch(1);
        events.subscribe(e -> {
            if (e instanceof JobEvent.Progress p && p.jobId() == id) {
                running.countDown();
            }
        });
        Worker worker = worker();
        Thread t = new Thread(worker);
        t.start();
        assertThat(running.await(60, TimeUnit.SECONDS)).isTrue();
        worker.shutdown(Duration.ZERO);
        t.join(60_000);
        Job job = store.reads().find(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(job.vstart()).isZero();
    }
}
