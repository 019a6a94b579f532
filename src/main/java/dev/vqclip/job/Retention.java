package dev.vqclip.job;

import java.time.Duration;

/**
 * How long finished work is kept.
 *
 * @param keepResults finished jobs, their images in the database and in the results folder
 * @param keepUploads attached init/target images
 * @param every       how often the pruning pass runs (in one process at a time)
 */
public record Retention(Duration keepResults, Duration keepUploads, Duration every) {
    /** Workers not seen for this long are dropped from the registry. */
    public static final Duration FORGET_WORKERS_AFTER = Duration.ofDays(1);

    public Retention {
        require(keepResults, "keep-results");
        require(keepUploads, "keep-uploads");
        require(every, "pruning interval");
    }

    /** Results 90 days, uploads 7 days, pruned daily. */
    public static Retention defaults() {
        return new Retention(Duration.ofDays(90), Duration.ofDays(7), Duration.ofDays(1));
    }

    /** Jobs inside the quota window are what the quota charges: they must outlive it. */
    public Retention requireCovers(Duration quotaWindow) {
        if (keepResults.compareTo(quotaWindow) < 0) {
            throw new IllegalArgumentException("--keep-results must be at least the quota window (" + quotaWindow
                    + ") so GPU time is still charged, got " + keepResults);
        }
        return this;
    }

    private static void require(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
