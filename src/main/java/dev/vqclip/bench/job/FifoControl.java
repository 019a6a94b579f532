package dev.vqclip.bench.job;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The negative control of the fairness bench: plain first-in-first-out, simulated in memory (the product has no
 * FIFO mode to switch on). It keeps the product's per-user running cap K so that only the order differs; what it
 * admits is decided by the caller (the same jobs the product admitted).
 */
final class FifoControl implements ClaimOrder {
    private final int maxRunningPerUser;
    private final TreeMap<Integer, BurstTrace.Submission> queued = new TreeMap<>();
    private final Map<Integer, Integer> runningByUser = new HashMap<>();
    private final Map<Integer, BurstTrace.Submission> claimedBy = new HashMap<>();

    FifoControl(int maxRunningPerUser) {
        if (maxRunningPerUser < 1) {
            throw new IllegalArgumentException("max running jobs per user must be >= 1, got " + maxRunningPerUser);
        }
        this.maxRunningPerUser = maxRunningPerUser;
    }

    @Override
    public boolean submit(BurstTrace.Submission submission) {
        queued.put(submission.seq(), submission);
        return true;
    }

    @Override
    public OptionalInt claim(int worker) {
        for (BurstTrace.Submission s : queued.values()) { // ORDER BY id
            if (runningByUser.getOrDefault(s.user(), 0) < maxRunningPerUser) {
                queued.remove(s.seq());
                runningByUser.merge(s.user(), 1, Integer::sum);
                claimedBy.put(worker, s);
                return OptionalInt.of(s.seq());
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public void complete(int worker, long durationMs) {
        BurstTrace.Submission s = claimedBy.remove(worker);
        if (s == null) {
            throw new IllegalStateException("worker " + worker + " completed a job it never claimed");
        }
        runningByUser.merge(s.user(), -1, Integer::sum);
    }

    @Override
    public int queued() {
        return queued.size();
    }
}
