package dev.vqclip.engine.weights.catalog;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * One download's progress as a single self-overwriting terminal line:
 * {@code ViT-B-32.pt  45.2%  160.0/354.0 MB  12.4 MB/s  ETA 0:15}. Lines are throttled to one per
 * {@code interval}; the rate counts only bytes fetched in this session, so a resumed download does not
 * claim the already-present part as speed.
 */
final class DownloadProgress {
    private static final double MB = 1_000_000.0;

    private final PrintWriter out;
    private final Clock clock;
    private final Duration interval;
    private final String label;
    private final long startBytes;
    private final long total;
    private final Instant start;
    private Instant lastPrint;
    private long current;

    /**
     * @param startBytes bytes already on disk when this session began (resume)
     * @param total      expected final size, or -1 when unknown
     */
    DownloadProgress(PrintWriter out, Clock clock, Duration interval, String label, long startBytes, long total) {
        this.out = out;
        this.clock = clock;
        this.interval = interval;
        this.label = label;
        this.startBytes = startBytes;
        this.total = total;
        this.start = clock.instant();
        this.current = startBytes;
    }

    /** Records that {@code bytes} of the file are now on disk; prints when the interval has passed. */
    synchronized void update(long bytes) {
        current = bytes;
        Instant now = clock.instant();
        if (lastPrint == null || Duration.between(lastPrint, now).compareTo(interval) >= 0) {
            lastPrint = now;
            out.print("\r" + line(now));
            out.flush();
        }
    }

    /** Ends the progress line, if one was started, so that the next message starts on a fresh line. */
    synchronized void interrupted() {
        if (lastPrint != null) {
            out.println();
            out.flush();
        }
    }

    /** Prints the final state and ends the line. */
    synchronized void finish() {
        out.println("\r" + line(clock.instant()));
        out.flush();
    }

    synchronized String line(Instant now) {
        double seconds = Duration.between(start, now).toNanos() / 1e9;
        double rate = seconds > 0 ? (current - startBytes) / seconds : 0;
        StringBuilder s = new StringBuilder(label).append("  ");
        if (total > 0) {
            s.append(String.format(Locale.ROOT, "%5.1f%%  %.1f/%.1f MB", 100.0 * current / total,
                    current / MB, total / MB));
        } else {
            s.append(String.format(Locale.ROOT, "%.1f MB", current / MB));
        }
        s.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / MB));
        if (total > 0) {
            s.append("  ETA ").append(rate > 0 ? clockTime((long) Math.ceil((total - current) / rate)) : "?");
        }
        return s.toString();
    }

    private static String clockTime(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long sec = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
