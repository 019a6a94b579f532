package dev.vqclip.job;

import java.time.Duration;

/** What happens to a job, as adapters see it. Events of one job arrive in order. */
public sealed interface JobEvent {
    long jobId();

    /** Waiting: 1-based position in claim order and the estimated time until the result. */
    record Queued(long jobId, int position, Duration eta) implements JobEvent {
    }

    /** A worker claimed the job (again, after a re-lease: attempt > 1). */
    record Started(long jobId, String workerId, int attempt) implements JobEvent {
    }

    /** @param previewPng a PNG of the current image, or null on steps without one */
    record Progress(long jobId, int iteration, int total, double loss, byte[] previewPng) implements JobEvent {
    }

    /** The stamped final PNG. */
    record Finished(long jobId, byte[] png, long seed, int iterations, double loss) implements JobEvent {
    }

    /** @param reason shown to the user */
    record Failed(long jobId, String reason) implements JobEvent {
    }

    /** @param byUserKey who cancelled it, or null when unknown */
    record Cancelled(long jobId, String byUserKey) implements JobEvent {
    }

    default boolean isFinal() {
        return this instanceof Finished || this instanceof Failed || this instanceof Cancelled;
    }
}
