package dev.vqclip.job;

import java.util.Optional;

/**
 * Decides inside the store's submit transaction whether a job may join the queue; the store calls it with the
 * user's and the queue's standing read under the user's row lock, so the decision and the insert are atomic.
 */
@FunctionalInterface
public interface Admission {
    /** @return the reason shown to the user when refused, or empty to admit */
    Optional<String> refusal(UserLoad user, QueueLoad queue, long estGpuMs);
}
