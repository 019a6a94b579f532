package dev.vqclip.discord;

import java.time.Duration;
import java.time.Instant;

/**
 * A user's quota and limits for /info.
 *
 * @param gpuSecondsUsed  charged in the current window
 * @param gpuSecondsQuota allowed per window
 * @param refillAt        when the oldest charge leaves the window, or null when nothing is charged
 */
public record Usage(int running, int maxRunning, int queued, int maxQueued, double gpuSecondsUsed,
                    double gpuSecondsQuota, Duration window, Instant refillAt, boolean banned) {
}
