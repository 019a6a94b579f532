package dev.vqclip.job;

import java.time.Duration;
import java.time.Instant;

/** @param refillAt when the oldest charge leaves the quota window, or null when nothing is charged */
public record UserUsage(int running, int queued, Duration gpuUsed, Instant refillAt, boolean banned) {
}
