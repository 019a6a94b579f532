package dev.vqclip.job;

import java.time.Duration;

/** Durations as people read them in replies, refusals and the queue listing: {@code 24 h}, {@code 5 min 30 s}. */
public final class Durations {
    private Durations() {
    }

    /**
     * The two largest non-zero units of {@code d}, rounded down to whole seconds: {@code 45 s}, {@code 5 min},
     * {@code 5 min 30 s}, {@code 2 h 5 min}. Past an hour the seconds are dropped: an estimate that far out is not
     * that precise. Null (no estimate) reads {@code ?}.
     */
    public static String human(Duration d) {
        if (d == null) {
            return "?";
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("a duration to show must not be negative, got " + d);
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
        }
        long minutes = s % 3600 / 60;
        return minutes == 0 ? s / 3600 + " h" : s / 3600 + " h " + minutes + " min";
    }
}
