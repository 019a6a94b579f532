package dev.vqclip.provenance;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * Robust watermark carrying {@link WatermarkPayload} (job id + CRC-24) in the luma of an image.
 *
 * <p>Design: a self-referencing periodic spread-spectrum mark (after M. Kutter, "Watermarking resisting to
 * translation, rotation and scaling", SPIE 1998) with informed embedding (after H. Malvar and D. Florencio,
 * "Improved spread spectrum", IEEE TSP 2003):
 * <ul>
 *   <li>A tile of 16 x 16 cells: 64 cells hold a fixed pseudo-random sync pattern; 192 hold the 140 bits of the
 *       payload coded by {@link ConvolutionalCode}, times pseudo-random chips, scattered over the tile.</li>
 *   <li>The mark is the bilinear interpolation of the cell values on a lattice of 4 or 5 "grid pixels" (two
 *       layouts, each with its own seed), repeated over the image (period 64 or 80 grid pixels). Only luma
 *       changes ({@link LumaShift}), so chroma subsampling cannot touch it. The grid is the image scaled so that
 *       its longer side is at most 512, so the cells grow with large images. The 5-pixel layout lies lower in
 *       frequency (smooth pictures, 50% downscale then JPEG); the 4-pixel one above most of a busy picture's own
 *       texture. The embedder marks with both, simulates the hard platform treatments and keeps the better.</li>
 *   <li>Every image gets the same PSNR budget: the gain is calibrated on the rounded, clipped result. Within the
 *       image the amplitude follows the inverse local standard deviation (the detector weighs smooth areas
 *       most), and informed embedding: the encoder runs the detector on the unmarked image, sees how much the
 *       host already pushes each cell's statistic towards or away from its sign, and spends the budget where the
 *       host opposes the mark.</li>
 *   <li>Detection needs no side information. Periodicity gives the scale: the autocorrelation of the whitened
 *       luma residual peaks at the tile period, wherever a rescale moved it. Folding the image modulo the period
 *       sums every tile, whole or cropped, into one 64 x 64 tile; its circular cross-correlation with each
 *       layout's sync pattern gives the layout and the translation (so a crop is just a shift). The tile is
 *       whitened by its smoothed spectrum, the cells matched-filtered, Viterbi-decoded and checked by the
 *       CRC. When that fails, the cells are re-read a bin and a fraction of a period step around the sync peak and
 *       the read whose bits agree best with their codeword is checked too; as a last resort, the list Viterbi
 *       decoder's runners-up at the best-agreeing read of the whole image.</li>
 * </ul>
 * Rotation is not handled: the platforms in scope (X, Discord) re-encode and resize but do not rotate.
 */
public final class Watermark {
    static final int CELLS = 16;
    /** Tile bins per cell side in the folded 64 x 64 tile. */
    static final int CELL = 4;
    /**
     * Grid pixels per cell side of the two layouts. Fine cells sit above most of a picture's own texture (busy,
     * blotchy images), coarse cells in the band that survives a 50% downscale followed by JPEG (smooth images);
     * the embedder picks per image, the detector tries both.
     */
    static final int[] CELL_PIXELS = {5, 4};
    static final int PERIOD = CELLS * CELL;
    static final int GRID_SIDE = 512;
    static final int SYNC_CELLS = 64;
    static final int CODED_BITS = ConvolutionalCode.codedLength(WatermarkPayload.BITS);
    /** Detection works on at most this side; larger inputs are area-averaged down first. */
    static final int DETECT_SIDE = 640;
    static final int MIN_PERIOD = 20;
    static final int MAX_PERIOD = 104;
    /**
     * Sync peaks below this many standard deviations are not decoded. Low on purpose: the CRC-24 is the real
     * gate. An image gets at most about 60 decodes (up to 3 peaks for each of about 10 candidate periods, each read
     * at the peak and at its best-agreeing neighbour) plus {@link #LIST_SIZE} - 1 list paths, so a false id has
     * odds of about 1 in 180,000 per unmarked image.
     */
    static final double MIN_SYNC_SCORE = 3.0;
    /** Around a sync peak the cells are also read one bin each way and this period step either side. */
    static final double REFINE_PERIOD_STEP = 1.0 / 16;
    /** Paths of the list Viterbi decoder tried, once per image, when no reading passed its CRC. */
    static final int LIST_SIZE = 32;
    /**
     * Whitening of the folded tile before the cells are read: divided by its smoothed amplitude spectrum (see
     * {@link Fft#whitened}), so the part of a busy picture that folding did not average away counts less where it
     * is strong.
     */
    static final double DATA_WHITEN = 1.0;
    static final int DATA_WHITEN_RADIUS = 2;
    /** Partial spectral whitening of the folded tile before the sync correlation (see Fft). */
    static final double WHITEN = 0.5;
    private static final int BLUR_RADIUS = 3;
    private static final int VARIANCE_RADIUS = 8;
    /**
     * Peak of the trial mark the informed embedding measures the detector's response to (about 2.2 grey levels
     * RMS: bilinear interpolation of independent +-1 values has RMS 2/3 of the peak); the final gain comes from
     * the PSNR budget.
     */
    private static final double TRIAL_PEAK = 3.3;
    /** Upper bound on the calibrated gain over the trial peak (a near-black or near-white image has no room). */
    private static final double MAX_GAIN = 4.0;
    /** Cell amplitude bounds of the informed embedding, relative to the uniform amplitude. */
    private static final double MIN_CELL = 0.3;
    private static final double MAX_CELL = 6.0;

