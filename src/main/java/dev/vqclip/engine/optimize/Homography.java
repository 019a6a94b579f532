package dev.vqclip.engine.optimize;

/** 3×3 projective maps on pixel coordinates (row-major double[9]), built and inverted on the host. */
final class Homography {
    private Homography() {
    }

    static double[] identity() {
        return new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1};
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            }
        }
        return c;
    }

    static double[] invert(double[] m) {
        double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
        double co0 = e * i - f * h;
        double co1 = -(d * i - f * g);
        double co2 = d * h - e * g;
        double det = a * co0 + b * co1 + c * co2;
        if (Math.abs(det) < 1e-12) {
            throw new IllegalArgumentException("singular transform");
        }
        return new double[] {
            co0 / det, -(b * i - c * h) / det, (b * f - c * e) / det,
            co1 / det, (a * i - c * g) / det, -(a * f - c * d) / det,
            co2 / det, -(a * h - b * g) / det, (a * e - b * d) / det
        };
    }

    /**
     * The rotation/translation/x-shear about the image centre that RandomAffine applies (source to destination).
     */
    static double[] affine(double degrees, double tx, double ty, double shearDegrees, double cx, double cy) {
        double r = Math.toRadians(degrees);
        double sh = Math.tan(Math.toRadians(shearDegrees));
        double[] toOrigin = {1, 0, -cx, 0, 1, -cy, 0, 0, 1};
        double[] shear = {1, sh, 0, 0, 1, 0, 0, 0, 1};
        double[] rot = {Math.cos(r), -Math.sin(r), 0, Math.sin(r), Math.cos(r), 0, 0, 0, 1};
        double[] back = {1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1};
        return multiply(back, multiply(rot, multiply(shear, toOrigin)));
    }

    /** The projective map taking the four {@code from} points (x0,y0,…,x3,y3) to the four {@code to} points. */
    static double[] fromPoints(double[] from, double[] to) {
        double[][] a = new double[8][9];
        for (int k = 0; k < 4; k++) {
            double x = from[2 * k];
            double y = from[2 * k + 1];
            double u = to[2 * k];
            double v = to[2 * k + 1];
            a[2 * k] = new double[] {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
            a[2 * k + 1] = new double[] {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        }
        for (int col = 0; col < 8; col++) {
            int pivot = col;
            for (int r = col + 1; r < 8; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            if (Math.abs(a[col][col]) < 1e-12) {
                throw new IllegalArgumentException("degenerate perspective points");
            }
            for (int r = 0; r < 8; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c < 9; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] h = new double[9];
        for (int k = 0; k < 8; k++) {
            h[k] = a[k][8] / a[k][k];
        }
        h[8] = 1;
        return h;
    }
}
