package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobReads;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Pruning;
import dev.vqclip.job.UserLoad;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store's parts beside the queue and its leases (reads, deliveries, accounts, the worker registry, settings,
 * pruning and change signals), proven on a real database; subclasses pick H2 or PostgreSQL.
 */
abstract class JobRecordsContract extends StoreContractBase {
    @Test
    void jobsAreFoundByRequestIdAndListedPerUserNewestFirst() {
        Job first = enqueue("1", "a", 10, "interaction-1");
        Job second = enqueue("1", "b", 10);
        enqueue("2", "c", 10);
        assertThat(jobs.reads().findByIdemKey("interaction-1")).map(Job::id).contains(first.id());
        assertThat(jobs.reads().findByIdemKey("interaction-2")).isEmpty();
        assertThat(jobs.reads().byUser(user("1").key(), 10)).extracting(Job::id).containsExactly(second.id(), first.id());
        assertThat(jobs.reads().byUser(user("1").key(), 1)).extracting(Job::id).containsExactly(second.id());
    }

    @Test
    void aheadOfAQueuedJobAreTheQueuedJobsBeforeItAndTheRunningJobsTimeLeft() {
        enqueue("1", "a", 1000);
        enqueue("2", "b", 2000);
        Job last = enqueue("3", "c", 500);
        claimNext("w");
        assertThat(jobs.reads().aheadOf(last.id())).isEqualTo(new JobReads.Ahead(1, 2000, 1000));
    }

