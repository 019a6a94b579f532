package dev.vqclip.job;

/**
 * The queue's standing at submit time.
 *
 * @param queued     jobs waiting in total
 * @param queuedMs   their estimated GPU time in total
 * @param workers    workers seen recently (at least 1 for estimates)
 * @param paused     an operator paused the queue: submissions wait, nothing is claimed
 */
public record QueueLoad(int queued, long queuedMs, int workers, boolean paused) {
}
