package dev.vqclip.engine.optimize;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Host-side pictures that start a render: a resized init image, or nerdyrodent's noise inits. All return planar
 * RGB {@code [3, h, w]} in [0, 1].
 */
public final class InitImages {
    private static final int LANCZOS_LOBES = 3;

    private InitImages() {
    }

    /**
     * Resizes to exactly {@code w×h} (aspect not kept, as the references do) with a Lanczos-3 filter whose support
     * widens when shrinking, the way PIL's {@code Image.resize(..., LANCZOS)} works.
     */
    public static float[] lanczosResize(BufferedImage image, int w, int h) {
        int sw = image.getWidth();
        int sh = image.getHeight();
        int[] argb = image.getRGB(0, 0, sw, sh, null, 0, sw);
        float[] src = new float[3 * sh * sw];
        for (int p = 0; p < sh * sw; p++) {
            src[p] = ((argb[p] >> 16) & 0xff) / 255f;
            src[sh * sw + p] = ((argb[p] >> 8) & 0xff) / 255f;
            src[2 * sh * sw + p] = (argb[p] & 0xff) / 255f;
        }
        double[] wx = weights(sw, w);   // [w, sw]
        double[] wy = weights(sh, h);   // [h, sh]
        float[] out = new float[3 * h * w];
        double[] row = new double[w];
        for (int c = 0; c < 3; c++) {
            double[] tmp = new double[sh * w];
            for (int y = 0; y < sh; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int i = 0; i < sw; i++) {
                        double k = wx[x * sw + i];
                        if (k != 0) {
                            s += k * src[(c * sh + y) * sw + i];
                        }
                    }
                    tmp[y * w + x] = s;
                }
            }
            for (int y = 0; y < h; y++) {
                java.util.Arrays.fill(row, 0);
                for (int j = 0; j < sh; j++) {
                    double k = wy[y * sh + j];
                    if (k != 0) {
                        for (int x = 0; x < w; x++) {
                            row[x] += k * tmp[j * w + x];
                        }
                    }
                }
                for (int x = 0; x < w; x++) {
                    out[(c * h + y) * w + x] = (float) Math.min(Math.max(row[x], 0), 1);
                }
            }
        }
        return out;
    }

    /** PIL-style resampling weights {@code [out, in]}: pixel-centre aligned, support scaled by the shrink factor. */
    private static double[] weights(int in, int out) {
        double scale = (double) in / out;
        double support = Math.max(scale, 1.0);
        double[] m = new double[out * in];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - LANCZOS_LOBES * support));
            int hi = Math.min(in, (int) Math.ceil(centre + LANCZOS_LOBES * support));
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double v = lanczos((i + 0.5 - centre) / support);
                m[o * in + i] = v;
                sum += v;
            }
            for (int i = lo; i < hi; i++) {
                m[o * in + i] /= sum;
            }
        }
        return m;
    }

    private static double lanczos(double x) {
        if (x == 0) {
            return 1;
        }
        if (Math.abs(x) >= LANCZOS_LOBES) {
            return 0;
        }
        double px = Math.PI * x;
        return LANCZOS_LOBES * Math.sin(px) * Math.sin(px / LANCZOS_LOBES) / (px * px);
    }

    /** nerdyrodent's {@code pixels} init noise: every channel of every pixel uniform in {0..255}. */
    public static float[] pixelNoise(int w, int h, SplittableRandom rng) {
        float[] out = new float[3 * h * w];
        for (int i = 0; i < out.length; i++) {
            out[i] = rng.nextInt(256) / 255f;
        }
        return out;
    }

    /**
     * nerdyrodent's {@code gradient} init noise: red ramps left to right from 0 to U(1, 255), green top to bottom
     * from 0 to U(2, 255), blue top to bottom from U(0, 255) to U(3, 128).
     */
    public static float[] gradientNoise(int w, int h, SplittableRandom rng) {
        double redEnd = rng.nextInt(1, 256);
        double greenEnd = rng.nextInt(2, 256);
        double blueStart = rng.nextInt(0, 256);
        double blueEnd = rng.nextInt(3, 129);
        float[] out = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            double ty = h > 1 ? (double) y / (h - 1) : 0;
            for (int x = 0; x < w; x++) {
                double tx = w > 1 ? (double) x / (w - 1) : 0;
                out[y * w + x] = (float) (redEnd * tx / 255);
                out[(h + y) * w + x] = (float) (greenEnd * ty / 255);
                out[(2 * h + y) * w + x] = (float) ((blueStart + (blueEnd - blueStart) * ty) / 255);
            }
        }
        return out;
    }
}
