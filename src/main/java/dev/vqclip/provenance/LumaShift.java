package dev.vqclip.provenance;

/**
 * Changes a pixel's BT.601 luma by a requested amount at the least RGB cost: the change is split over R, G and B
 * in proportion to their luma weights (the minimum-norm solution of 0.299 dR + 0.587 dG + 0.114 dB = d), which
 * costs 25% less squared error than adding d to every channel; a channel that would leave [0, 255] is pinned at
 * its bound and the others take up the rest (the box-constrained minimum-norm solution, found by the usual
 * active-set pass). So saturated colours still carry the mark, where adding d to all three would clip it away.
 * Chroma moves a little; JPEG and WebP code chroma separately, so the luma the detector reads is unaffected.
 */
final class LumaShift {
    private static final double[] WEIGHT = {0.299, 0.587, 0.114};
    /** No channel moves by more than this many times the requested luma change (limits colour shifts). */
    private static final double MAX_CHANNEL_RATIO = 3.0;

    private LumaShift() {
    }

    /** The ARGB pixel with its luma moved by about {@code delta} (alpha kept, channels rounded). */
    static int apply(int argb, double delta) {
        int r = (argb >> 16) & 0xFF;
        int g = (argb >> 8) & 0xFF;
        int b = argb & 0xFF;
        double[] d = shifts(r, g, b, delta);
        return (argb & 0xFF000000) | (round(r + d[0]) << 16) | (round(g + d[1]) << 8) | round(b + d[2]);
    }

    /** Mean squared RGB error of applying {@code gain * mark[i]} to every pixel, rounding included. */
    static double meanSquaredError(int[] pixels, float[] mark, double gain) {
        double se = 0;
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int q = apply(p, gain * mark[i]);
            for (int shift = 0; shift <= 16; shift += 8) {
                int e = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                se += e * e;
            }
        }
        return se / (3.0 * pixels.length);
    }

    private static double[] shifts(int r, int g, int b, double delta) {
        int[] value = {r, g, b};
        double[] out = new double[3];
        boolean[] pinned = new boolean[3];
        double limit = MAX_CHANNEL_RATIO * Math.abs(delta);
        for (int pass = 0; pass < 3; pass++) {
            double rest = delta;
            double norm = 0;
            for (int c = 0; c < 3; c++) {
                if (pinned[c]) {
                    rest -= WEIGHT[c] * out[c];
                } else {
                    norm += WEIGHT[c] * WEIGHT[c];
                }
            }
            if (norm == 0) {
                break;
            }
            double lambda = rest / norm;
            boolean changed = false;
            for (int c = 0; c < 3; c++) {
                if (pinned[c]) {
                    continue;
                }
                double want = lambda * WEIGHT[c];
                double lo = Math.max(-value[c], -limit);
                double hi = Math.min(255 - value[c], limit);
                if (want < lo || want > hi) {
                    out[c] = Math.max(lo, Math.min(hi, want));
                    pinned[c] = true;
                    changed = true;
                } else {
                    out[c] = want;
                }
            }
            if (!changed) {
                break;
            }
        }
        return out;
    }

    private static int round(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
