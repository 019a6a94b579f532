package dev.vqclip.store;

import static dev.vqclip.store.JobStoreContract.recipe;
import static dev.vqclip.store.JobStoreContract.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobReads;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.testing.ManualClock;
import dev.vqclip.job.Pruning;
import dev.vqclip.job.UserLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's parts beside the queue and its leases (reads, deliveries, accounts, the worker registry, settings,
 * pruning and change signals), proven on a real database; subclasses pick H2 or PostgreSQL.
 */
abstract class JobRecordsContract {
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

    Job enqueue(String userId, String text, long costMs, String idemKey) {
        JobRequest request = new JobRequest(user(userId), recipe(text), "reply-" + text, Lane.NORMAL, null, idemKey);
        EnqueueOutcome out = store.queue().enqueue(request, costMs, "k", 3, (u, q, est) -> Optional.empty());
        assertThat(out).isInstanceOf(EnqueueOutcome.Enqueued.class);
        return ((EnqueueOutcome.Enqueued) out).job();
    }

    Job enqueue(String userId, String text, long costMs) {
        return enqueue(userId, text, costMs, null);
    }

    Lease claimNext(String worker) {
        return store.queue().claimNext(worker, LEASE, 100).orElseThrow(() -> new AssertionError("nothing claimable"));
    }

    @Test
    void jobsAreFoundByRequestIdAndListedPerUserNewestFirst() {
        Job first = enqueue("1", "a", 10, "interaction-1");
        Job second = enqueue("1", "b", 10);
        enqueue("2", "c", 10);
        assertThat(store.reads().findByIdemKey("interaction-1")).map(Job::id).contains(first.id());
        assertThat(store.reads().findByIdemKey("interaction-2")).isEmpty();
        assertThat(store.reads().byUser(user("1").key(), 10)).extracting(Job::id).containsExactly(second.id(), first.id());
        assertThat(store.reads().byUser(user("1").key(), 1)).extracting(Job::id).containsExactly(second.id());
    }

    @Test
    void aheadOfAQueuedJobAreTheQueuedJobsBeforeItAndTheRunningJobsTimeLeft() {
        enqueue("1", "a", 1000);
        enqueue("2", "b", 2000);
        Job last = enqueue("3", "c", 500);
        claimNext("w");
        assertThat(store.reads().aheadOf(last.id())).isEqualTo(new JobReads.Ahead(1, 2000, 1000));
    }