    private static final long LAYOUT_SEED = 0x76_71_63_6C_69_70_57_4DL; // "vqclipWM"

    private final List<Layout> layouts;
    private final double targetPsnr;

    /**
     * One arrangement of the tile: which cells are sync and which carry which coded bit, the chips, and the cell
     * size in grid pixels. Each layout has its own seed, so the sync pattern found also says which layout it is.
     *
     * @param cellBit    -1 for a sync cell, else the coded bit index
     * @param cellSign   sync value for sync cells, spreading chip for data cells
     */
    private record Layout(int cellPixels, int[] cellBit, double[] cellSign, double[] syncTemplate) {
        static Layout create(int cellPixels, long seed) {
            int[] cellBit = new int[CELLS * CELLS];
            double[] cellSign = new double[CELLS * CELLS];
            SplittableRandom random = new SplittableRandom(seed);
            int[] order = new int[CELLS * CELLS];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int k = 0; k < order.length; k++) {
                int cell = order[k];
                cellBit[cell] = k < SYNC_CELLS ? -1 : (k - SYNC_CELLS) % CODED_BITS;
                cellSign[cell] = random.nextBoolean() ? 1 : -1;
            }
            double[] syncCells = new double[CELLS * CELLS];
            for (int c = 0; c < syncCells.length; c++) {
                syncCells[c] = cellBit[c] < 0 ? cellSign[c] : 0;
            }
            double[] template = new double[PERIOD * PERIOD];
            for (int v = 0; v < PERIOD; v++) {
                for (int u = 0; u < PERIOD; u++) {
                    template[v * PERIOD + u] = bilinear(syncCells, (double) u / CELL, (double) v / CELL);
                }
            }
            double mean = Arrays.stream(template).average().orElse(0);
            for (int i = 0; i < template.length; i++) {
                template[i] -= mean;
            }
            return new Layout(cellPixels, cellBit, cellSign, template);
        }

        /** Grid pixels per tile side: the period of the mark in an unscaled image of at most 512 px. */
        int gridPeriod() {
            return CELLS * cellPixels;
        }

        double[] signs(boolean[] coded) {
            double[] signs = new double[CELLS * CELLS];
            for (int c = 0; c < signs.length; c++) {
                signs[c] = cellSign[c] * (cellBit[c] < 0 || coded[cellBit[c]] ? 1 : -1);
            }
            return signs;
        }