    @Test
    void aDeliveryGivenUpIsHandledOnceAndKeepsItsReason() {
        Job job = enqueue("1", "a", 10);
        jobs.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 10);
        assertThat(jobs.deliveries().deliveryFailure(job.id())).isEmpty();
        assertThat(jobs.deliveries().markDeliveryFailed(job.id(), "the channel was deleted")).isTrue();
        assertThat(jobs.deliveries().markDeliveryFailed(job.id(), "again")).isFalse();
        assertThat(jobs.deliveries().markDelivered(job.id(), "msg-1")).as("a failed delivery counts as handled").isFalse();
        assertThat(jobs.deliveries().deliveryFailure(job.id())).contains("the channel was deleted");
        assertThat(jobs.deliveries().undelivered(10)).isEmpty();
    }

    @Test
    void aMovedReplyIsWhereTheJobAnswersFromThenOn() {
        Job job = enqueue("1", "a", 10);
        jobs.deliveries().updateReplyTo(job.id(), "card-2");
        assertThat(jobs.reads().find(job.id()).orElseThrow().replyTo()).isEqualTo("card-2");
    }

    @Test
    void aUsersLoadCountsRunningAndQueuedJobsAndChargesInsideTheWindow() {
        enqueue("1", "a", 100);
        enqueue("1", "b", 200);
        enqueue("2", "c", 400);
        claimNext("w");
        UserLoad load = jobs.accounts().userLoad(user("1").key(), Duration.ofDays(1));
        assertThat(load.running()).isEqualTo(1);
        assertThat(load.queued()).isEqualTo(1);
        assertThat(load.chargedMs()).isEqualTo(300);
        assertThat(load.banned()).isFalse();
        clock.advance(Duration.ofDays(2));
        assertThat(jobs.accounts().userLoad(user("1").key(), Duration.ofDays(1)).charges()).isEmpty();
    }

    @Test
    void aBanIsSeenByTheLoadEvenForAUserWithoutJobsAndCanBeLifted() {
        jobs.accounts().setBanned(user("9"), true);
        assertThat(jobs.accounts().userLoad(user("9").key(), Duration.ofDays(1)).banned()).isTrue();
        jobs.accounts().setBanned(user("9"), false);
        assertThat(jobs.accounts().userLoad(user("9").key(), Duration.ofDays(1)).banned()).isFalse();
    }

    @Test
    void costCalibrationIsActualOverEstimatedTimeOfTheLastDoneJobs() {
        assertThat(jobs.accounts().costCalibration(10)).as("no finished job yet").isEqualTo(1.0);
        enqueue("1", "a", 100);
        enqueue("2", "b", 100);
        jobs.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 300);
        clock.advance(Duration.ofSeconds(1));
        jobs.leases().complete(claimNext("w"), new byte[] {1}, 5, 0.1, 100);
        assertThat(jobs.accounts().costCalibration(10)).isEqualTo(2.0);
        assertThat(jobs.accounts().costCalibration(1)).as("the latest job only").isEqualTo(1.0);
    }

    @Test
    void aWorkerCountsWhileSeenRecentlyAndNotOnceGone() {
        jobs.workers().workerSeen("w1", 12.5);
        jobs.workers().workerSeen("w2", null);
        assertThat(jobs.workers().queueLoad(Duration.ofMinutes(2)).workers()).isEqualTo(2);
        jobs.workers().workerGone("w1");
        assertThat(jobs.workers().queueLoad(Duration.ofMinutes(2)).workers()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(3));
        assertThat(jobs.workers().queueLoad(Duration.ofMinutes(2)).workers()).isZero();
    }

    @Test
    void compareAndSetWritesOnlyOverTheExpectedValue() {
        assertThat(jobs.settings().compareAndSetSetting("rules.x", null, "a")).isTrue();
        assertThat(jobs.settings().compareAndSetSetting("rules.x", null, "b")).as("already present").isFalse();
        assertThat(jobs.settings().compareAndSetSetting("rules.x", "stale", "c")).isFalse();
        assertThat(jobs.settings().compareAndSetSetting("rules.x", "a", "c")).isTrue();
        assertThat(jobs.settings().setting("rules.x")).contains("c");
    }

    @Test
    void aSignalWakesAWaiterLongBeforeItsTimeout() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Long> waitedMs = pool.submit(() -> {
                long start = System.nanoTime();
                jobs.changes().awaitChange(Duration.ofSeconds(60));
                return (System.nanoTime() - start) / 1_000_000;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // the waiter may not be waiting yet when a signal comes: signal until it wakes
            while (!waitedMs.isDone() && System.nanoTime() < deadline) {
                jobs.changes().signalChange();
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
        assertThat(jobs.leases().complete(l1, new byte[] {1, 2, 3}, 5, 0.1, 10)).isTrue();
        jobs.workers().workerSeen("gone", null);
        clock.advance(Duration.ofDays(80));
        Job recent = enqueue("2", "recent", 10);
        Lease l2 = claimNext("w2");
        assertThat(jobs.leases().complete(l2, new byte[] {4}, 5, 0.1, 10)).isTrue();
        Job waiting = enqueue("3", "waiting", 10);
        jobs.workers().workerSeen("alive", null);
        clock.advance(Duration.ofDays(11));
        jobs.workers().workerSeen("alive", null);
        assertThat(jobs.pruning().stats().resultBytes()).isEqualTo(4);

        assertThat(jobs.pruning().prune(Duration.ofDays(90), Duration.ofDays(1))).isEqualTo(new Pruning.Pruned(1, 1, 1));
        assertThat(jobs.reads().find(old.id())).isEmpty();
        assertThat(jobs.reads().result(old.id())).isEmpty();
        assertThat(jobs.reads().find(recent.id())).isPresent();
        assertThat(jobs.reads().result(recent.id())).isPresent();
        assertThat(jobs.reads().find(waiting.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(jobs.workers().queueLoad(Duration.ofMinutes(1)).workers()).isEqualTo(1);
        assertThat(jobs.pruning().stats().jobs()).isEqualTo(2);
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
                    return jobs.pruning().claimPruning(Duration.ofDays(1));
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
        assertThat(jobs.pruning().claimPruning(Duration.ofDays(1))).as("not due yet").isFalse();
        clock.advance(Duration.ofHours(2));
        assertThat(jobs.pruning().claimPruning(Duration.ofDays(1))).isTrue();
    }

    @Test
    void previewsAndSettingsRoundTrip() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        assertThat(jobs.leases().storePreview(lease, 12, new byte[] {4, 5})).isTrue();
        assertThat(jobs.reads().preview(job.id())).hasValueSatisfying(p -> assertThat(p).containsExactly(4, 5));
        assertThat(jobs.reads().find(job.id()).orElseThrow().previewIter()).isEqualTo(12);
        jobs.settings().putSetting("queue.paused", "true");
        jobs.settings().putSetting("queue.paused", "false");
        assertThat(jobs.settings().setting("queue.paused")).contains("false");
        assertThat(jobs.workers().queueLoad(Duration.ofMinutes(1)).paused()).isFalse();
    }

    @Test
    void aFinalStateIsDeliveredOnceAndUndeliveredJobsAreListed() {
        Job job = enqueue("1", "a", 10);
        Lease lease = claimNext("w");
        jobs.leases().complete(lease, new byte[] {1}, 500, 0.2, 10);
        assertThat(jobs.deliveries().undelivered(10)).extracting(Job::id).containsExactly(job.id());
        assertThat(jobs.deliveries().markDelivered(job.id(), "msg-1")).isTrue();
        assertThat(jobs.deliveries().markDelivered(job.id(), "msg-2")).isFalse();
        assertThat(jobs.deliveries().undelivered(10)).isEmpty();
        assertThat(jobs.reads().find(job.id()).orElseThrow().deliveryRef()).isEqualTo("msg-1");
    }
}
