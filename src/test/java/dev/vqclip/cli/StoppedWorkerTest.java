package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.CostModel;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Limits;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGSTOP a worker process past its lease: another worker takes the job; after SIGCONT the first one learns at its
 * next heartbeat that the lease is gone, stops, and never commits. Two real worker JVMs on one H2 database that
 * this test serves (AUTO_SERVER), so the stopped process holds nothing the others need.
 */
class StoppedWorkerTest {
    @TempDir
    Path dir;

    @Test
    void aWorkerStoppedPastItsLeaseLosesTheJobAndStopsWhenItWakes() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data")) + ";AUTO_SERVER=TRUE";
        try (Database db = Database.open(url); JdbcJobStore store = JdbcJobStore.withDatabaseTime(db, Clock.systemUTC())) {
            JobService jobs = new JobService(store, Limits.defaults(), CostModel.defaults(),
                    new Moderation(PromptPolicy.defaults()), new JobEvents(), store.clock());
            SubmitResult r = jobs.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, "u", "u"),
                    TinyModels.recipe("a long night", 400, 0, 21), "file"));
            assertThat(r).isInstanceOf(SubmitResult.Accepted.class);
            long id = ((SubmitResult.Accepted) r).job().id();

            Path logA = dir.resolve("a.log");
            Path logB = dir.resolve("b.log");
            Process a = ChildJvm.start(logA, worker(url, "A"));
            Process b = null;
            try {
                await(store, id, j -> "A".equals(j.workerId()) && j.progressIter() > 0, Duration.ofMinutes(2), "A renders");
                b = ChildJvm.start(logB, worker(url, "B"));
                awaitLine(logB, "worker B on h2", Duration.ofMinutes(1));
                long stoppedAt = System.nanoTime();
                signal("STOP", a);
                Job taken = await(store, id, j -> "B".equals(j.workerId()), Duration.ofMinutes(1), "B takes the job");
                long reclaimMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                signal("CONT", a);
                Job done = await(store, id, j -> j.state() == JobState.DONE, Duration.ofMinutes(3), "the job ends");
                awaitLine(logA, "lost its lease", Duration.ofSeconds(30));
                assertThat(done.workerId()).isEqualTo("B");
                assertThat(done.attempts()).isEqualTo(2);
                assertThat(done.leaseToken()).isEqualTo(taken.leaseToken());
                assertThat(store.reads().result(id)).isPresent();
                assertThat(Files.readString(logA)).doesNotContain("runs job " + id + " (attempt 2");
                System.out.printf("stopped worker: re-claimed %d ms after SIGSTOP (lease 3 s); the stopped worker "
                        + "stopped on waking; one DONE, by the second worker%n", reclaimMs);
            } finally {
                signal("CONT", a);
                a.destroy();
                a.waitFor(60, TimeUnit.SECONDS);
                if (b != null) {
                    b.destroy();
                    b.waitFor(60, TimeUnit.SECONDS);
                }
            }
        }
    }

    private String[] worker(String url, String id) {
        return new String[] {"worker", "--db", url, "--id", id, "--models-dir", dir.resolve("models").toString(),
                "--lease", "3s", "--heartbeat", "500ms", "--spool-dir", dir.resolve("spool-" + id).toString()};
    }

    private static void signal(String name, Process p) throws Exception {
        new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private static Job await(JdbcJobStore store, long id, Predicate<Job> until, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Job job = store.reads().find(id).orElseThrow();
            if (until.test(job)) {
                return job;
            }
            assertThat(System.nanoTime()).as("%s within %s (job is %s on %s)", what, timeout, job.state(), job.workerId())
                    .isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    private static void awaitLine(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains(text)) {
            assertThat(System.nanoTime()).as("'%s' in %s within %s", text, log.getFileName(), timeout).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
