package dev.vqclip.job;

import java.time.Duration;

/** @param position 1-based while queued, 0 when running or done; @param eta time to the result, or null */
public record QueuePosition(int position, Duration eta) {
}
