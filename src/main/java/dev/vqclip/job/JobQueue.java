package dev.vqclip.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The persistent queue's way in and its claims (implemented over JDBC in {@code store}). Every method is one
 * transaction; times come from the store's injected clock.
 */
public interface JobQueue {

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

    /**
     * Cancels a job: a QUEUED one at once (returns CANCELLED), a RUNNING one by setting its cancel flag (the
     * worker stops at its next heartbeat; returns RUNNING). Empty when there is no such job; a final job is
     * returned unchanged.
     */
    Optional<JobState> cancel(long jobId, String byUserKey);
}
