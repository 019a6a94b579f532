package dev.vqclip.engine.weights.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.testing.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DownloadProgressTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2024-01-01T00:00:00Z"));
    private final StringWriter out = new StringWriter();

    private DownloadProgress bar(long startBytes, long total) {
        return new DownloadProgress(new PrintWriter(out), clock, Duration.ofMillis(500), "ViT-B-32.pt", startBytes, total);
    }

    @Test
    void showsPercentSizesRateAndEta() {
        DownloadProgress bar = bar(0, 10_000_000);
        clock.advance(Duration.ofSeconds(2));

        bar.update(4_000_000);

        assertEquals("\rViT-B-32.pt   40.0%  4.0/10.0 MB  2.0 MB/s  ETA 0:03", out.toString());
    }

    @Test
    void rateOfAResumedDownloadCountsOnlyNewBytes() {
        DownloadProgress bar = bar(5_000_000, 10_000_000);
        clock.advance(Duration.ofSeconds(1));

        String line = bar.line(clock.instant());

        assertTrue(line.contains("0.0 MB/s"), line);
        bar.update(6_000_000);
        assertTrue(out.toString().contains("60.0%  6.0/10.0 MB  1.0 MB/s  ETA 0:04"), out.toString());
    }

    @Test
    void printsAtMostOneLinePerInterval() {
        DownloadProgress bar = bar(0, 1_000_000);
        bar.update(1);
        clock.advance(Duration.ofMillis(100));
        bar.update(2);
        clock.advance(Duration.ofMillis(399));
        bar.update(3);
        assertEquals(1, out.toString().chars().filter(c -> c == '\r').count());

        clock.advance(Duration.ofMillis(1));
        bar.update(4);
        assertEquals(2, out.toString().chars().filter(c -> c == '\r').count());
    }

    @Test
    void unknownTotalShowsBytesAndRateOnly() {
        DownloadProgress bar = bar(0, -1);
        clock.advance(Duration.ofSeconds(4));

        bar.finish();

        String text = out.toString();
        assertFalse(text.contains("%") || text.contains("ETA"), text);
        assertTrue(text.startsWith("\rViT-B-32.pt  0.0 MB  0.0 MB/s"), text);
        assertTrue(text.endsWith(System.lineSeparator()), "finish ends the line");
    }

    @Test
    void longEtaShowsHours() {
        DownloadProgress bar = bar(0, 10_000_000_000L);
        clock.advance(Duration.ofSeconds(1));
        bar.update(1_000_000);

        assertTrue(out.toString().endsWith("ETA 2:46:39"), out.toString());
    }
}
