package dev.vqclip.job;

import java.time.Duration;

/** Which workers are alive and at what pace, and the queue's load as admission sees it. */
public interface WorkerRegistry {

    /** Records a worker as alive with its measured pace. */
    void workerSeen(String workerId, Double msPerIteration);

    void workerGone(String workerId);

    /** The queued jobs, the workers seen within {@code workerSeenWithin}, and whether the queue is paused. */
    QueueLoad queueLoad(Duration workerSeenWithin);
}
