package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Heartbeat;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What a lease guarantees (renewal, expiry, fencing, restarts, skewed worker clocks), proven on a real database;
 * subclasses pick H2 or PostgreSQL.
 */
abstract class JobLeasesContract extends StoreContractBase {
    @Test
    void heartbeatsRenewTheLeaseAndCarryTheCancelRequest() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        clock.advance(Duration.ofSeconds(50));
        assertThat(jobs.leases().heartbeat(lease, 40, 0.9, LEASE)).isEqualTo(Heartbeat.ALIVE);
        clock.advance(Duration.ofSeconds(50));
        assertThat(jobs.leases().reapExpired()).isEmpty(); // renewed 50 s ago, lease 60 s
        assertThat(jobs.reads().find(job.id()).orElseThrow().progressIter()).isEqualTo(40);
        assertThat(jobs.queue().cancel(job.id(), "discord:1")).contains(JobState.RUNNING);
        assertThat(jobs.leases().heartbeat(lease, 41, 0.8, LEASE)).isEqualTo(Heartbeat.CANCEL_REQUESTED);
        assertThat(jobs.leases().cancelled(lease, 5000)).isTrue();
        Job ended = jobs.reads().find(job.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
        assertThat(ended.cancelledBy()).isEqualTo("discord:1");
    }

