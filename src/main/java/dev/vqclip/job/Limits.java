package dev.vqclip.job;

import java.time.Duration;

/**
 * The scheduler's rules (DESIGN.md §4), all configurable.
 *
 * @param maxRunning      K: a user's jobs running at once
 * @param maxQueued       Q: a user's jobs waiting at once
 * @param gpuQuota        GPU time a user may spend per {@code quotaWindow} (estimated at submit, charged by actual cost)
 * @param queueCap        queued jobs in total before new submissions are refused as "queue full"
 * @param lease           how long a claim lives without a heartbeat
 * @param heartbeat       how often a worker renews its lease (a few heartbeats fit in one lease)
 * @param maxAttempts     claims a job may use before an expired lease fails it
 */
public record Limits(int maxRunning, int maxQueued, Duration gpuQuota, Duration quotaWindow, int queueCap,
                     Duration lease, Duration heartbeat, int maxAttempts) {
    public Limits {
        require(maxRunning >= 1, "max running jobs per user must be >= 1, got " + maxRunning);
        require(maxQueued >= 0, "max queued jobs per user must be >= 0, got " + maxQueued);
        require(gpuQuota != null && !gpuQuota.isNegative() && !gpuQuota.isZero(), "GPU quota must be positive, got " + gpuQuota);
        require(quotaWindow != null && !quotaWindow.isNegative() && !quotaWindow.isZero(),
                "quota window must be positive, got " + quotaWindow);
        require(queueCap >= 1, "queue cap must be >= 1, got " + queueCap);
        require(lease != null && lease.toMillis() >= 100, "lease must be >= 100 ms, got " + lease);
        require(heartbeat != null && heartbeat.toMillis() >= 10 && heartbeat.compareTo(lease) < 0,
                "heartbeat must be >= 10 ms and shorter than the lease (" + lease + "), got " + heartbeat);
        require(maxAttempts >= 1, "max attempts must be >= 1, got " + maxAttempts);
    }

    /** K=1 running, Q=5 queued, 30 GPU-minutes per 24 h, 500 queued in total, lease 60 s, heartbeat 10 s, 3 attempts. */
    public static Limits defaults() {
        return new Limits(1, 5, Duration.ofMinutes(30), Duration.ofHours(24), 500, Duration.ofSeconds(60),
                Duration.ofSeconds(10), 3);
    }

    public Limits withPerUser(int running, int queued) {
        return new Limits(running, queued, gpuQuota, quotaWindow, queueCap, lease, heartbeat, maxAttempts);
    }

    public Limits withQuota(Duration quota, Duration window) {
        return new Limits(maxRunning, maxQueued, quota, window, queueCap, lease, heartbeat, maxAttempts);
    }

    public Limits withQueueCap(int cap) {
        return new Limits(maxRunning, maxQueued, gpuQuota, quotaWindow, cap, lease, heartbeat, maxAttempts);
    }

    public Limits withLease(Duration newLease, Duration newHeartbeat) {
        return new Limits(maxRunning, maxQueued, gpuQuota, quotaWindow, queueCap, newLease, newHeartbeat, maxAttempts);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
