package dev.vqclip.cli;

import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.StepEvent;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** A one-line progress bar on the terminal: iteration, loss, it/s and ETA, redrawn at most 10 times a second. */
final class ConsoleProgress implements RenderListener {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private long lastDrawNanos;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void onStep(StepEvent e) {
        long now = System.nanoTime();
        boolean last = e.iteration() + 1 == e.total();
        if (!last && now - lastDrawNanos < 100_000_000L) {
            return;
        }
        lastDrawNanos = now;
        int done = e.iteration() + 1;
        int filled = e.total() == 0 ? WIDTH : (int) ((long) WIDTH * done / e.total());
        double perIt = e.elapsed().toNanos() / 1e9 / done;
        Duration eta = Duration.ofMillis((long) (perIt * (e.total() - done) * 1000));
        err.printf(Locale.ROOT, "\r[%s%s] %d/%d loss %.4f %.2f s/it ETA %s ", "#".repeat(filled), ".".repeat(WIDTH - filled),
                done, e.total(), e.loss(), perIt, format(eta));
        if (last) {
            err.println();
        }
        err.flush();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
