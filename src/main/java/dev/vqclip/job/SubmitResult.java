package dev.vqclip.job;

import java.time.Duration;

/** The answer to a submission: a persisted job with its place in the queue, or a refusal that says why. */
public sealed interface SubmitResult {

    /**
     * @param position  1-based place in claim order (0 when it already runs)
     * @param eta       estimated time until the result, or null when unknown
     * @param duplicate true when the request's idempotency key matched an existing job (nothing new was queued)
     */
    record Accepted(Job job, int position, Duration eta, boolean duplicate) implements SubmitResult {
    }

    /** @param reason shown to the user as is */
    record Refused(String reason) implements SubmitResult {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal must say why");
            }
        }
    }
}
