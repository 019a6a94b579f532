package dev.vqclip.job;

import java.util.List;
import java.util.Optional;

/** What the adapters record about handing a finished job to its requester, so a restart delivers at most once more. */
public interface Deliveries {

    /** Records that an adapter delivered the final state; false when it already was (deliver at most once more). */
    boolean markDelivered(long jobId, String deliveryRef);

    /**
     * Records that an adapter gave up delivering the job (its platform refused, or retries ran out): it counts as
     * handled, so it is not delivered again after a restart, and the reason is kept. False when it already was.
     */
    boolean markDeliveryFailed(long jobId, String reason);

    /** Why the job's delivery failed for good, if it did. */
    Optional<String> deliveryFailure(long jobId);

    /** Final jobs whose delivery was never confirmed (after a crash), oldest first. */
    List<Job> undelivered(int limit);

    /** Points the job's reply at another message (an adapter moved its status card). */
    void updateReplyTo(long jobId, String replyTo);
}
