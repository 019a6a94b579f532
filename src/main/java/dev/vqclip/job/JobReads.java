package dev.vqclip.job;

import java.util.List;
import java.util.Optional;

/** Read-only views of stored jobs, their images and their place in the queue. */
public interface JobReads {

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
}
