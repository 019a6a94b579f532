package dev.vqclip.job;

/**
 * A worker's claim on a running job. The token grows with every claim of the job, so a worker whose lease
 * expired (a stalled "zombie") cannot complete a job another worker has re-claimed: the store accepts a result
 * only with the current token (a fencing token, scheduler.md §4).
 */
public record Lease(long jobId, long token, String workerId) {
    public Lease {
        if (jobId < 1 || token < 1 || workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("a lease needs a job id, a token >= 1 and a worker, got "
                    + jobId + "/" + token + "/" + workerId);
        }
    }
}
