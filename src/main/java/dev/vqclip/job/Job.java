package dev.vqclip.job;

import dev.vqclip.prompt.Recipe;
import java.time.Instant;
import java.util.Optional;

/**
 * One persisted job as the store holds it.
 *
 * @param vstart        the start-time fair-queuing tag frozen at submit (smaller runs first within a lane)
 * @param estGpuMs      estimated cost at submit; {@code actualGpuMs} is the measured cost once it ran
 * @param batchKey      jobs with equal keys may share one optimizer pass
 * @param leaseToken    grows with each claim (fencing token)
 * @param progressLoss  the last reported loss, or null before the first step
 * @param previewIter   the iteration of the stored preview, or null when none is stored
 * @param failure       the reason shown to the user when FAILED, else null
 * @param deliveredAt   when an adapter confirmed it delivered the final state, or null
 */
public record Job(long id, UserRef user, Recipe recipe, String replyTo, JobState state, Lane lane, long vstart,
                  long estGpuMs, String batchKey, String promptText, Long parentId, Instant createdAt, Instant startedAt,
                  Instant finishedAt, String workerId, long leaseToken, Instant leaseUntil, int attempts, int maxAttempts,
                  int progressIter, int progressTotal, Double progressLoss, Integer previewIter,
                  boolean cancelRequested, String cancelledBy, String failure, Long actualGpuMs, Instant deliveredAt,
                  String deliveryRef) {
    public Job {
        if (id < 1 || user == null || recipe == null || state == null || lane == null || createdAt == null) {
            throw new IllegalArgumentException("a job needs an id, user, recipe, state, lane and creation time, got job "
                    + id + " in state " + state);
        }
    }

    public Optional<Long> parent() {
        return Optional.ofNullable(parentId);
    }

    /** Cost charged against the user's quota: measured when known, else the estimate. */
    public long chargedGpuMs() {
        return actualGpuMs != null ? actualGpuMs : estGpuMs;
    }
}
