package dev.vqclip.bench.provenance;

import dev.vqclip.provenance.Attack;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.provenance.WatermarkPayload;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Measures the robust watermark: for each attack, over N synthetic images, the recovery rate (job id read back
 * exactly), the bit-error rate of the payload read at the strongest sync peak, and the PSNR of marked vs unmarked.
 */
public final class RobustnessBench {
    /** One row of the result table. */
    public record Row(String attack, String description, int images, int recovered, int wrongIds, double bitErrorRate,
                      double meanPsnr, double minPsnr) {
        public double recoveryRate() {
            return images == 0 ? 0 : (double) recovered / images;
        }
    }

    private final Watermark watermark;
    private final SyntheticImages generator;
    private final long seed;

    public RobustnessBench(Watermark watermark, SyntheticImages generator, long seed) {
        this.watermark = watermark;
        this.generator = generator;
        this.seed = seed;
    }

    /**
     * Runs every attack on the same {@code imagesPerAttack} marked images. Each image is marked once and every
     * attack applied to that copy (marking is deterministic, so this is the table a mark per attack would give, in
     * a fraction of the time); rows are reported when all images are done.
     */
    public List<Row> run(List<Attack> attacks, int imagesPerAttack, Consumer<String> progress) {
        int[] recovered = new int[attacks.size()];
        int[] wrong = new int[attacks.size()];
        long[] bitErrors = new long[attacks.size()];
        double psnrSum = 0;
        double psnrMin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < imagesPerAttack; i++) {
            BufferedImage original = generator.image(seed, i);
            long jobId = new SplittableRandom(seed * 31 + i).nextLong(WatermarkPayload.MAX_JOB_ID + 1);
            BufferedImage marked = watermark.embed(original, jobId);
            double psnr = psnr(original, marked);
            psnrSum += psnr;
            psnrMin = Math.min(psnrMin, psnr);
            boolean[] expected = WatermarkPayload.encode(jobId);
            for (int a = 0; a < attacks.size(); a++) {
                // every attack draws from the same stream, positioned after the job id, as when run on its own
                SplittableRandom random = new SplittableRandom(seed * 31 + i);
                random.nextLong(WatermarkPayload.MAX_JOB_ID + 1);
                BufferedImage attacked;
                try {
                    attacked = attacks.get(a).apply(marked, random);
                } catch (IOException e) {
                    throw new UncheckedIOException("attack " + attacks.get(a).name() + " failed on image " + i, e);
                }
                Watermark.Scan scan = watermark.scan(attacked);
                if (scan.reading() != null) {
                    if (scan.reading().jobId() == jobId) {
                        recovered[a]++;
                    } else {
                        wrong[a]++;
                    }
                }
                boolean[] got = scan.bestBits();
                for (int b = 0; b < expected.length; b++) {
                    // no sync peak at all counts as a coin flip per bit
                    bitErrors[a] += got == null ? (b % 2) : (got[b] != expected[b] ? 1 : 0);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int a = 0; a < attacks.size(); a++) {
            Row row = new Row(attacks.get(a).name(), attacks.get(a).description(), imagesPerAttack, recovered[a], wrong[a],
                    (double) bitErrors[a] / ((long) imagesPerAttack * WatermarkPayload.BITS),
                    psnrSum / imagesPerAttack, psnrMin);
            rows.add(row);
            progress.accept(format(row));
        }
        return rows;
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-22s %7s %9s %6s %8s %10s %9s", "attack", "images", "recovered", "wrong",
                "BER", "PSNR mean", "PSNR min");
    }

    public static String format(Row row) {
        return String.format(Locale.ROOT, "%-22s %7d %8.1f%% %6d %8.4f %8.2f dB %6.2f dB", row.attack(), row.images(),
                100 * row.recoveryRate(), row.wrongIds(), row.bitErrorRate(), row.meanPsnr(), row.minPsnr());
    }

    /** PSNR over R, G and B of two equally sized images, in dB (peak 255). */
    public static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("PSNR needs equal sizes, got " + a.getWidth() + "x" + a.getHeight()
                    + " and " + b.getWidth() + "x" + b.getHeight());
        }
        double se = 0;
        int w = a.getWidth();
        int[] ra = new int[w];
        int[] rb = new int[w];
        for (int y = 0; y < a.getHeight(); y++) {
            a.getRGB(0, y, w, 1, ra, 0, w);
            b.getRGB(0, y, w, 1, rb, 0, w);
            for (int x = 0; x < w; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((ra[x] >> shift) & 0xFF) - ((rb[x] >> shift) & 0xFF);
                    se += d * d;
                }
            }
        }
        double mse = se / (3.0 * w * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
