package dev.vqclip.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The persistent queue (implemented over JDBC in {@code store}). Every method is one transaction; times come
 * from the store's injected clock. Methods that take a {@link Lease} succeed only while that lease is current.
 */
public interface JobStore extends AutoCloseable {

    /**
     * Persists a QUEUED job with its start-time fair-queuing tag {@code vstart = max(V, user.vfinish)} and moves the
     * user's finish tag by {@code estGpuMs / weight}, after {@code admission} accepted it under the user's row lock.
     */
    EnqueueOutcome enqueue(JobRequest request, long estGpuMs, String batchKey, int maxAttempts, Admission admission);

    /**
     * Up to {@code limit} QUEUED jobs in claim order (lane first, then vstart, then id), skipping users who already
     * have {@code maxRunningPerUser} jobs running. Read without locks; claim one with {@link #claim}.
     */
    List<Job> candidates(int limit, int maxRunningPerUser);

    /**
     * Claims the next job in fair order for {@code workerId} (PostgreSQL: FOR UPDATE SKIP LOCKED on the head row;
     * H2: unlocked candidates claimed by compare-and-set), or empty when nothing is claimable.
     */
    Optional<Lease> claimNext(String workerId, Duration lease, int maxRunningPerUser);

    /** QUEUED jobs with this batch key in claim order, for batch-mates of a claimed head. */
    List<Job> batchCandidates(String batchKey, long maxVstart, int limit);

    /**
     * Compare-and-set claim: QUEUED → RUNNING for {@code workerId} with a new token, attempts + 1, lease until
     * now + {@code lease}; advances the virtual clock to the job's vstart. Empty when someone else won the race
     * (or the user reached {@code maxRunningPerUser} meanwhile).
     */
    Optional<Lease> claim(long jobId, String workerId, Duration lease, int maxRunningPerUser);

    /** Renews the lease and records progress; reports a cancel request or a lost lease. */
    Heartbeat heartbeat(Lease lease, int iteration, Double loss, Duration leaseLength);

    /** Stores the latest preview (for adapters in other processes). Ignored without the current lease. */
    boolean storePreview(Lease lease, int iteration, byte[] png);

    /** RUNNING → DONE with the stamped PNG; false (and nothing written) when the lease is no longer current. */
    boolean complete(Lease lease, byte[] png, int iterations, double loss, long actualGpuMs);

    /**
     * A result rendered under {@code lease} but not committed (a store error outlasted the retries, or the process
     * died): DONE when that lease is still the job's latest — RUNNING, or QUEUED again and not claimed since.
     */
    boolean adopt(Lease lease, byte[] png, int iterations, long actualGpuMs);

    /** RUNNING → FAILED with the reason shown to the user; false when the lease is no longer current. */
    boolean fail(Lease lease, String reason, long actualGpuMs);

    /** RUNNING → CANCELLED after the worker stopped on a cancel request. */
    boolean cancelled(Lease lease, long actualGpuMs);

    /** RUNNING → QUEUED (graceful shutdown); the attempt is given back and the fair tag kept. */
    boolean release(Lease lease);

    /**
     * Cancels a job: a QUEUED one at once (returns CANCELLED), a RUNNING one by setting its cancel flag (the
     * worker stops at its next heartbeat; returns RUNNING). Empty when there is no such job; a final job is
     * returned unchanged.
     */
    Optional<JobState> cancel(long jobId, String byUserKey);

    /**
     * Ends expired leases: RUNNING jobs past their lease go back to QUEUED (keeping their fair tag), or to FAILED
     * when they used all attempts. Idempotent; any process may run it.
     */
    List<Job> reapExpired();

    /**
     * At startup of a single-node deployment every RUNNING row belongs to a dead process: re-queues them, except jobs
     * that used all their attempts (each claim counts one, so such a job took its process down every time), which
     * end FAILED with the reason, and jobs with a cancel request, which end CANCELLED. Returns how many were re-queued.
     */
    int requeueAllRunning();

    Optional<Job> find(long jobId);

    Optional<Job> findByIdemKey(String idemKey);

    /** All QUEUED jobs in claim order. */
    List<Job> queued();

    List<Job> running();

    /** A user's jobs, newest first. */
    List<Job> byUser(String userKey, int limit);

    /** Jobs changed at or after {@code sinceMs} or still open: what an event relay in another process compares. */
    List<Job> openOrFinishedSince(long sinceMs);

    /**
     * What stands before a QUEUED job in claim order: the queued jobs ahead and their estimated GPU time, plus the
     * estimated time left of the running jobs. One indexed count, so submitting stays cheap with a long queue.
     */
    Ahead aheadOf(long jobId);

    /** @param runningMsLeft estimated GPU time the running jobs still need */
    record Ahead(int jobs, long queuedMs, long runningMsLeft) {
    }

    Optional<byte[]> result(long jobId);

    Optional<byte[]> preview(long jobId);

    /** Records that an adapter delivered the final state; false when it already was (deliver at most once more). */
    boolean markDelivered(long jobId, String deliveryRef);

    /**
     * Records that an adapter gave up delivering the job (its platform refused, or retries ran out): it counts as
     * handled, so it is not delivered again after a restart, and the reason is kept. False when it already was.
     */
    boolean markDeliveryFailed(long jobId, String reason);

    /** Why the job's delivery failed for good, if it did. */
    Optional<String> deliveryFailure(long jobId);

    /** Final jobs whose delivery was never confirmed (after a crash), oldest first. */
    List<Job> undelivered(int limit);

    void updateReplyTo(long jobId, String replyTo);

    UserLoad userLoad(String userKey, Duration window);

    QueueLoad queueLoad(Duration workerSeenWithin);

    /** Actual ÷ estimated GPU time over the last {@code jobs} finished jobs (1 when none). */
    double costCalibration(int jobs);

    void setBanned(UserRef user, boolean banned);

    /** Worker registry: records a worker as alive with its measured pace. */
    void workerSeen(String workerId, Double msPerIteration);

    void workerGone(String workerId);

    Optional<String> setting(String name);

    void putSetting(String name, String value);

    /** Writes {@code value} only if the setting still holds {@code expected} (null: absent); false otherwise. */
    boolean compareAndSetSetting(String name, String expected, String value);

    /**
     * Takes the next pruning pass when it is due, moving the due time {@code every} ahead in the same UPDATE: of
     * several processes asking at once, exactly one gets true.
     */
    boolean claimPruning(Duration every);

    /**
     * Deletes jobs (and their results) that ended more than {@code keepResults} ago, and workers not seen for
     * {@code forgetWorkersAfter}. Open jobs are never touched.
     */
    Pruned prune(Duration keepResults, Duration forgetWorkersAfter);

    record Pruned(int jobs, int results, int workers) {
    }

    /** Sizes for operators; {@code databaseBytes} is null when the database cannot say. */
    Stats stats();

    record Stats(long jobs, long results, long resultBytes, long previewBytes, Long databaseBytes) {
    }

    /** Waits up to {@code max} for a change signalled by another process (PostgreSQL NOTIFY) or this one. */
    void awaitChange(Duration max) throws InterruptedException;

    /** Wakes {@link #awaitChange} waiters here and in other processes. */
    void signalChange();

    @Override
    void close();
}
