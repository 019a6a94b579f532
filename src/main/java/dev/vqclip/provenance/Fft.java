package dev.vqclip.provenance;

/**
 * In-place radix-2 complex FFT (iterative Cooley-Tukey) on split real/imaginary arrays, and the 2-D version on
 * square row-major grids. Only power-of-two sizes: the watermark tile is 64x64.
 */
final class Fft {
    private Fft() {
    }

    static void transform(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        if (Integer.bitCount(n) != 1 || im.length != n) {
            throw new IllegalArgumentException("FFT size must be a power of two with equal re/im lengths, got " + n + "/" + im.length);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = 2 * Math.PI / len * (inverse ? 1 : -1);
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int start = 0; start < n; start += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = start + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
                }
            }
        }
        if (inverse) {
            for (int i = 0; i < n; i++) {
                re[i] /= n;
                im[i] /= n;
            }
        }
    }

    /** 2-D transform of an n x n row-major grid: rows, then columns. */
    static void transform2d(double[] re, double[] im, int n, boolean inverse) {
        if (re.length != n * n || im.length != n * n) {
            throw new IllegalArgumentException("2-D FFT needs n*n = " + n * n + " values, got " + re.length);
        }
        double[] rr = new double[n];
        double[] ri = new double[n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(re, y * n, rr, 0, n);
            System.arraycopy(im, y * n, ri, 0, n);
            transform(rr, ri, inverse);
            System.arraycopy(rr, 0, re, y * n, n);
            System.arraycopy(ri, 0, im, y * n, n);
        }
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                rr[y] = re[y * n + x];
                ri[y] = im[y * n + x];
            }
            transform(rr, ri, inverse);
            for (int y = 0; y < n; y++) {
                re[y * n + x] = rr[y];
                im[y * n + x] = ri[y];
            }
        }
    }

    /**
     * Circular cross-correlation c[d] = sum_u a[(u + d) mod n] * t[u] of two n x n grids, for every shift d
     * (row-major, d = dy * n + dx).
     */
    static double[] circularCorrelation(double[] a, double[] t, int n) {
        return circularCorrelation(a, t, n, 0);
    }

    /**
     * As {@link #circularCorrelation(double[], double[], int)}, with a's spectrum divided by its magnitude to the
     * power {@code whiten} first (1 = phase-only correlation, J. Horner and P. Gianino, Applied Optics 1984): the
     * strong narrow-band content of a picture then no longer dominates every shift.
     */
    static double[] circularCorrelation(double[] a, double[] t, int n, double whiten) {
        double[] ar = a.clone();
        double[] ai = new double[n * n];
        double[] tr = t.clone();
        double[] ti = new double[n * n];
        transform2d(ar, ai, n, false);
        transform2d(tr, ti, n, false);
        // A * conj(T) / |A|^whiten
        for (int i = 0; i < n * n; i++) {
            if (whiten != 0) {
                double mag = Math.pow(Math.hypot(ar[i], ai[i]) + 1e-12, whiten);
                ar[i] /= mag;
                ai[i] /= mag;
            }
            double r = ar[i] * tr[i] + ai[i] * ti[i];
            double im = ai[i] * tr[i] - ar[i] * ti[i];
            ar[i] = r;
            ai[i] = im;
        }
        transform2d(ar, ai, n, true);
        return ar;
    }

    /**
     * The n x n grid filtered by the inverse of its own smoothed amplitude spectrum to the power {@code alpha}:
     * the power at each frequency is averaged over a (2 radius + 1)^2 neighbourhood of frequencies first, so the
     * filter follows the broad spectral envelope (a picture's strong low frequencies, a grating's line) and not
     * the fine random structure of a spread-spectrum mark. A pre-whitening filter for coloured host noise.
     */
    static double[] whitened(double[] grid, int n, double alpha, int radius) {
        double[] re = grid.clone();
        double[] im = new double[n * n];
        transform2d(re, im, n, false);
        double[] power = new double[n * n];
        double total = 0;
        for (int i = 0; i < power.length; i++) {
            power[i] = re[i] * re[i] + im[i] * im[i];
            total += power[i];
        }
        double floor = 1e-6 * total / power.length + 1e-30;
        int count = (2 * radius + 1) * (2 * radius + 1);
        for (int v = 0; v < n; v++) {
            for (int u = 0; u < n; u++) {
                double acc = 0;
                for (int dv = -radius; dv <= radius; dv++) {
                    int row = Math.floorMod(v + dv, n) * n;
                    for (int du = -radius; du <= radius; du++) {
                        acc += power[row + Math.floorMod(u + du, n)];
                    }
                }
                double gain = Math.pow(acc / count + floor, -alpha / 2);
                re[v * n + u] *= gain;
                im[v * n + u] *= gain;
            }
        }
        transform2d(re, im, n, true);
        return re;
    }
}
