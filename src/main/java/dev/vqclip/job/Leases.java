package dev.vqclip.job;

import java.time.Duration;
import java.util.List;

/**
 * Writes under a claim's {@link Lease}: each succeeds only while that lease is current, so a worker that lost its
 * job (reaped, re-queued, claimed again) cannot overwrite the newer attempt. Every method is one transaction.
 */
public interface Leases {

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
}
