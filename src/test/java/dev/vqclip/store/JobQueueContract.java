package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.job.UserRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The queue's rules (order, fairness, limits, claims, cancelling), proven on a real database; subclasses pick H2
 * or PostgreSQL.
 */
abstract class JobQueueContract extends StoreContractBase {
    @Test
    void aJobIsPersistedWithItsRecipeAndReplyAddress() {
        Job job = enqueue("1", "a lighthouse at dusk", 1000);
        Job read = jobs.reads().find(job.id()).orElseThrow();
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
        assertThat(jobs.reads().queued()).extracting(Job::id).containsExactly(a1.id(), b1.id(), a2.id(), a3.id());
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
        assertThat(jobs.reads().queued()).extracting(Job::id)
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
        Lease first = jobs.queue().claimNext("w1", LEASE, 1).orElseThrow();
        assertThat(first.jobId()).isEqualTo(a1.id());
        assertThat(jobs.queue().claimNext("w2", LEASE, 1).orElseThrow().jobId()).isEqualTo(b1.id());
        assertThat(jobs.queue().claimNext("w3", LEASE, 1)).isEmpty();
        assertThat(jobs.leases().complete(first, new byte[] {1}, 500, 0.5, 1000)).isTrue();
        assertThat(jobs.queue().claimNext("w3", LEASE, 1)).isPresent();
    }

    @Test
    void parallelClaimersNeverShareAJob() throws Exception {
        for (int i = 0; i < 200; i++) {
            enqueue(Integer.toString(i % 20), "job " + i, 10 + i % 7);
        }
        Map<Long, String> owner = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        onEightWorkers(Duration.ofSeconds(60), worker -> {
            Optional<Lease> lease;
            while ((lease = jobs.queue().claimNext(worker, LEASE, 100)).isPresent()) {
                if (owner.putIfAbsent(lease.get().jobId(), worker) != null) {
                    duplicates.incrementAndGet();
                }
            }
        });
        assertThat(duplicates).hasValue(0);
        assertThat(owner).hasSize(200);
        assertThat(jobs.reads().running()).hasSize(200);
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnceAndGivesBackItsSlot() {
        Job a1 = enqueue("1", "a1", 100);
        Job a2 = enqueue("1", "a2", 100);
        assertThat(jobs.queue().cancel(a2.id(), "discord:1")).contains(JobState.CANCELLED);
        Job a3 = enqueue("1", "a3", 100);
        assertThat(a3.vstart()).isEqualTo(a2.vstart());
        assertThat(jobs.reads().queued()).extracting(Job::id).containsExactly(a1.id(), a3.id());
        assertThat(jobs.queue().cancel(a2.id(), "discord:1")).contains(JobState.CANCELLED);
        assertThat(jobs.queue().cancel(999_999, "discord:1")).isEmpty();
    }

    @Test
    void aRetriedPlatformEventReturnsTheFirstJob() {
        JobRequest request = new JobRequest(user("1"), recipe("a"), "r", Lane.NORMAL, null, "interaction-42");
        Job first = enqueue(request, 10);
        EnqueueOutcome again = jobs.queue().enqueue(request, 10, "k", 3, (u, q, est) -> Optional.empty());
        assertThat(again).isEqualTo(new EnqueueOutcome.Duplicate(jobs.reads().find(first.id()).orElseThrow()));
        assertThat(jobs.reads().queued()).hasSize(1);
    }

    @Test
    void aRefusalWritesNothingAndSeesTheUsersLoad() {
        enqueue("1", "a", 10);
        EnqueueOutcome out = jobs.queue().enqueue(new JobRequest(user("1"), recipe("b"), "r"), 10, "k", 3,
                (u, q, est) -> u.queued() >= 1 ? Optional.of("one is enough (" + u.queued() + " queued, " + q.queued()
                        + " in total)") : Optional.empty());
        assertThat(out).isEqualTo(new EnqueueOutcome.Refused("one is enough (1 queued, 1 in total)"));
        assertThat(jobs.reads().queued()).hasSize(1);
    }

    @Test
    void simultaneousClaimersNeverRunMoreThanKJobsOfOneUser() throws Exception {
        for (int i = 0; i < 20; i++) {
            enqueue("1", "job " + i, 10);
        }
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(8);
        onEightWorkers(Duration.ofSeconds(120), worker -> {
            start.await();
            while (finished.get() < 20) {
                Optional<Lease> lease = jobs.queue().claimNext(worker, LEASE, 1);
                if (lease.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                maxRunning.accumulateAndGet(jobs.reads().running().size(), Math::max);
                assertThat(jobs.leases().complete(lease.get(), new byte[] {1}, 1, 0.1, 5)).isTrue();
                finished.incrementAndGet();
            }
        });
        assertThat(finished).hasValue(20);
        assertThat(maxRunning.get()).as("most jobs of one user running at once with K = 1").isEqualTo(1);
    }

    @Test
    void batchMatesShareTheHeadsKeyAndCandidatesSkipUsersAtTheirLimit() {
        Job a = enqueue("1", "a", 10);
        jobs.queue().enqueue(new JobRequest(user("2"), recipe("b"), "r"), 10, "other", 3, (u, q, est) -> Optional.empty());
        Job c = enqueue("3", "c", 10);
        Job d = enqueue("1", "d", 10);
        assertThat(jobs.queue().batchCandidates("k", Long.MAX_VALUE, 10)).extracting(Job::id)
                .containsExactly(a.id(), c.id(), d.id());
        assertThat(jobs.queue().batchCandidates("k", Long.MAX_VALUE, 1)).extracting(Job::id).containsExactly(a.id());
        assertThat(jobs.queue().batchCandidates("k", 0, 10)).as("only jobs tagged at or before the head")
                .extracting(Job::id).containsExactly(a.id(), c.id());
        claimNext("w");
        assertThat(jobs.queue().candidates(10, 1)).as("user 1 already runs one").extracting(Job::user)
                .extracting(UserRef::userId).doesNotContain("1");
    }

    @Test
    void ofTwoCompareAndSetClaimsOfOneJobOnlyTheFirstWins() {
        Job job = enqueue("1", "a", 10);
        Optional<Lease> first = jobs.queue().claim(job.id(), "w1", LEASE, 100);
        assertThat(first).isPresent();
        assertThat(jobs.queue().claim(job.id(), "w2", LEASE, 100)).isEmpty();
        assertThat(jobs.reads().find(job.id()).orElseThrow().workerId()).isEqualTo("w1");
    }

    /** What one claiming thread does, given its worker id. */
    @FunctionalInterface
    private interface WorkerLoop {
        void run(String worker) throws Exception;
    }

    /** Runs {@code loop} on eight threads at once, as workers w0 to w7, and waits up to {@code limit} for each. */
    private static void onEightWorkers(Duration limit, WorkerLoop loop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String worker = "w" + t;
                done.add(pool.submit(() -> {
                    loop.run(worker);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
