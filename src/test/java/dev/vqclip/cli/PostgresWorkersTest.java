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
import dev.vqclip.store.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several `vqclip worker` processes on one PostgreSQL: no job runs twice, and a worker killed with SIGKILL in the
 * middle of a job loses it only for one lease: another worker re-claims and finishes it.
 */
class PostgresWorkersTest {
    static final Duration LEASE = Duration.ofSeconds(3);
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    @TempDir
    Path dir;

    record Fleet(Database db, JdbcJobStore store, List<Long> ids) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
            db.close();
        }
    }

    Fleet submit(String url, int jobs, int iterations) {
        Database db = Database.open(url);
        JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC());
        JobService service = new JobService(store, Limits.defaults().withPerUser(1, jobs), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), new JobEvents(), Clock.systemUTC());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            SubmitResult r = service.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, "u" + i, "user " + i),
                    TinyModels.recipe("job " + i, iterations, 0, i), "file"));
            ids.add(((SubmitResult.Accepted) r).job().id());
        }
        return new Fleet(db, store, ids);
    }

    Process worker(String url, String id) throws Exception {
        return ChildJvm.start(dir.resolve(id + ".log"), "worker", "--db", url, "--id", id, "--lease", LEASE.toSeconds() + "s",
                "--heartbeat", "500ms", "--models-dir", dir.resolve("models").toString());
    }

    /** Waits on the store's change signal (LISTEN/NOTIFY), not by sleeping, until every job is final. */
    static void awaitAllFinal(Fleet fleet) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (fleet.ids().stream().anyMatch(id -> !fleet.store().reads().find(id).orElseThrow().state().isFinal())) {
            assertThat(System.nanoTime()).as("all jobs final within %s", TIMEOUT).isLessThan(deadline);
            fleet.store().changes().awaitChange(Duration.ofMillis(500));
        }
    }

    static void stop(List<Process> workers) throws InterruptedException {
        for (Process p : workers) {
            p.destroy();
        }
        for (Process p : workers) {
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoWorkersShareTheQueueAndNoJobRunsTwice() throws Exception {
        String url = TestDatabases.freshPostgresSchemaUrl();
        try (Fleet fleet = submit(url, 12, 10)) {
            List<Process> workers = List.of(worker(url, "pg-a"), worker(url, "pg-b"));
            try {
                awaitAllFinal(fleet);
            } finally {
                stop(workers);
            }
            List<Job> jobs = fleet.ids().stream().map(id -> fleet.store().reads().find(id).orElseThrow()).toList();
            assertThat(jobs).allSatisfy(j -> {
                assertThat(j.state()).isEqualTo(JobState.DONE);
                assertThat(j.attempts()).isEqualTo(1);
            });
            assertThat(jobs).extracting(Job::workerId).containsOnly("pg-a", "pg-b");
            System.out.printf("2 PostgreSQL workers: 12 jobs done, pg-a %d, pg-b %d, 0 ran twice%n",
                    jobs.stream().filter(j -> "pg-a".equals(j.workerId())).count(),
                    jobs.stream().filter(j -> "pg-b".equals(j.workerId())).count());
        }
    }

    @Test
    void aWorkerKilledMidJobLosesItOnlyForOneLease() throws Exception {
        String url = TestDatabases.freshPostgresSchemaUrl();
        try (Fleet fleet = submit(url, 24, 60)) {
            List<Process> workers = new ArrayList<>(List.of(worker(url, "pg-1"), worker(url, "pg-2"), worker(url, "pg-3")));
            long killedAt;
            long victimJob;
            try {
                Optional<Job> victim = Optional.empty();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (victim.isEmpty()) {
                    assertThat(System.nanoTime()).as("pg-1 starts a job").isLessThan(deadline);
                    victim = fleet.store().reads().running().stream()
                            .filter(j -> "pg-1".equals(j.workerId()) && j.progressIter() > 0).findFirst();
                    if (victim.isEmpty()) {
                        fleet.store().changes().awaitChange(Duration.ofMillis(200));
                    }
                }
                workers.get(0).destroyForcibly(); // SIGKILL mid-job: no heartbeat, no release
                killedAt = System.currentTimeMillis();
                victimJob = victim.get().id();
                awaitAllFinal(fleet);
            } finally {
                stop(workers);
            }
            Job rerun = fleet.store().reads().find(victimJob).orElseThrow();
            assertThat(rerun.state()).isEqualTo(JobState.DONE);
            assertThat(rerun.attempts()).isEqualTo(2);
            assertThat(rerun.workerId()).isIn("pg-2", "pg-3");
            long releaseMs = rerun.startedAt().toEpochMilli() - killedAt;
            assertThat(Duration.ofMillis(releaseMs)).isLessThanOrEqualTo(LEASE.plusSeconds(10));
            List<Job> others = fleet.ids().stream().filter(id -> id != victimJob)
                    .map(id -> fleet.store().reads().find(id).orElseThrow()).toList();
            assertThat(others).allSatisfy(j -> {
                assertThat(j.state()).isEqualTo(JobState.DONE);
                assertThat(j.attempts()).as("job %d ran once", j.id()).isEqualTo(1);
            });
            System.out.printf("3 PostgreSQL workers, pg-1 killed mid-job %d: re-claimed by %s %d ms after the kill "
                    + "(lease %d s); 24/24 done, 0 ran twice besides the killed attempt%n", victimJob, rerun.workerId(),
                    releaseMs, LEASE.toSeconds());
        }
    }
}
