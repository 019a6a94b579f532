package dev.vqclip.bench.job;

import java.util.OptionalInt;

/** The queue a {@link BurstSimulation} drives: admits submissions, hands the next job to an idle worker, takes it back done. */
interface ClaimOrder {
    /** @return whether the submission was admitted */
    boolean submit(BurstTrace.Submission submission);

    /** The arrival number of the job {@code worker} claims now, or empty when nothing is claimable. */
    OptionalInt claim(int worker);

    /** The job {@code worker} claimed has run for {@code durationMs} and is done. */
    void complete(int worker, long durationMs);

    /** Jobs admitted and not yet claimed. */
    int queued();
}
