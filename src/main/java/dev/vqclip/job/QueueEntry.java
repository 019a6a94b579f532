package dev.vqclip.job;

import java.time.Duration;

/**
 * One line of the queue view.
 *
 * @param position 0 for a running job, else its 1-based place in claim order
 * @param eta      estimated time until its result
 * @param waiting  why a queued job is not running yet, or null when it runs
 */
public record QueueEntry(Job job, int position, Duration eta, String waiting) {
}
