package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.testing.ManualClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reaper reads expired leases, then re-queues each job in its own UPDATE. A heartbeat that commits between the
 * two must keep the job: the UPDATE re-checks the expiry against the row as committed, not as read. The heartbeat is
 * held open in a second transaction so the reaper's UPDATE provably waits on it and runs after it.
 */
class ReaperRecheckTest {
    static final Duration LEASE = Duration.ofSeconds(30);
    final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aHeartbeatThatLandsAfterTheReapersReadKeepsTheJob(String database) throws Exception {
        try (Database db = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.postgres();
             JdbcJobStore store = new JdbcJobStore(db, clock)) {
            EnqueueOutcome out = store.queue().enqueue(new JobRequest(StoreContractBase.user("1"),
                    StoreContractBase.recipe("a lighthouse"), "reply"), 1000, "k", 3, (u, q, est) -> Optional.empty());
            Job queued = ((EnqueueOutcome.Enqueued) out).job();
            Lease lease = store.queue().claimNext("w1", LEASE, 100).orElseThrow();
            clock.advance(LEASE.plusSeconds(5)); // the lease has run out by the reaper's clock

            long renewedUntil = clock.millis() + LEASE.toMillis();
            try (Connection heartbeat = db.dataSource().getConnection()) {
                heartbeat.setAutoCommit(false);
                try (PreparedStatement s = heartbeat.prepareStatement(
                        "UPDATE gen_job SET lease_until_ms = ? WHERE id = ? AND lease_token = ?")) {
                    s.setLong(1, renewedUntil);
                    s.setLong(2, queued.id());
                    s.setLong(3, lease.token());
                    assertThat(s.executeUpdate()).isEqualTo(1);
                }
                CompletableFuture<List<Job>> reaping = CompletableFuture.supplyAsync(store.leases()::reapExpired);
                Thread.sleep(1500); // the reaper has read the old expiry and now waits on the heartbeat's row lock
                assertThat(reaping).as("the reaper waits for the open heartbeat").isNotDone();
                heartbeat.commit();
                assertThat(reaping.get(30, TimeUnit.SECONDS)).as("jobs reaped").isEmpty();
            }
            Job after = store.reads().find(queued.id()).orElseThrow();
            assertThat(after.state()).isEqualTo(JobState.RUNNING);
            assertThat(store.leases().heartbeat(lease, 1, null, LEASE)).as("the worker still holds its lease")
                    .isNotEqualTo(dev.vqclip.job.Heartbeat.LOST);
        }
    }
}
