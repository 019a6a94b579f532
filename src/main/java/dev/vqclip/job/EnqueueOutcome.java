package dev.vqclip.job;

/** What the store did with a submission. */
public sealed interface EnqueueOutcome {
    /** Persisted as QUEUED. */
    record Enqueued(Job job) implements EnqueueOutcome {
    }

    /** A job with the same idempotency key already exists (a retried platform event): that job. */
    record Duplicate(Job job) implements EnqueueOutcome {
    }

    /** Admission refused it; nothing was written. */
    record Refused(String reason) implements EnqueueOutcome {
    }
}