    @Test
    void aDeliveryGivenUpIsHandledOnceAndKeepsItsReason() {
        Job job = enqueue("1", "a", 10);
        store.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 10);
        assertThat(store.deliveries().deliveryFailure(job.id())).isEmpty();
        assertThat(store.deliveries().markDeliveryFailed(job.id(), "the channel was deleted")).isTrue();
        assertThat(store.deliveries().markDeliveryFailed(job.id(), "again")).isFalse();
        assertThat(store.deliveries().markDelivered(job.id(), "msg-1")).as("a failed delivery counts as handled").isFalse();
        assertThat(store.deliveries().deliveryFailure(job.id())).contains("the channel was deleted");
        assertThat(store.deliveries().undelivered(10)).isEmpty();
    }

    @Test
    void aMovedReplyIsWhereTheJobAnswersFromThenOn() {
        Job job = enqueue("1", "a", 10);
        store.deliveries().updateReplyTo(job.id(), "card-2");
        assertThat(store.reads().find(job.id()).orElseThrow().replyTo()).isEqualTo("card-2");
    }

    @Test
    void aUsersLoadCountsRunningAndQueuedJobsAndChargesInsideTheWindow() {
        enqueue("1", "a", 100);
        enqueue("1", "b", 200);
        enqueue("2", "c", 400);
        claimNext("w");
        UserLoad load = store.accounts().userLoad(user("1").key(), Duration.ofDays(1));
        assertThat(load.running()).isEqualTo(1);
        assertThat(load.queued()).isEqualTo(1);
        assertThat(load.chargedMs()).isEqualTo(300);
        assertThat(load.banned()).isFalse();
        clock.advance(Duration.ofDays(2));
        assertThat(store.accounts().userLoad(user("1").key(), Duration.ofDays(1)).charges()).isEmpty();
    }

    @Test
    void aBanIsSeenByTheLoadEvenForAUserWithoutJobsAndCanBeLifted() {
        store.accounts().setBanned(user("9"), true);
        assertThat(store.accounts().userLoad(user("9").key(), Duration.ofDays(1)).banned()).isTrue();
        store.accounts().setBanned(user("9"), false);
        assertThat(store.accounts().userLoad(user("9").key(), Duration.ofDays(1)).banned()).isFalse();
    }

    @Test
    void costCalibrationIsActualOverEstimatedTimeOfTheLastDoneJobs() {
        assertThat(store.accounts().costCalibration(10)).as("no finished job yet").isEqualTo(1.0);
        enqueue("1", "a", 100);
        enqueue("2", "b", 100);
        store.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 300);
        clock.advance(Duration.ofSeconds(1));
        store.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 100);
        assertThat(store.accounts().costCalibration(10)).isEqualTo(2.0);
        assertThat(store.accounts().costCalibration(1)).as("the latest job only").isEqualTo(1.0);
    }

    @Test
    void aWorkerCountsWhileSeenRecentlyAndNotOnceGone() {
        store.workers().workerSeen("w1", 12.5);
        store.workers().workerSeen("w2", null);
        assertThat(store.workers().queueLoad(Duration.ofMinutes(2)).workers()).isEqualTo(2);
        store.workers().workerGone("w1");
        assertThat(store.workers().queueLoad(Duration.ofMinutes(2)).workers()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(3));
        assertThat(store.workers().queueLoad(Duration.ofMinutes(2)).workers()).isZero();
    }

    @Test
    void compareAndSetWritesOnlyOverTheExpectedValue() {
        assertThat(store.settings().compareAndSetSetting("rules.x", null, "a")).isTrue();
        assertThat(store.settings().compareAndSetSetting("rules.x", null, "b")).as("already present").isFalse();
        assertThat(store.settings().compareAndSetSetting("rules.x", "stale", "c")).isFalse();
        assertThat(store.settings().compareAndSetSetting("rules.x", "a", "c")).isTrue();
        assertThat(store.settings().setting("rules.x")).contains("c");
    }

    @Test
    void aSignalWakesAWaiterLongBeforeItsTimeout() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> waitedMs = pool.submit(() -> {
                long start = System.nanoTime();
                store.changes().awaitChange(Duration.ofSeconds(60));
                return (System.nanoTime() - start) / 1_000_000;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // the waiter may not be waiting yet when a signal comes: signal until it wakes
            while (!waitedMs.isDone() && System.nanoTime() < deadline) {
                store.changes().signalChange();
                Thread.sleep(20);
            }
            assertThat(waitedMs.get(1, TimeUnit.SECONDS)).isLessThan(20_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pruningDeletesOnlyJobsThatEndedBeforeTheCutoff() {
        Job old = enqueue("1", "old", 10);
        Lease l1 = claimNext("w1");
        assertThat(store.leases().complete(l1, new byte[] {1, 2, 3}, 5, 0.1, 10)).isTrue();
        store.workers().workerSeen("gone", null);
        clock.advance(Duration.ofDays(80));
        Job recent = enqueue("2", "recent", 10);
        Lease l2 = claimNext("w2");
        assertThat(store.leases().complete(l2, new byte[] {4}, 5, 0.1, 10)).isTrue();
        Job waiting = enqueue("3", "waiting", 10);
        store.workers().workerSeen("alive", null);
        clock.advance(Duration.ofDays(11));
        store.workers().workerSeen("alive", null);
        assertThat(store.pruning().stats().resultBytes()).isEqualTo(4);

        assertThat(store.pruning().prune(Duration.ofDays(90), Duration.ofDays(1))).isEqualTo(new Pruning.Pruned(1, 1, 1));
        assertThat(store.reads().find(old.id())).isEmpty();
        assertThat(store.reads().result(old.id())).isEmpty();
        assertThat(store.reads().find(recent.id())).isPresent();
        assertThat(store.reads().result(recent.id())).isPresent();
        assertThat(store.reads().find(waiting.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(store.workers().queueLoad(Duration.ofMinutes(1)).workers()).isEqualTo(1);
        assertThat(store.pruning().stats().jobs()).isEqualTo(2);
    }

    @Test
    void ofManyProcessesAskingOnlyOneRunsTheDuePruningPass() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(8);
            List<Future<Boolean>> asks = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                asks.add(pool.submit(() -> {
                    start.await();
                    return store.pruning().claimPruning(Duration.ofDays(1));
                }));
            }
            int won = 0;
            for (Future<Boolean> f : asks) {
                won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        clock.advance(Duration.ofHours(23));
        assertThat(store.pruning().claimPruning(Duration.ofDays(1))).as("not due yet").isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(store.pruning().claimPruning(Duration.ofDays(1))).isTrue();
    }

    @Test
    void previewsAndSettingsRoundTrip() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        assertThat(store.leases().storePreview(lease, 12, new byte[] {4, 5})).isTrue();
        assertThat(store.reads().preview(job.id())).hasValueSatisfying(p -> assertThat(p).containsExactly(4, 5));
        assertThat(store.reads().find(job.id()).orElseThrow().previewIter()).isEqualTo(12);
        store.settings().putSetting("queue.paused", "true");
        store.settings().putSetting("queue.paused", "false");
        assertThat(store.settings().setting("queue.paused")).contains("false");
        assertThat(store.workers().queueLoad(Duration.ofMinutes(1)).paused()).isFalse();
    }
}
