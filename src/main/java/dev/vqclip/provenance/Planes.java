package dev.vqclip.provenance;

import java.awt.image.BufferedImage;

/** Float image planes: luma extraction, area-average resampling and a separable box blur. */
final class Planes {
    private Planes() {
    }

    /** ITU-R BT.601 luma, the Y that JPEG and WebP code at full resolution. Row-major, [h * w]. */
    static float[] luma(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] y = new float[w * h];
        int[] row = new int[w];
        for (int j = 0; j < h; j++) {
            image.getRGB(0, j, w, 1, row, 0, w);
            for (int i = 0; i < w; i++) {
                int p = row[i];
                y[j * w + i] = 0.299f * ((p >> 16) & 0xFF) + 0.587f * ((p >> 8) & 0xFF) + 0.114f * (p & 0xFF);
            }
        }
        return y;
    }

    /**
     * Area-average resampling (each output pixel is the mean of the source area it covers, fractional edges
     * weighted), i.e. a box-filtered resize like PIL's BOX filter; used for downscaling without aliasing.
     */
    static float[] resizeArea(float[] src, int w, int h, int nw, int nh) {
        float[] tmp = new float[h * nw];
        for (int j = 0; j < h; j++) {
            resample1d(src, j * w, 1, w, tmp, j * nw, 1, nw);
        }
        float[] out = new float[nh * nw];
        for (int i = 0; i < nw; i++) {
            resample1d(tmp, i, nw, h, out, i, nw, nh);
        }
        return out;
    }

    private static void resample1d(float[] src, int srcOff, int srcStride, int n, float[] dst, int dstOff, int dstStride, int m) {
        double scale = (double) n / m;
        for (int k = 0; k < m; k++) {
            double a = k * scale;
            double b = a + scale;
            if (scale <= 1) {
                // upsampling: linear interpolation at the output pixel centre
                double c = (k + 0.5) * scale - 0.5;
                int i0 = (int) Math.floor(c);
                double t = c - i0;
                int ia = Math.max(0, Math.min(n - 1, i0));
                int ib = Math.max(0, Math.min(n - 1, i0 + 1));
                dst[dstOff + k * dstStride] = (float) ((1 - t) * src[srcOff + ia * srcStride] + t * src[srcOff + ib * srcStride]);
                continue;
            }
            double sum = 0;
            int first = (int) Math.floor(a);
            int last = Math.min(n - 1, (int) Math.ceil(b) - 1);
            for (int i = first; i <= last; i++) {
                double cover = Math.min(b, i + 1) - Math.max(a, i);
                sum += cover * src[srcOff + i * srcStride];
            }
            dst[dstOff + k * dstStride] = (float) (sum / scale);
        }
    }

    /** Mean over a (2r+1)^2 window, edges clamped; separable running sums. */
    static float[] boxBlur(float[] src, int w, int h, int r) {
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        int size = 2 * r + 1;
        for (int j = 0; j < h; j++) {
            double acc = 0;
            for (int k = -r; k <= r; k++) {
                acc += src[j * w + clamp(k, w)];
            }
            for (int i = 0; i < w; i++) {
                tmp[j * w + i] = (float) (acc / size);
                acc += src[j * w + clamp(i + r + 1, w)] - src[j * w + clamp(i - r, w)];
            }
        }
        for (int i = 0; i < w; i++) {
            double acc = 0;
            for (int k = -r; k <= r; k++) {
                acc += tmp[clamp(k, h) * w + i];
            }
            for (int j = 0; j < h; j++) {
                out[j * w + i] = (float) (acc / size);
                acc += tmp[clamp(j + r + 1, h) * w + i] - tmp[clamp(j - r, h) * w + i];
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }
}
