package dev.vqclip.job;

import java.time.Duration;

/** Keeps the store's size bounded ({@link Retention}) and reports it. */
public interface Pruning {

    /**
     * Takes the next pruning pass when it is due, moving the due time {@code every} ahead in the same UPDATE: of
     * several processes asking at once, exactly one gets true.
     */
    boolean claimPruning(Duration every);

    /**
     * Deletes jobs (and their results) that ended more than {@code keepResults} ago, and workers not seen for
     * {@code forgetWorkersAfter}. Open jobs are never touched.
     */
    Pruned prune(Duration keepResults, Duration forgetWorkersAfter);

    record Pruned(int jobs, int results, int workers) {
    }

    /** Sizes for operators; {@code databaseBytes} is null when the database cannot say. */
    Stats stats();

    record Stats(long jobs, long results, long resultBytes, long previewBytes, Long databaseBytes) {
    }
}
