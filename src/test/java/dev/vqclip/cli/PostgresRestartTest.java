package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import dev.vqclip.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL server restarts (fsync on) in the middle of a run: `serve` and two `worker` processes reconnect,
 * and every job finishes and is delivered exactly once.
 */
class PostgresRestartTest {
    static final String RESTART_ENV = "VQCLIP_TEST_PG_RESTART";
    static final int JOBS = 12;
    @TempDir
    Path dir;

    @Test
    void aDatabaseRestartMidRunLosesNoJobAndRepeatsNoDelivery() throws Exception {
        String url = TestDatabases.freshPostgresSchemaUrl();
        String restart = System.getenv(RESTART_ENV);
        assumeTrue(restart != null && !restart.isBlank(), "PostgreSQL tests need " + RESTART_ENV
                + " to restart the server (.ci/postgres.sh sets it)");
        restart(restart);
        assertThat(setting(url, "fsync")).as("the restarted server runs with fsync").isEqualTo("on");
        List<Long> ids = new ArrayList<>();
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            JobService jobs = new JobService(store, Limits.defaults().withPerUser(1, JOBS), CostModel.defaults(),
                    new Moderation(PromptPolicy.defaults()), new JobEvents(), Clock.systemUTC());
            for (int i = 0; i < JOBS; i++) {
                SubmitResult r = jobs.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, "u" + i, "u"),
                        TinyModels.recipe("job " + i, 10, 0, i), "file"));
                ids.add(((SubmitResult.Accepted) r).job().id());
            }
        }
        Path results = dir.resolve("results");
        Path serveLog = dir.resolve("serve.log");
        String models = dir.resolve("models").toString();
        List<Process> processes = new ArrayList<>();
        long restartMs;
        int doneAtRestart;
        try {
            processes.add(ChildJvm.start(serveLog, ChildJvm.loggingDeliveries(dir), "serve", "--db", url, "--workers", "0",
                    "--results-dir", results.toString(), "--poll", "200ms", "--lease", "5s", "--heartbeat", "1s"));
            for (String id : List.of("pg-a", "pg-b")) {
                processes.add(ChildJvm.start(dir.resolve(id + ".log"), "worker", "--db", url, "--id", id, "--lease", "5s",
                        "--heartbeat", "1s", "--models-dir", models, "--spool-dir", dir.resolve("spool-" + id).toString()));
            }
            awaitResults(results, 3, processes);
            doneAtRestart = count(results);
            long start = System.nanoTime();
            restart(restart);
            restartMs = (System.nanoTime() - start) / 1_000_000;
            awaitResults(results, JOBS, processes);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                p.waitFor(60, TimeUnit.SECONDS);
            }
        }
        Map<Long, Long> deliveries = ChildJvm.deliveries(serveLog);
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            for (long id : ids) {
                Job j = store.reads().find(id).orElseThrow();
                assertThat(j.state()).as("job %d (%s)", id, j.failure()).isEqualTo(JobState.DONE);
                assertThat(j.attempts()).as("job %d attempts", id).isBetween(1, 2);
                assertThat(j.deliveredAt()).as("job %d delivered", id).isNotNull();
            }
        }
        assertThat(deliveries).hasSize(JOBS);
        assertThat(deliveries.values()).as("deliveries per job").containsOnly(1L);
        System.out.printf("PostgreSQL restart test: %d of %d done when the server restarted (fsync on, %d ms); "
                + "%d/%d done, 0 lost, 0 repeated deliveries%n", doneAtRestart, JOBS, restartMs, count(results), JOBS);
    }

    private static void restart(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("restart: %s", out).isZero();
    }

    private static String setting(String url, String name) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SHOW " + name)) {
                rs.next();
                return rs.getString(1);
            } catch (java.sql.SQLException e) {
                assertThat(System.nanoTime()).as("the server accepts connections again").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static void awaitResults(Path results, int n, List<Process> processes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (count(results) < n) {
            for (Process p : processes) {
                assertThat(p.isAlive()).as("every process survives the restart").isTrue();
            }
            assertThat(System.nanoTime()).as("%d results within 10 min", n).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int count(Path results) throws Exception {
        if (!Files.isDirectory(results)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(results)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".png")).count();
        }
    }
}
