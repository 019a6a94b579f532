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
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the serving process three times with 100 queued and running jobs, then a restart: every job finishes
 * exactly once, none is lost, and no final reply is delivered twice (each delivery is logged and counted). Real H2 file database, real renders (tiny models).
 */
class ServeKillTest {
    static final int JOBS = 100;
    static final int KILLS = 3;
    @TempDir
    Path dir;

    @Test
    void threeKillNinesWithAHundredJobsLoseNothingAndDeliverEachOnce() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data")) + ";AUTO_SERVER=TRUE";
        Path results = dir.resolve("results");
        Files.createDirectories(results);
        Limits limits = Limits.defaults().withPerUser(1, JOBS);
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            JobService jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()),
                    new JobEvents(), Clock.systemUTC());
            for (int i = 0; i < JOBS; i++) {
                SubmitResult r = jobs.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, "u" + i % 10, "user"),
                        TinyModels.recipe("job " + i, 12, 0, i), "file"));
                assertThat(r).isInstanceOf(SubmitResult.Accepted.class);
            }
        }
        Path log = dir.resolve("serve.log");
        String[] serve = {"serve", "--db", url, "--results-dir", results.toString(), "--models-dir", dir.resolve("models").toString(),
                "--max-queued", Integer.toString(JOBS), "--lease", "5s", "--heartbeat", "1s", "--poll", "200ms",
                "--web-port", "0"}; // no fixed port on a shared test machine
        List<String> jvm = ChildJvm.loggingDeliveries(dir);

        List<String> kills = new java.util.ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            Process p = ChildJvm.start(log, jvm, serve);
            int runningAtKill;
            try {
                awaitResults(results, kill * 15, Duration.ofMinutes(8), p, log);
                runningAtKill = awaitARunningJob(url, p);
            } finally {
                p.destroyForcibly(); // SIGKILL: no shutdown hook runs
                p.waitFor(30, TimeUnit.SECONDS);
            }
            kills.add(count(results) + " done and " + runningAtKill + " running");
        }
        assertThat(count(results)).isLessThan(JOBS);

        Process last = ChildJvm.start(log, jvm, serve);
        try {
            awaitResults(results, JOBS, Duration.ofMinutes(20), last, log);
        } finally {
            last.destroy(); // SIGTERM: graceful
            last.waitFor(60, TimeUnit.SECONDS);
        }

        String output = Files.readString(log);
        long foundWritten = output.lines().filter(l -> l.contains("was already delivered to")).count();
        java.util.Map<Long, Long> deliveries = ChildJvm.deliveries(log);
        long repeated = deliveries.values().stream().filter(n -> n > 1).count();
        List<String> requeued = output.lines().filter(l -> l.startsWith("re-queued ")).toList();
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            Set<Long> ids = new HashSet<>();
            for (int u = 0; u < 10; u++) {
                List<Job> mine = store.reads().byUser("cli:u" + u, 1000);
                assertThat(mine).hasSize(JOBS / 10);
                for (Job j : mine) {
                    ids.add(j.id());
                    assertThat(j.state()).as("job %d (%s)", j.id(), j.failure()).isEqualTo(JobState.DONE);
                    assertThat(j.deliveredAt()).as("job %d delivered", j.id()).isNotNull();
                    assertThat(j.attempts()).as("job %d attempts", j.id()).isBetween(1, 2);
                    assertThat(store.reads().result(j.id())).isPresent();
                    assertThat(results.resolve("job-" + j.id() + ".png")).exists();
                }
            }
            assertThat(ids).hasSize(JOBS);
            assertThat(count(results)).isEqualTo(JOBS);
            assertThat(deliveries).as("jobs delivered").hasSize(JOBS);
            assertThat(repeated).as("jobs delivered more than once").isZero();
            System.out.printf("serve kill test: %d kill -9s (%s); %d submitted, %d acknowledged, %d/%d done, 0 lost, "
                    + "%d repeated deliveries (%d re-delivery attempts found the reply already written); restarts: %s%n",
                    KILLS, String.join("; ", kills), JOBS, JOBS, ids.size(), JOBS, repeated, foundWritten, requeued);
        }
    }

    /**
     * Reads the serving process's database (H2 AUTO_SERVER) until a job is RUNNING there, so the kill lands mid-job;
     * returns how many run. The connection pool is closed before the kill: left open, its housekeeper would refill
     * the pool after the kill and, in AUTO_SERVER mode, open the database in this JVM, racing the restarted process
     * for the file lock.
     */
    private static int awaitARunningJob(String url, Process child) throws InterruptedException {
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int running;
            while ((running = store.reads().running().size()) == 0) {
                assertThat(child.isAlive()).as("the serve process is alive").isTrue();
                assertThat(System.nanoTime()).as("a job runs within 2 min").isLessThan(deadline);
                store.changes().awaitChange(Duration.ofMillis(20));
            }
            return running;
        }
    }

    /** Waits on file-creation events (no sleeping) until {@code n} results exist; fails if the child dies. */
    private static void awaitResults(Path results, int n, Duration timeout, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            results.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (count(results) < n) {
                if (!child.isAlive()) {
                    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("NNPACK")).toList();
                    throw new AssertionError("the serve process died (exit " + child.exitValue() + "); its log ends:\n"
                            + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
                }
                assertThat(System.nanoTime()).as("%d results within %s", n, timeout).isLessThan(deadline);
                var key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    private static int count(Path results) throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".png")).count();
        }
    }
}