        /** De-spreads the data cells and sums the cells of each coded bit. */
        double[] softBits(double[] responses) {
            double[] soft = new double[CODED_BITS];
            for (int c = 0; c < responses.length; c++) {
                if (cellBit[c] >= 0) {
                    soft[cellBit[c]] += responses[c] * cellSign[c];
                }
            }
            return soft;
        }
    }

    /**
     * @param targetPsnr the PSNR (dB, RGB, peak 255) of marked vs unmarked: the embedder spends exactly this budget
     *                   on every image, so flat and busy pictures alike end up at (just above) it
     */
    public Watermark(double targetPsnr) {
        if (!(targetPsnr >= 30 && targetPsnr <= 60)) {
            throw new IllegalArgumentException("watermark target PSNR must be in [30, 60] dB, got " + targetPsnr);
        }
        this.targetPsnr = targetPsnr;
        List<Layout> all = new ArrayList<>();
        for (int k = 0; k < CELL_PIXELS.length; k++) {
            all.add(Layout.create(CELL_PIXELS[k], LAYOUT_SEED + k)); // the 5-px layout keeps the first seed
        }
        this.layouts = List.copyOf(all);
    }

    /** The strength the product uses: 40 dB PSNR on every image. */
    public static Watermark standard() {
        return new Watermark(40.05);
    }

    /** The grid scale for an image: grid pixels per image pixel. */
    static double gridScale(int width, int height) {
        return Math.min(1.0, (double) GRID_SIDE / Math.max(width, height));
    }

    /**
     * The image with the job id's mark in its luma, at the target PSNR. Embeds with each layout and keeps the one
     * whose payload reads back with the most margin after the hardest platform treatment in scope (a 50%
     * downscale then JPEG 75), and after JPEG 75 at full size.
     */
    public BufferedImage embed(BufferedImage source, long jobId) {
        boolean[] coded = ConvolutionalCode.encode(WatermarkPayload.encode(jobId));
        int w = source.getWidth();
        int h = source.getHeight();
        float[] luma = Planes.luma(source);
        float[] weight = spatialWeight(luma, w, h);
        int[] pixels = source.getRGB(0, 0, w, h, null, 0, w);
        boolean alpha = source.getColorModel().hasAlpha();
        BufferedImage best = null;
        boolean bestReads = false;
        double bestMargin = Double.NEGATIVE_INFINITY;
        for (Layout layout : layouts) {
            int[] out = embed(layout, layout.signs(coded), pixels, luma, weight, w, h);
            BufferedImage marked = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            marked.setRGB(0, 0, w, h, out, 0, w);
            double margin = layouts.size() == 1 ? 0 : worstMargin(layout, marked, coded);
            // the margin is measured at the known alignment; a host whose own texture repeats with the tile (a VQGAN
            // decoder's token grid) can still pull the blind search off it, so a mark the detector reads back wins first
            boolean reads = layouts.size() > 1 && detect(marked).map(WatermarkReading::jobId).filter(id -> id == jobId)
                    .isPresent();
            if ((reads && !bestReads) || (reads == bestReads && margin > bestMargin)) {
                bestReads = reads;
                bestMargin = margin;
                best = marked;
            }
        }
        return best;
    }

    private int[] embed(Layout layout, double[] signs, int[] pixels, float[] luma, float[] weight, int w, int h) {
        double f = gridScale(w, h);
        Informed informed = informed(layout, luma, weight, w, h, f, signs);
        float[] mark = new float[w * h];
        double gain = 1.0;
        // the best amplitudes depend on the final gain (how much of the host the mark can outweigh), and the final
        // gain (the PSNR budget) on the amplitudes: alternate; a few rounds settle it
        for (int round = 0; round < 3; round++) {
            double[] amplitudes = informed.amplitudes(gain);
            double[] cells = new double[signs.length];
            for (int c = 0; c < cells.length; c++) {
                cells[c] = signs[c] * amplitudes[c];
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    mark[y * w + x] = (float) (weight[y * w + x] * markAt(layout, cells, x, y, f));
                }
            }
            gain = calibratedGain(pixels, mark);
        }
        int[] out = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = LumaShift.apply(pixels[i], gain * mark[i]);
        }
        return out;
    }

    /**
     * The smaller, over the simulated treatments, of the coded bits' read-back signal-to-noise ratio (mean over
     * spread of the soft values times their true signs) at the known alignment.
     */
    private double worstMargin(Layout layout, BufferedImage marked, boolean[] coded) {
        double worst = Double.POSITIVE_INFINITY;
        double period = layout.gridPeriod() / gridScale(marked.getWidth(), marked.getHeight());
        try {
            BufferedImage small = Attack.resize(marked, 0.5);
            double smallPeriod = period * small.getWidth() / marked.getWidth();
            worst = Math.min(worst, margin(layout, Attack.jpegRoundTrip(small, 75), smallPeriod, coded));
            worst = Math.min(worst, margin(layout, Attack.jpegRoundTrip(marked, 75), period, coded));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("JPEG round trip in memory cannot fail", e);
        }
        return worst;
    }

    private double margin(Layout layout, BufferedImage image, double period, boolean[] coded) {
        View view = view(Planes.luma(image), image.getWidth(), image.getHeight());
        double[] tile = fold(view.residual(), view.width(), view.height(), period * view.shrink());
        double[] soft = layout.softBits(cellResponses(tile, 0, 0));
        double sum = 0;
        double sq = 0;
        for (int k = 0; k < soft.length; k++) {
            double x = coded[k] ? soft[k] : -soft[k];
            sum += x;
            sq += x * x;
        }
        double mean = sum / soft.length;
        return mean / Math.sqrt(Math.max(1e-12, sq / soft.length - mean * mean));
    }

    /**
     * The factor on the unit-strength mark that puts the marked image at the target PSNR (RGB, peak 255), found by
     * a few secant steps on log(MSE): clipping and rounding make the MSE only roughly quadratic in the gain.
     */
    private double calibratedGain(int[] pixels, float[] mark) {
        double targetMse = 255.0 * 255.0 / Math.pow(10, targetPsnr / 10);
        double gain = 1.0;
        for (int iteration = 0; iteration < 4; iteration++) {
            double mse = LumaShift.meanSquaredError(pixels, mark, gain);
            if (mse <= 0) {
                return MAX_GAIN;
            }
            double next = Math.min(MAX_GAIN, gain * Math.sqrt(targetMse / mse));
            if (Math.abs(next - gain) < 1e-3 * gain) {
                gain = next;
                break;
            }
            gain = next;
        }
        // never exceed the budget: step down until the rounded result is within it
        while (LumaShift.meanSquaredError(pixels, mark, gain) > targetMse && gain > 1e-3) {
            gain *= 0.98;
        }
        return gain;
    }


    /**
     * Where the mark's energy goes: the detector weighs each pixel by the inverse of its local residual power
     * (see {@link #view}), so under a fixed squared-error budget the detection statistic is largest when the
     * amplitude follows the same weight (Cauchy-Schwarz). Half-way there (the inverse local standard deviation):
     * flat areas are where JPEG's dead zone bites, so they get more but not everything. Mean square 1.
     */
    private static float[] spatialWeight(float[] luma, int w, int h) {
        float[] blur = Planes.boxBlur(luma, w, h, BLUR_RADIUS);
        float[] sq = new float[luma.length];
        for (int i = 0; i < luma.length; i++) {
            float r = luma[i] - blur[i];
            sq[i] = r * r;
        }
        float[] local = Planes.boxBlur(sq, w, h, VARIANCE_RADIUS);
        float[] weight = new float[luma.length];
        double ms = 0;
        for (int i = 0; i < luma.length; i++) {
            weight[i] = (float) (1 / Math.sqrt(local[i] + 1));
            ms += weight[i] * (double) weight[i];
        }
        float norm = (float) Math.sqrt(ms / luma.length);
        for (int i = 0; i < luma.length; i++) {
            weight[i] /= norm;
        }
        return weight;
    }

    private static double markAt(Layout layout, double[] cells, int x, int y, double f) {
        double p = layout.cellPixels();
        return TRIAL_PEAK * bilinear(cells, (x + 0.5) * f / p, (y + 0.5) * f / p);
    }

    /**
     * What the informed embedding knows about a cell: how far the host already pushes its statistic towards its
     * sign ({@code support}), and how strongly the mark moves it ({@code gainRatio}), both in units of the typical
     * response to the trial mark.
     */
    private record Informed(double[] support, double[] gainRatio) {
        /**
         * Per-cell amplitudes (mean square 1) so that, as the detector will see it with the mark at {@code gain}
         * times the trial strength, every cell's statistic ends up at least a common margin on the side of its
         * sign: cells the host already supports get the minimum, cells it opposes get more, up to a cap.
         */
        double[] amplitudes(double gain) {
            double lo = 0;
            double hi = 50;
            double[] out = new double[support.length];
            for (int iteration = 0; iteration < 50; iteration++) {
                double margin = 0.5 * (lo + hi);
                if (meanSquare(fill(margin, gain, out)) > 1) {
                    hi = margin;
                } else {
                    lo = margin;
                }
            }
            return fill(lo, gain, out);
        }

        private double[] fill(double margin, double gain, double[] out) {
            for (int c = 0; c < out.length; c++) {
                out[c] = Math.max(MIN_CELL, Math.min(MAX_CELL, (margin - support[c]) / (gain * gainRatio[c])));
            }
            return out;
        }
    }

    /** Runs the detector on the host and on the host plus the trial mark, at the known alignment. */
    private static Informed informed(Layout layout, float[] luma, float[] weight, int w, int h, double f, double[] signs) {
        View host = view(luma, w, h);
        double period = layout.gridPeriod() / f * host.shrink();
        double[] hostResponse = cellResponses(fold(host.residual(), host.width(), host.height(), period), 0, 0);
        float[] trial = luma.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                trial[i] = (float) Math.max(0, Math.min(255, luma[i] + weight[i] * markAt(layout, signs, x, y, f)));
            }
        }
        View marked = view(trial, w, h);
        double[] markedResponse = cellResponses(fold(marked.residual(), marked.width(), marked.height(), period), 0, 0);
        double[] gains = new double[signs.length];
        double[] sortedGains = new double[signs.length];
        for (int c = 0; c < signs.length; c++) {
            gains[c] = signs[c] * (markedResponse[c] - hostResponse[c]);
            sortedGains[c] = gains[c];
        }
        Arrays.sort(sortedGains);
        double typicalGain = Math.max(1e-9, sortedGains[sortedGains.length / 2]);
        double[] support = new double[signs.length];
        double[] gainRatio = new double[signs.length];
        for (int c = 0; c < signs.length; c++) {
            gainRatio[c] = Math.max(0.2, gains[c] / typicalGain);
            support[c] = signs[c] * hostResponse[c] / typicalGain;
        }
        return new Informed(support, gainRatio);
    }

    private static double meanSquare(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v * v;
        }
        return s / values.length;
    }

    public Optional<WatermarkReading> detect(BufferedImage image) {
        return Optional.ofNullable(scan(image).reading());
    }

    /**
     * What a detection saw: the reading when a CRC matched, and the payload bits decoded at the strongest sync
     * peak (even when their CRC failed; null when no peak cleared the sync threshold), for bit-error statistics.
     */
    public record Scan(WatermarkReading reading, boolean[] bestBits) {
    }

    /** The detector's view of an image: whitened luma residual at detection resolution. */
    private record View(float[] residual, int width, int height, double shrink) {
    }

    /**
     * Luma at most {@link #DETECT_SIDE} on a side, minus its local mean (removes the picture's low frequencies),
     * divided by the local residual power (weights each pixel by the inverse of its local noise, the optimal
     * linear detector for non-stationary Gaussian host noise).
     */
    private static View view(float[] luma, int w, int h) {
        double shrink = Math.min(1.0, (double) DETECT_SIDE / Math.max(w, h));
        float[] y = luma;
        if (shrink < 1.0) {
            int nw = Math.max(1, (int) Math.round(w * shrink));
            int nh = Math.max(1, (int) Math.round(h * shrink));
            y = Planes.resizeArea(luma, w, h, nw, nh);
            shrink = (double) nw / w;
            w = nw;
            h = nh;
        }
        float[] blur = Planes.boxBlur(y, w, h, BLUR_RADIUS);
        float[] r = new float[y.length];
        float[] sq = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            r[i] = y[i] - blur[i];
            sq[i] = r[i] * r[i];
        }
        float[] local = Planes.boxBlur(sq, w, h, VARIANCE_RADIUS);
        for (int i = 0; i < r.length; i++) {
            r[i] = r[i] / (local[i] + 1f);
        }
        return new View(r, w, h, shrink);
    }

    /** The full detection, for robustness benchmarks that count bit errors as well as readings. */
    public Scan scan(BufferedImage image) {
        View view = view(Planes.luma(image), image.getWidth(), image.getHeight());
        int w = view.width();
        int h = view.height();
        if (Math.min(w, h) < 2 * MIN_PERIOD) {
            return new Scan(null, null);
        }
        double bestScore = Double.NEGATIVE_INFINITY;
        boolean[] bestBits = null;
        Read mostAgreeing = null;
        for (double period : periodCandidates(view.residual(), w, h)) {
            Attempt attempt = tryPeriod(view, period);
            if (attempt.reading() != null) {
                return new Scan(attempt.reading(), attempt.bits());
            }
            if (attempt.bits() != null && attempt.syncScore() > bestScore) {
                bestScore = attempt.syncScore();
                bestBits = attempt.bits();
            }
            Read read = attempt.mostAgreeing();
            if (read != null && (mostAgreeing == null || read.agreement() > mostAgreeing.agreement())) {
                mostAgreeing = read;
            }
        }
        if (mostAgreeing != null) {
            // last resort: the Viterbi decoder's runners-up where the bits agreed best with a codeword
            List<boolean[]> paths = ConvolutionalCode.decodeList(mostAgreeing.soft(), WatermarkPayload.BITS, LIST_SIZE);
            for (boolean[] bits : paths.subList(1, paths.size())) {
                WatermarkReading reading = reading(mostAgreeing, bits, view);
                if (reading != null) {
                    return new Scan(reading, bits);
                }
            }
        }
        return new Scan(null, bestBits);
    }

    /**
     * What one candidate period gave: the reading when a CRC matched, the bits at its strongest sync peak, and
     * the read whose bits agreed best with their codeword (null when no peak cleared the sync threshold).
     */
    private record Attempt(WatermarkReading reading, boolean[] bits, double syncScore, Read mostAgreeing) {
    }

    /**
     * The coded bits read with one layout at one alignment: the soft values, their Viterbi decision, and how well
     * the two agree (the Viterbi path metric over the sum of |soft|: 1 when every soft value has its codeword's
     * sign; about 0.8 to 0.9 at a wrong alignment, as the decoder finds the closest of 2^64 codewords to any
     * noise). The agreement needs no CRC, so it can rank any number of alignments.
     */
    private record Read(Layout layout, double period, int dx, int dy, double syncScore, double[] soft, boolean[] bits,
                        double agreement) {
    }

    /**
     * Tile periods (received pixels) to try: the most prominent peaks of the residual's row+column
     * autocorrelation, then the periods an uncropped image has at the sizes platforms produce (a &lt;= 512 px
     * original at 100% or 50%, and a larger original at any size: one eighth of its longer side).
     */
    static List<Double> periodCandidates(float[] r, int w, int h) {
        int maxLag = Math.min(MAX_PERIOD + 6, Math.min(w, h) / 2 + 6);
        double[] s = new double[maxLag + 1];
        for (int lag = MIN_PERIOD - 6; lag <= maxLag; lag++) {
            double acc = 0;
            for (int j = 0; j < h; j++) {
                int base = j * w;
                for (int i = 0; i + lag < w; i++) {
                    acc += r[base + i] * r[base + i + lag];
                }
            }
            double accY = 0;
            for (int j = 0; j + lag < h; j++) {
                int base = j * w;
                int next = (j + lag) * w;
                for (int i = 0; i < w; i++) {
                    accY += r[base + i] * r[next + i];
                }
            }
            s[lag] = acc / ((double) (w - lag) * h) + accY / ((double) (h - lag) * w);
        }
        List<double[]> peaks = new ArrayList<>();
        for (int lag = MIN_PERIOD; lag <= maxLag - 6; lag++) {
            if (s[lag] > s[lag - 1] && s[lag] >= s[lag + 1]) {
                double prominence = s[lag] - 0.5 * (s[lag - 5] + s[lag + 5]);
                double denom = s[lag - 1] - 2 * s[lag] + s[lag + 1];
                double offset = denom == 0 ? 0 : 0.5 * (s[lag - 1] - s[lag + 1]) / denom;
                peaks.add(new double[] {lag + offset, prominence});
            }
        }
        peaks.sort(Comparator.comparingDouble((double[] p) -> -p[1]));
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.min(4, peaks.size()); i++) {
            out.add(peaks.get(i)[0]);
        }
        for (int cellPixels : CELL_PIXELS) {
            double grid = CELLS * cellPixels;
            for (double prior : new double[] {grid, grid / 2.0, Math.max(w, h) * grid / GRID_SIDE}) {
                if (prior >= MIN_PERIOD && prior <= MAX_PERIOD && out.stream().noneMatch(p -> Math.abs(p - prior) < 1.0)) {
                    out.add(prior);
                }
            }
        }
        return out;
    }

    /** Folds at periods around {@code coarse}, finds the best sync peaks over both layouts and decodes them. */
    private Attempt tryPeriod(View view, double coarse) {
        List<double[]> tries = new ArrayList<>();
        for (double period = coarse - 0.75; period <= coarse + 0.76; period += 0.125) {
            double[] tile = fold(view.residual(), view.width(), view.height(), period);
            for (int l = 0; l < layouts.size(); l++) {
                double[] corr = Fft.circularCorrelation(tile, layouts.get(l).syncTemplate(), PERIOD, WHITEN);
                int best = 0;
                double sum = 0;
                double sumSq = 0;
                for (int i = 0; i < corr.length; i++) {
                    sum += corr[i];
                    sumSq += corr[i] * corr[i];
                    if (corr[i] > corr[best]) {
                        best = i;
                    }
                }
                double mean = sum / corr.length;
                double sd = Math.sqrt(Math.max(1e-12, sumSq / corr.length - mean * mean));
                tries.add(new double[] {period, (corr[best] - mean) / sd, best, l});
            }
        }
        tries.sort(Comparator.comparingDouble((double[] t) -> -t[1]));
        boolean[] firstBits = null;
        Read mostAgreeing = null;
        for (int k = 0; k < Math.min(3, tries.size()); k++) {
            double[] t = tries.get(k);
            if (t[1] < MIN_SYNC_SCORE) {
                break;
            }
            int shift = (int) t[2];
            double[] tile = fold(view.residual(), view.width(), view.height(), t[0]);
            Read peak = read(layouts.get((int) t[3]), whitened(tile), t[0], shift % PERIOD, shift / PERIOD, t[1]);
            if (firstBits == null) {
                firstBits = peak.bits();
            }
            WatermarkReading reading = reading(peak, peak.bits(), view);
            if (reading != null) {
                return new Attempt(reading, peak.bits(), t[1], peak);
            }
            Read around = bestReadAround(view, peak);
            if (around != peak) {
                reading = reading(around, around.bits(), view);
                if (reading != null) {
                    return new Attempt(reading, around.bits(), t[1], around);
                }
            }
            if (mostAgreeing == null || around.agreement() > mostAgreeing.agreement()) {
                mostAgreeing = around;
            }
        }
        return new Attempt(null, firstBits, tries.get(0)[1], mostAgreeing);
    }

    /** Matched-filters, de-spreads and Viterbi-decodes the cells of a whitened tile aligned at (dx, dy). */
    private static Read read(Layout layout, double[] whitenedTile, double period, int dx, int dy, double syncScore) {
        double[] soft = layout.softBits(matchedCells(whitenedTile, Math.floorMod(dx, PERIOD), Math.floorMod(dy, PERIOD)));
        boolean[] bits = ConvolutionalCode.decode(soft, WatermarkPayload.BITS);
        boolean[] coded = ConvolutionalCode.encode(bits);
        double metric = 0;
        double total = 0;
        for (int k = 0; k < soft.length; k++) {
            metric += coded[k] ? soft[k] : -soft[k];
            total += Math.abs(soft[k]);
        }
        return new Read(layout, period, dx, dy, syncScore, soft, bits, total == 0 ? 0 : metric / total);
    }

    /**
     * The read that agrees best with its codeword among the peak's and those one bin away and one
     * {@link #REFINE_PERIOD_STEP} either side. A weak mark's sync peak is only the 64 sync cells' noisy estimate
     * of the alignment and can land a bin off where the data cells read best (after a downscale, or the period
     * found between two of the search's steps); the agreement weighs all 192 data cells. Blind, so only the one
     * winner goes to the CRC.
     */
    private static Read bestReadAround(View view, Read peak) {
        Read best = peak;
        for (int dp = -1; dp <= 1; dp++) {
            double period = peak.period() + dp * REFINE_PERIOD_STEP;
            double[] tile = whitened(fold(view.residual(), view.width(), view.height(), period));
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    if (dp == 0 && dx == 0 && dy == 0) {
                        continue;
                    }
                    Read read = read(peak.layout(), tile, period, peak.dx() + dx, peak.dy() + dy, peak.syncScore());
                    if (read.agreement() > best.agreement()) {
                        best = read;
                    }
                }
            }
        }
        return best;
    }

    /** The reading of these bits decoded from {@code read} when their CRC matches, else null. */
    private static WatermarkReading reading(Read read, boolean[] bits, View view) {
        OptionalLong id = WatermarkPayload.decode(bits);
        if (id.isEmpty()) {
            return null;
        }
        double absSum = 0;
        double sq = 0;
        for (double value : read.soft()) {
            absSum += Math.abs(value);
            sq += value * value;
        }
        double meanAbs = absSum / read.soft().length;
        double spread = Math.sqrt(Math.max(1e-12, sq / read.soft().length - meanAbs * meanAbs));
        double scale = read.period() / read.layout().gridPeriod() / view.shrink();
        return new WatermarkReading(id.getAsLong(), read.syncScore(), meanAbs / spread, scale);
    }

    /**
     * Averages the residual modulo the period into one 64x64 tile (pixel centres at tile coordinate
     * (i + 0.5) * 64 / period, splatted bilinearly), zero mean.
     */
    static double[] fold(float[] r, int w, int h, double period) {
        double s = PERIOD / period;
        double[] sum = new double[PERIOD * PERIOD];
        double[] weight = new double[PERIOD * PERIOD];
        int[] ix = new int[w];
        double[] tx = new double[w];
        for (int i = 0; i < w; i++) {
            double u = ((i + 0.5) * s) % PERIOD;
            ix[i] = (int) u;
            tx[i] = u - ix[i];
        }
        for (int j = 0; j < h; j++) {
            double v = ((j + 0.5) * s) % PERIOD;
            int j0 = (int) v;
            double ty = v - j0;
            int row0 = j0 * PERIOD;
            int row1 = ((j0 + 1) % PERIOD) * PERIOD;
            for (int i = 0; i < w; i++) {
                double val = r[j * w + i];
                int i0 = ix[i];
                int i1 = (i0 + 1) % PERIOD;
                double wx1 = tx[i];
                double wx0 = 1 - wx1;
                double w00 = wx0 * (1 - ty);
                double w10 = wx1 * (1 - ty);
                double w01 = wx0 * ty;
                double w11 = wx1 * ty;
                sum[row0 + i0] += w00 * val;
                weight[row0 + i0] += w00;
                sum[row0 + i1] += w10 * val;
                weight[row0 + i1] += w10;
                sum[row1 + i0] += w01 * val;
                weight[row1 + i0] += w01;
                sum[row1 + i1] += w11 * val;
                weight[row1 + i1] += w11;
            }
        }
        double mean = 0;
        for (int k = 0; k < sum.length; k++) {
            sum[k] = weight[k] > 1e-9 ? sum[k] / weight[k] : 0;
            mean += sum[k];
        }
        mean /= sum.length;
        for (int k = 0; k < sum.length; k++) {
            sum[k] -= mean;
        }
        return sum;
    }

    /** Matched filter (the bilinear hat) of every cell of the tile aligned at (dx, dy). */
    private static double[] cellResponses(double[] rawTile, int dx, int dy) {
        return matchedCells(whitened(rawTile), dx, dy);
    }

    private static double[] whitened(double[] rawTile) {
        return Fft.whitened(rawTile, PERIOD, DATA_WHITEN, DATA_WHITEN_RADIUS);
    }

    /** As {@link #cellResponses}, on a tile already whitened. */
    private static double[] matchedCells(double[] tile, int dx, int dy) {
        double[] out = new double[CELLS * CELLS];
        for (int c = 0; c < out.length; c++) {
            int ci = c % CELLS;
            int cj = c / CELLS;
            double acc = 0;
            for (int dv = -CELL + 1; dv < CELL; dv++) {
                double hv = 1 - Math.abs(dv) / (double) CELL;
                int v = Math.floorMod(cj * CELL + dv + dy, PERIOD);
                for (int du = -CELL + 1; du < CELL; du++) {
                    double hu = 1 - Math.abs(du) / (double) CELL;
                    int u = Math.floorMod(ci * CELL + du + dx, PERIOD);
                    acc += hu * hv * tile[v * PERIOD + u];
                }
            }
            out[c] = acc;
        }
        return out;
    }

    /** Periodic bilinear interpolation of a CELLS x CELLS grid at (u, v) in cell units. */
    private static double bilinear(double[] cells, double u, double v) {
        int i0 = (int) Math.floor(u);
        int j0 = (int) Math.floor(v);
        double tu = u - i0;
        double tv = v - j0;
        int a = Math.floorMod(i0, CELLS);
        int b = Math.floorMod(i0 + 1, CELLS);
        int c = Math.floorMod(j0, CELLS) * CELLS;
        int d = Math.floorMod(j0 + 1, CELLS) * CELLS;
        return (1 - tv) * ((1 - tu) * cells[c + a] + tu * cells[c + b]) + tv * ((1 - tu) * cells[d + a] + tu * cells[d + b]);
    }
}