    @Test
    void anExpiredLeaseGoesBackToTheQueueAndTheStalledWorkerIsFenced() {
        Job job = enqueue("1", "a", 10);
        Lease zombie = claimNext("w1");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(jobs.leases().reapExpired()).extracting(Job::id).containsExactly(job.id());
        Job requeued = jobs.reads().find(job.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.vstart()).isEqualTo(job.vstart());
        Lease fresh = claimNext("w2");
        assertThat(fresh.token()).isGreaterThan(zombie.token());
        assertThat(jobs.leases().heartbeat(zombie, 3, 1.0, LEASE)).isEqualTo(Heartbeat.LOST);
        assertThat(jobs.leases().complete(zombie, new byte[] {9}, 500, 0.1, 1)).isFalse();
        assertThat(jobs.leases().complete(fresh, new byte[] {1, 2, 3}, 500, 0.2, 7000)).isTrue();
        assertThat(jobs.reads().result(job.id())).hasValueSatisfying(png -> assertThat(png).containsExactly(1, 2, 3));
        Job done = jobs.reads().find(job.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DONE);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.actualGpuMs()).isEqualTo(7000L);
    }

    @Test
    void aJobFailsAfterItsLastAttemptExpires() {
        Job job = enqueue("1", "a", 10);
        for (int attempt = 1; attempt <= 3; attempt++) {
            claimNext("w" + attempt);
            clock.advance(LEASE.plusSeconds(1));
            jobs.leases().reapExpired();
        }
        Job failed = jobs.reads().find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.failure()).contains("interrupted 3 times");
        assertThat(jobs.queue().claimNext("w", LEASE, 100)).isEmpty();
    }

    @Test
    void atStartupOrphanedRunningJobsAreRequeued() {
        enqueue("1", "a", 10);
        enqueue("2", "b", 10);
        claimNext("dead-1");
        claimNext("dead-2");
        assertThat(jobs.leases().requeueAllRunning()).isEqualTo(2);
        assertThat(jobs.reads().queued()).hasSize(2);
        assertThat(jobs.reads().running()).isEmpty();
    }

    @Test
    void aJobThatKeepsKillingItsProcessFailsWhenItsAttemptsAreUsed() {
        Job poison = enqueue("1", "poison", 10);
        for (int crash = 1; crash <= 3; crash++) {
            Lease lease = claimNext("dead-" + crash);
            assertThat(lease.jobId()).isEqualTo(poison.id());
            jobs.leases().requeueAllRunning(); // the process died mid-render and was restarted
        }
        Job failed = jobs.reads().find(poison.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.failure()).contains("3 times");
        assertThat(jobs.queue().claimNext("w", LEASE, 100)).isEmpty();
    }

    @Test
    void aWorkerWhoseClockIsMinutesAheadReapsNoLiveLease() {
        try (JdbcJobStore serve = JdbcJobStore.withDatabaseTime(db, java.time.Clock.systemUTC());
             JdbcJobStore ahead = JdbcJobStore.withDatabaseTime(db,
                     java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(10)))) {
            Job job = enqueue("1", "live", 10);
            Lease lease = serve.queue().claimNext("w-serve", LEASE, 100).orElseThrow();
            assertThat(ahead.leases().reapExpired()).as("jobs reaped by the fast worker").isEmpty();
            assertThat(serve.reads().find(job.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
            assertThat(serve.leases().complete(lease, new byte[] {1}, 1, 0.1, 5)).isTrue();
        }
    }

    @Test
    void aFinalWrittenByAWorkerWhoseClockIsMinutesBehindIsSeenByTheWatcher() {
        try (JdbcJobStore serve = JdbcJobStore.withDatabaseTime(db, java.time.Clock.systemUTC());
             JdbcJobStore behind = JdbcJobStore.withDatabaseTime(db,
                     java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(-10)))) {
            Job job = enqueue("1", "slow clock", 10);
            long lookBackFrom = java.time.Clock.systemUTC().millis() - 5_000;
            Lease lease = behind.queue().claimNext("w-behind", LEASE, 100).orElseThrow();
            Job running = serve.reads().find(job.id()).orElseThrow();
            assertThat(running.leaseUntil()).as("lease end in database time")
                    .isAfter(java.time.Instant.now().plus(LEASE).minusSeconds(5));
            assertThat(behind.leases().complete(lease, new byte[] {1}, 1, 0.1, 5)).isTrue();
            assertThat(serve.reads().openOrFinishedSince(lookBackFrom)).extracting(Job::id).contains(job.id());
        }
    }

    @Test
    void aJobDropsItsPreviewWhenItEnds() {
        Job done = enqueue("1", "a", 10);
        Job failed = enqueue("2", "b", 10);
        Lease l1 = claimNext("w1");
        Lease l2 = claimNext("w2");
        assertThat(jobs.leases().storePreview(l1, 3, new byte[] {1, 2})).isTrue();
        assertThat(jobs.leases().storePreview(l2, 3, new byte[] {3, 4})).isTrue();
        assertThat(jobs.leases().complete(l1, new byte[] {9}, 5, 0.1, 10)).isTrue();
        assertThat(jobs.leases().fail(l2, "broken", 10)).isTrue();
        assertThat(jobs.reads().preview(done.id())).isEmpty();
        assertThat(jobs.reads().preview(failed.id())).isEmpty();
        assertThat(jobs.pruning().stats().previewBytes()).isZero();
    }

    @Test
    void aReleasedJobIsQueuedAgainWithItsAttemptGivenBack() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        assertThat(jobs.leases().release(lease)).isTrue();
        Job released = jobs.reads().find(job.id()).orElseThrow();
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(jobs.leases().release(lease)).as("no longer running").isFalse();
    }

    @Test
    void aKeptResultIsAdoptedOnlyUnderTheJobsLatestLease() {
        Job kept = enqueue("1", "a", 10);
        Lease crashed = claimNext("w");
        jobs.leases().requeueAllRunning();
        assertThat(jobs.leases().adopt(crashed, new byte[] {7}, 5, 10)).isTrue();
        assertThat(jobs.reads().find(kept.id()).orElseThrow().state()).isEqualTo(JobState.DONE);
        assertThat(jobs.reads().result(kept.id())).hasValueSatisfying(png -> assertThat(png).containsExactly(7));

        Job rerun = enqueue("2", "b", 10);
        Lease stale = claimNext("w");
        jobs.leases().requeueAllRunning();
        claimNext("w2");
        assertThat(jobs.leases().adopt(stale, new byte[] {8}, 5, 10)).as("claimed again since").isFalse();
        assertThat(jobs.reads().result(rerun.id())).isEmpty();
    }
}
