package dev.vqclip.engine.optimize;

/**
 * The reference cutout resize as a 1-D linear map: the {@code resample} function of K. Crowson's VQGAN+CLIP
 * notebook (kept unchanged in nerdyrodent's generate.py), i.e. a Lanczos-2 anti-alias prefilter with reflect
 * padding when shrinking, followed by PyTorch's bicubic {@code interpolate(align_corners=True)} (cubic
 * convolution, A = -0.75, border indices clamped).
 *
 * <p>Both steps are linear and act on one axis each, so a 2-D resize is {@code Wy @ X @ Wxᵀ} with the matrices
 * built here. DJL's own resize cannot be used: it always antialiases and ignores align_corners. The arithmetic
 * follows the reference's float32 order where it matters (tap positions, bicubic source positions); the two
 * factors are multiplied in float64 and rounded once.
 */
final class Resample {
    /** PyTorch's cubic convolution constant. */
    private static final float CUBIC_A = -0.75f;
    /** Lanczos lobes of the reference prefilter. */
    private static final int LANCZOS_A = 2;

    private Resample() {
    }

    /** The resize {@code in -> out} as a row-major {@code [out, in]} matrix in float32. */
    public static float[] matrix(int in, int out) {
        double[] m = matrix64(in, out);
        float[] f = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            f[i] = (float) m[i];
        }
        return f;
    }

    /** The same map in float64 (row-major {@code [out, in]}). */
    static double[] matrix64(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("resample sizes must be >= 1, got " + in + " -> " + out);
        }
        double[] cubic = bicubicAlignCorners(in, out);
        if (out >= in) {
            return cubic;
        }
        double[] filter = lanczosPrefilter(in, (double) out / in);
        double[] m = new double[out * in];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                double c = cubic[o * in + k];
                if (c != 0) {
                    for (int j = 0; j < in; j++) {
                        m[o * in + j] += c * filter[k * in + j];
                    }
                }
            }
        }
        return m;
    }

    /**
     * The reference's {@code lanczos(ramp(ratio, 2), 2)} kernel: taps at 0, ±r, ±2r… accumulated in float64 and
     * stored as float32 (as {@code ramp} does), weights {@code sinc(x)·sinc(x/2)} for |x| < 2 computed in float32,
     * normalised to sum 1.
     */
    static float[] lanczosKernel(double ratio) {
        int n = (int) Math.ceil(LANCZOS_A / ratio + 1);
        float[] half = new float[n];
        double cur = 0;
        for (int i = 0; i < n; i++) {
            half[i] = (float) cur;
            cur += ratio;
        }
        // cat([-half[1:].flip(), half])[1:-1]: 2n-1 positions, the two outermost dropped
        int taps = 2 * n - 3;
        float[] x = new float[taps];
        for (int t = 0; t < taps; t++) {
            int full = t + 1; // index into the 2n-1 mirrored positions
            x[t] = full < n - 1 ? -half[n - 1 - full] : half[full - (n - 1)];
        }
        float[] w = new float[taps];
        float sum = 0;
        for (int t = 0; t < taps; t++) {
            float v = x[t];
            w[t] = (-LANCZOS_A < v && v < LANCZOS_A) ? sinc(v) * sinc(v / LANCZOS_A) : 0f;
        }
        for (float v : w) {
            sum += v;
        }
        for (int t = 0; t < taps; t++) {
            w[t] /= sum;
        }
        return w;
    }

    private static float sinc(float x) {
        if (x == 0) {
            return 1f;
        }
        float px = (float) (Math.PI * x);
        return (float) Math.sin(px) / px;
    }

    /** Prefilter as an {@code [in, in]} matrix: reflect-pad by (taps-1)/2, then a valid cross-correlation. */
    private static double[] lanczosPrefilter(int in, double ratio) {
        float[] k = lanczosKernel(ratio);
        int pad = (k.length - 1) / 2;
        if (pad >= in) {
            throw new IllegalArgumentException("reflect padding " + pad + " needs an input longer than " + in
                    + " (resample " + in + " by ratio " + ratio + ")");
        }
        double[] m = new double[in * in];
        for (int i = 0; i < in; i++) {
            for (int t = 0; t < k.length; t++) {
                m[i * in + reflect(i - pad + t, in)] += k[t];
            }
        }
        return m;
    }

    private static int reflect(int j, int n) {
        if (j < 0) {
            return -j;
        }
        return j > n - 1 ? 2 * (n - 1) - j : j;
    }

    /** PyTorch's CPU bicubic with align_corners=True, source positions in float32 as its kernel computes them. */
    private static double[] bicubicAlignCorners(int in, int out) {
        double[] m = new double[out * in];
        float scale = out > 1 ? (float) (in - 1) / (out - 1) : 0f;
        for (int o = 0; o < out; o++) {
            float real = scale * o;
            int base = (int) Math.floor(real);
            float t = real - base;
            float[] c = {
                cubic2(t + 1f), cubic1(t), cubic1(1f - t), cubic2(2f - t)
            };
            for (int k = 0; k < 4; k++) {
                int idx = Math.min(Math.max(base - 1 + k, 0), in - 1);
                m[o * in + idx] += c[k];
            }
        }
        return m;
    }

    private static float cubic1(float x) {
        return ((CUBIC_A + 2) * x - (CUBIC_A + 3)) * x * x + 1;
    }

    private static float cubic2(float x) {
        return ((CUBIC_A * x - 5 * CUBIC_A) * x + 8 * CUBIC_A) * x - 4 * CUBIC_A;
    }
}
