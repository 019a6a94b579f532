package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Heartbeat;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.testing.ManualClock;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue's rules, proven on a real database; subclasses pick H2 or PostgreSQL. */
abstract class JobStoreContract {
    static final Duration LEASE = Duration.ofSeconds(60);
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
    Database db;
    JdbcJobStore store;

    abstract Database open() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        db = open();
        store = new JdbcJobStore(db, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
        db.close();
    }

    static Recipe recipe(String text) {
        return Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt(text))), 7);
    }

    static UserRef user(String id) {
        return new UserRef("discord", id, "user " + id);
    }

    Job enqueue(String userId, String text, long costMs) {
        return enqueue(new JobRequest(user(userId), recipe(text), "reply-" + text), costMs);
    }

    Job enqueue(JobRequest request, long costMs) {
        EnqueueOutcome out = store.queue().enqueue(request, costMs, "k", 3, (u, q, est) -> Optional.empty());
        assertThat(out).isInstanceOf(EnqueueOutcome.Enqueued.class);
        return ((EnqueueOutcome.Enqueued) out).job();
    }

    Lease claimNext(String worker) {
        return store.queue().claimNext(worker, LEASE, 100).orElseThrow(() -> new AssertionError("nothing claimable"));
    }

    @Test
    void aJobIsPersistedWithItsRecipeAndReplyAddress() {
        Job job = enqueue("1", "a lighthouse at dusk", 1000);
        Job read = store.reads().find(job.id()).orElseThrow();
        assertThat(read.state()).isEqualTo(JobState.QUEUED);
        assertThat(read.recipe()).isEqualTo(recipe("a lighthouse at dusk"));
        assertThat(read.replyTo()).isEqualTo("reply-a lighthouse at dusk");
        assertThat(read.user()).isEqualTo(user("1"));
        assertThat(read.createdAt()).isEqualTo(clock.instant());
        assertThat(read.progressTotal()).isEqualTo(500);
    }

    @Test
    void aNewcomerIsServedBeforeAHeavyUsersBacklog() {
        // start-time fair queuing: user 1's tags spread into the virtual future, user 2 starts at V
        Job a1 = enqueue("1", "a1", 100);
        Job a2 = enqueue("1", "a2", 100);
        Job a3 = enqueue("1", "a3", 100);
        Job b1 = enqueue("2", "b1", 100);
        assertThat(store.reads().queued()).extracting(Job::id).containsExactly(a1.id(), b1.id(), a2.id(), a3.id());
        assertThat(claimNext("w").jobId()).isEqualTo(a1.id());
        assertThat(claimNext("w").jobId()).isEqualTo(b1.id());
        assertThat(claimNext("w").jobId()).isEqualTo(a2.id());
    }

    @Test
    void costNotCountDecidesTheOrder() {
        Job big = enqueue("1", "big", 1000);
        Job after = enqueue("1", "after big", 10);
        Job small1 = enqueue("2", "s1", 10);
        Job small2 = enqueue("2", "s2", 10);
        Job small3 = enqueue("2", "s3", 10);
        // user 1's second job waits a whole big job of virtual time; user 2's three small ones fit before it
        assertThat(store.reads().queued()).extracting(Job::id)
                .containsExactly(big.id(), small1.id(), small2.id(), small3.id(), after.id());
    }

    @Test
    void theContestLaneIsClaimedFirst() {
        enqueue("1", "normal", 10);
        Job contest = enqueue(new JobRequest(user("2"), recipe("contest"), "r", Lane.CONTEST, null, null), 10);
        assertThat(claimNext("w").jobId()).isEqualTo(contest.id());
    }

    @Test
    void aUserAtTheRunningLimitIsSkippedUntilTheirJobEnds() {
        Job a1 = enqueue("1", "a1", 10);
        enqueue("1", "a2", 10);
        Job b1 = enqueue("2", "b1", 1000);
        Lease first = store.queue().claimNext("w1", LEASE, 1).orElseThrow();
        assertThat(first.jobId()).isEqualTo(a1.id());
        assertThat(store.queue().claimNext("w2", LEASE, 1).orElseThrow().jobId()).isEqualTo(b1.id());
        assertThat(store.queue().claimNext("w3", LEASE, 1)).isEmpty();
        assertThat(store.leases().complete(first, new byte[] {1}, 500, 0.5, 1000)).isTrue();
        assertThat(store.queue().claimNext("w3", LEASE, 1)).isPresent();
    }

    @Test
    void parallelClaimersNeverShareAJob() throws Exception {
        for (int i = 0; i < 200; i++) {
            enqueue(Integer.toString(i % 20), "job " + i, 10 + i % 7);
        }
        Map<Long, String> owner = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String worker = "w" + t;
                done.add(pool.submit(() -> {
                    Optional<Lease> lease;
                    while ((lease = store.queue().claimNext(worker, LEASE, 100)).isPresent()) {
                        if (owner.putIfAbsent(lease.get().jobId(), worker) != null) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).hasValue(0);
        assertThat(owner).hasSize(200);
        assertThat(store.reads().running()).hasSize(200);
    }

    @Test
    void heartbeatsRenewTheLeaseAndCarryTheCancelRequest() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        clock.advance(Duration.ofSeconds(50));
        assertThat(store.leases().heartbeat(lease, 40, 0.9, LEASE)).isEqualTo(Heartbeat.ALIVE);
        clock.advance(Duration.ofSeconds(50));
        assertThat(store.leases().reapExpired()).isEmpty(); // renewed 50 s ago, lease 60 s
        assertThat(store.reads().find(job.id()).orElseThrow().progressIter()).isEqualTo(40);
        assertThat(store.queue().cancel(job.id(), "discord:1")).contains(JobState.RUNNING);
        assertThat(store.leases().heartbeat(lease, 41, 0.8, LEASE)).isEqualTo(Heartbeat.CANCEL_REQUESTED);
        assertThat(store.leases().cancelled(lease, 5000)).isTrue();
        Job ended = store.reads().find(job.id()).orElseThrow();
        assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
        assertThat(ended.cancelledBy()).isEqualTo("discord:1");
    }

    @Test
    void anExpiredLeaseGoesBackToTheQueueAndTheStalledWorkerIsFenced() {
        Job job = enqueue("1", "a", 10);
        Lease zombie = claimNext("w1");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(store.leases().reapExpired()).extracting(Job::id).containsExactly(job.id());
        Job requeued = store.reads().find(job.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.vstart()).isEqualTo(job.vstart());
        Lease fresh = claimNext("w2");
        assertThat(fresh.token()).isGreaterThan(zombie.token());
        assertThat(store.leases().heartbeat(zombie, 3, 1.0, LEASE)).isEqualTo(Heartbeat.LOST);
        assertThat(store.leases().complete(zombie, new byte[] {9}, 500, 0.1, 1)).isFalse();
        assertThat(store.leases().complete(fresh, new byte[] {1, 2, 3}, 500, 0.2, 7000)).isTrue();
        assertThat(store.reads().result(job.id())).hasValueSatisfying(png -> assertThat(png).containsExactly(1, 2, 3));
        Job done = store.reads().find(job.id()).orElseThrow();
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
            store.leases().reapExpired();
        }
        Job failed = store.reads().find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.failure()).contains("interrupted 3 times");
        assertThat(store.queue().claimNext("w", LEASE, 100)).isEmpty();
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndGivesBackItsSlot() {
        Job a1 = enqueue("1", "a1", 100);
        Job a2 = enqueue("1", "a2", 100);
        assertThat(store.queue().cancel(a2.id(), "discord:1")).contains(JobState.CANCELLED);
        Job a3 = enqueue("1", "a3", 100);
        assertThat(a3.vstart()).isEqualTo(a2.vstart());
        assertThat(store.reads().queued()).extracting(Job::id).containsExactly(a1.id(), a3.id());
        assertThat(store.queue().cancel(a2.id(), "discord:1")).contains(JobState.CANCELLED);
        assertThat(store.queue().cancel(999_999, "discord:1")).isEmpty();
    }

    @Test
    void aRetriedPlatformEventReturnsTheFirstJob() {
        JobRequest request = new JobRequest(user("1"), recipe("a"), "r", Lane.NORMAL, null, "interaction-42");
        Job first = enqueue(request, 10);
        EnqueueOutcome again = store.queue().enqueue(request, 10, "k", 3, (u, q, est) -> Optional.empty());
        assertThat(again).isEqualTo(new EnqueueOutcome.Duplicate(store.reads().find(first.id()).orElseThrow()));
        assertThat(store.reads().queued()).hasSize(1);
    }

    @Test
    void aRefusalWritesNothingAndSeesTheUsersLoad() {
        enqueue("1", "a", 10);
        EnqueueOutcome out = store.queue().enqueue(new JobRequest(user("1"), recipe("b"), "r"), 10, "k", 3,
                (u, q, est) -> u.queued() >= 1 ? Optional.of("one is enough (" + u.queued() + " queued, " + q.queued()
                        + " in total)") : Optional.empty());
        assertThat(out).isEqualTo(new EnqueueOutcome.Refused("one is enough (1 queued, 1 in total)"));
        assertThat(store.reads().queued()).hasSize(1);
    }

    @Test
    void aFinalStateIsDeliveredOnceAndUndeliveredJobsAreListed() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        store.leases().complete(lease, new byte[] {1}, 500, 0.2, 10);
        assertThat(store.deliveries().undelivered(10)).extracting(Job::id).containsExactly(job.id());
        assertThat(store.deliveries().markDelivered(job.id(), "msg-1")).isTrue();
        assertThat(store.deliveries().markDelivered(job.id(), "msg-2")).isFalse();
        assertThat(store.deliveries().undelivered(10)).isEmpty();
        assertThat(store.reads().find(job.id()).orElseThrow().deliveryRef()).isEqualTo("msg-1");
    }

    @Test
    void atStartupOrphanedRunningJobsAreRequeued() {
        enqueue("1", "a", 10);
        enqueue("2", "b", 10);
        claimNext("dead-1");
        claimNext("dead-2");
        assertThat(store.leases().requeueAllRunning()).isEqualTo(2);
        assertThat(store.reads().queued()).hasSize(2);
        assertThat(store.reads().running()).isEmpty();
    }

    @Test
    void aJobThatKeepsKillingItsProcessFailsWhenItsAttemptsAreUsed() {
        Job poison = enqueue("1", "poison", 10);
        for (int crash = 1; crash <= 3; crash++) {
            Lease lease = claimNext("dead-" + crash);
            assertThat(lease.jobId()).isEqualTo(poison.id());
            store.leases().requeueAllRunning(); // the process died mid-render and was restarted
        }
        Job failed = store.reads().find(poison.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.failure()).contains("3 times");
        assertThat(store.queue().claimNext("w", LEASE, 100)).isEmpty();
    }

    @Test
    void simultaneousClaimersNeverRunMoreThanKJobsOfOneUser() throws Exception {
        for (int i = 0; i < 20; i++) {
            enqueue("1", "job " + i, 10);
        }
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String worker = "w" + t;
                done.add(pool.submit(() -> {
                    start.await();
                    while (finished.get() < 20) {
                        Optional<Lease> lease = store.queue().claimNext(worker, LEASE, 1);
                        if (lease.isEmpty()) {
                            Thread.onSpinWait();
                            continue;
                        }
                        maxRunning.accumulateAndGet(store.reads().running().size(), Math::max);
                        assertThat(store.leases().complete(lease.get(), new byte[] {1}, 1, 0.1, 5)).isTrue();
                        finished.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(finished).hasValue(20);
        assertThat(maxRunning.get()).as("most jobs of one user running at once with K = 1").isEqualTo(1);
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
        assertThat(store.leases().storePreview(l1, 3, new byte[] {1, 2})).isTrue();
        assertThat(store.leases().storePreview(l2, 3, new byte[] {3, 4})).isTrue();
        assertThat(store.leases().complete(l1, new byte[] {9}, 5, 0.1, 10)).isTrue();
        assertThat(store.leases().fail(l2, "broken", 10)).isTrue();
        assertThat(store.reads().preview(done.id())).isEmpty();
        assertThat(store.reads().preview(failed.id())).isEmpty();
        assertThat(store.pruning().stats().previewBytes()).isZero();
    }

    @Test
    void batchMatesShareTheHeadsKeyAndCandidatesSkipUsersAtTheirLimit() {
        Job a = enqueue("1", "a", 10);
        store.queue().enqueue(new JobRequest(user("2"), recipe("b"), "r"), 10, "other", 3, (u, q, est) -> Optional.empty());
        Job c = enqueue("3", "c", 10);
        Job d = enqueue("1", "d", 10);
        assertThat(store.queue().batchCandidates("k", Long.MAX_VALUE, 10)).extracting(Job::id)
                .containsExactly(a.id(), c.id(), d.id());
        assertThat(store.queue().batchCandidates("k", Long.MAX_VALUE, 1)).extracting(Job::id).containsExactly(a.id());
        assertThat(store.queue().batchCandidates("k", 0, 10)).as("only jobs tagged at or before the head")
                .extracting(Job::id).containsExactly(a.id(), c.id());
        claimNext("w");
        assertThat(store.queue().candidates(10, 1)).as("user 1 already runs one").extracting(Job::user)
                .extracting(UserRef::userId).doesNotContain("1");
    }

    @Test
    void ofTwoCompareAndSetClaimsOfOneJobOnlyTheFirstWins() {
        Job job = enqueue("1", "a", 10);
        Optional<Lease> first = store.queue().claim(job.id(), "w1", LEASE, 100);
        assertThat(first).isPresent();
        assertThat(store.queue().claim(job.id(), "w2", LEASE, 100)).isEmpty();
        assertThat(store.reads().find(job.id()).orElseThrow().workerId()).isEqualTo("w1");
    }

    @Test
    void aReleasedJobIsQueuedAgainWithItsAttemptGivenBack() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        assertThat(store.leases().release(lease)).isTrue();
        Job released = store.reads().find(job.id()).orElseThrow();
        assertThat(released.state()).isEqualTo(JobState.QUEUED);
        assertThat(released.attempts()).isZero();
        assertThat(store.leases().release(lease)).as("no longer running").isFalse();
    }

    @Test
    void aKeptResultIsAdoptedOnlyUnderTheJobsLatestLease() {
        Job kept = enqueue("1", "a", 10);
        Lease crashed = claimNext("w");
        store.leases().requeueAllRunning();
        assertThat(store.leases().adopt(crashed, new byte[] {7}, 5, 10)).isTrue();
        assertThat(store.reads().find(kept.id()).orElseThrow().state()).isEqualTo(JobState.DONE);
        assertThat(store.reads().result(kept.id())).hasValueSatisfying(png -> assertThat(png).containsExactly(7));

        Job rerun = enqueue("2", "b", 10);
        Lease stale = claimNext("w");
        store.leases().requeueAllRunning();
        claimNext("w2");
        assertThat(store.leases().adopt(stale, new byte[] {8}, 5, 10)).as("claimed again since").isFalse();
        assertThat(store.reads().result(rerun.id())).isEmpty();
    }
}
