package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code imagine --via-queue --detach} queues and exits; {@code result ID} fetches the image or says where it stands. */
class ResultCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run vqclip(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    Run detach(String url, String prompt) {
        return vqclip("imagine", "--models-dir", dir.resolve("models").toString(), prompt, "--vqgan", TinyModels.VQGAN,
                "--clip", TinyModels.CLIP, "--size", "64x48", "--iterations", "4", "--cutn", "4", "--seed", "3",
                "--via-queue", "--detach", "--db", url);
    }

    @Test
    void aDetachedJobIsQueuedNotRenderedAndItsResultIsFetchedOnceDone() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data"));
        Run submitted = detach(url, "a lighthouse at dusk");
        assertThat(submitted.exit()).as(submitted.err()).isZero();
        assertThat(submitted.out()).matches("job \\d+\\R");
        long id = Long.parseLong(submitted.out().trim().substring(4));

        Run unknown = vqclip("result", "--db", url, "999");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("there is no job 999");
        Run queued = vqclip("result", "--db", url, Long.toString(id));
        assertThat(queued.exit()).isEqualTo(3);
        assertThat(queued.out()).isEqualTo("job " + id + " is queued (0 ahead of it)" + System.lineSeparator());

        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC());
             EngineRenderer renderer = TinyModels.renderer(dir.resolve("models"))) {
            assertThat(store.reads().find(id).orElseThrow().state()).as("--detach renders nothing").isEqualTo(JobState.QUEUED);
            Worker worker = new Worker("w", store, renderer, new Stamper(Watermark.standard(), "test"), new JobEvents(),
                    Limits.defaults(), new Worker.Settings(Duration.ofMillis(100), false, "test"), Clock.systemUTC());
            assertThat(worker.runOnce()).isTrue();
        }
        Path file = dir.resolve("fetched.png");
        Run done = vqclip("result", "--db", url, Long.toString(id), "--out", file.toString());
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(new ProvenanceReader().read(file).jobId()).contains(id);
    }

    @Test
    void resultWaitsForTheJobAndReportsAFailureWithItsReason() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data"));
        long id = Long.parseLong(detach(url, "fog").out().trim().substring(4));
        Thread failer = new Thread(() -> {
            try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
                Thread.sleep(1500);
                Lease lease = store.queue().claimNext("w", Duration.ofMinutes(1), 1).orElseThrow();
                store.leases().fail(lease, "the GPU ran out of memory", 10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        failer.start();
        Run waited = vqclip("result", "--db", url, Long.toString(id), "--wait", "60s");
        failer.join();
        assertThat(waited.exit()).isEqualTo(4);
        assertThat(waited.out()).contains("job " + id + " failed: the GPU ran out of memory");
        Run shortWait = vqclip("result", "--db", url, "--wait", "1s", Long.toString(id));
        assertThat(shortWait.exit()).isEqualTo(4);
    }

    @Test
    void aRefusedDetachedSubmitExitsTwoWithTheReason() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data"));
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            store.settings().putSetting(JobService.PAUSED_SETTING, "true");
        }
        Run refused = detach(url, "fog");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("refused: the queue is paused");
        assertThat(refused.out()).doesNotContain("job ");
        Run noQueue = vqclip("imagine", "fog", "--detach");
        assertThat(noQueue.exit()).isEqualTo(2);
        assertThat(noQueue.err()).contains("--detach needs --via-queue");
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            assertThat(store.reads().queued()).isEmpty();
            assertThat(store.reads().byUser("cli:" + System.getProperty("user.name"), 10)).extracting(Job::id).isEmpty();
        }
    }
}
