package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Applies a list of {@link Augmentation}s to a batch of cutouts on the tensor device, differentiably. Random
 * parameters are drawn on the host from a seeded generator (a few numbers per cutout); the pixel work is tensor
 * ops: consecutive geometric augmentations are fused into one projective warp per cutout (bilinear, zero
 * padding) done as a single gather, colour jitter is one 3×3 colour matrix plus offset per cutout, erasing a mask
 * multiply, sharpness a depthwise 3×3 convolution blend.
 *
 * <p>Fusing the warps resamples once instead of once per augmentation, so the result is slightly sharper than
 * kornia's chain and its zero padding only appears where the composed map leaves the image.
 */
final class Augmenter {
    // kornia 0.5.4 parameters as nerdyrodent's generate.py configures them for the "latest" cut method
    private static final double AFFINE_DEGREES = 15;
    private static final double AFFINE_TRANSLATE = 0.1;
    private static final double AFFINE_SHEAR = 5;
    private static final double AFFINE_P = 0.7;
    private static final double PERSPECTIVE_DISTORTION = 0.7;
    private static final double PERSPECTIVE_P = 0.7;
    private static final double JITTER_BRIGHTNESS = 0.1;
    private static final double JITTER_CONTRAST = 0.1;
    private static final double JITTER_SATURATION = 0.1;
    private static final double JITTER_HUE = 0.1;
    private static final double JITTER_P = 0.7;
    private static final double ERASING_SCALE_LO = 0.1;
    private static final double ERASING_SCALE_HI = 0.4;
    private static final double ERASING_RATIO_LO = 0.3;
    private static final double ERASING_RATIO_HI = 3.3;
    private static final double ERASING_P = 0.7;
    private static final double FLIP_P = 0.5;
    private static final double SHARPNESS = 0.3;
    private static final double SHARPNESS_P = 0.5;
    /** ITU-R BT.601 luma, the grey axis for saturation and hue. */
    private static final double[] LUMA = {0.299, 0.587, 0.114};
    /** RGB to YIQ; hue is a rotation in the IQ plane. */
    private static final double[] RGB_TO_YIQ = {0.299, 0.587, 0.114, 0.596, -0.274, -0.322, 0.211, -0.523, 0.312};

    private final List<Augmentation> order;
    private final SplittableRandom rng;

    Augmenter(List<Augmentation> order, SplittableRandom rng) {
        this.order = List.copyOf(order);
        this.rng = rng;
    }

    /** {@code x [B, 3, R, R]} with B = 1 or {@code cutn} to {@code [cutn, 3, R, R]}. */
    NDArray apply(NDArray x, int cutn) {
        int side = Math.toIntExact(x.getShape().get(2));
        NDArray out = x;
        int i = 0;
        while (i < order.size()) {
            if (order.get(i).geometric()) {
                List<double[]> perCut = new ArrayList<>();
                int j = i;
                while (j < order.size() && order.get(j).geometric()) {
                    j++;
                }
                for (int n = 0; n < cutn; n++) {
                    double[] f = Homography.identity();
                    for (int k = i; k < j; k++) {
                        double[] step = geometric(order.get(k), side);
                        f = Homography.multiply(step, f);
                    }
                    perCut.add(Homography.invert(f));
                }
                out = warp(out, perCut, side);
                i = j;
            } else {
                out = switch (order.get(i)) {
                    case JITTER -> jitter(out, cutn);
                    case ERASING -> erase(out, side);
                    case SHARPNESS -> sharpen(out, cutn);
                    default -> throw new IllegalStateException("not a pixel augmentation: " + order.get(i));
                };
                i++;
            }
        }
        long b = out.getShape().get(0);
        return b == cutn ? out : out.broadcast(new Shape(cutn, 3, side, side));
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private boolean coin(double p) {
        return rng.nextDouble() < p;
    }

    /** One augmentation's source-to-destination map for one cutout (identity when its coin says no). */
    private double[] geometric(Augmentation a, int side) {
        double c = (side - 1) / 2.0;
        switch (a) {
            case AFFINE -> {
                if (!coin(AFFINE_P)) {
                    return Homography.identity();
                }
                double deg = uniform(-AFFINE_DEGREES, AFFINE_DEGREES);
                double tx = uniform(-AFFINE_TRANSLATE, AFFINE_TRANSLATE) * side;
                double ty = uniform(-AFFINE_TRANSLATE, AFFINE_TRANSLATE) * side;
                double shear = uniform(-AFFINE_SHEAR, AFFINE_SHEAR);
                return Homography.affine(deg, tx, ty, shear, c, c);
            }
            case PERSPECTIVE -> {
                if (!coin(PERSPECTIVE_P)) {
                    return Homography.identity();
                }
                double e = side - 1;
                double[] from = {0, 0, e, 0, e, e, 0, e};
                double[] inward = {1, 1, -1, 1, -1, -1, 1, -1};
                double[] to = new double[8];
                for (int k = 0; k < 8; k++) {
                    to[k] = from[k] + inward[k] * rng.nextDouble() * PERSPECTIVE_DISTORTION * side / 2;
                }
                return Homography.fromPoints(from, to);
            }
            case FLIP -> {
                return coin(FLIP_P) ? new double[] {-1, 0, side - 1, 0, 1, 0, 0, 0, 1} : Homography.identity();
            }
            default -> throw new IllegalStateException("not a geometric augmentation: " + a);
        }
    }

    /** Bilinear sampling of {@code x [B, 3, R, R]} at the positions {@code sample[n]·(px, py, 1)}, zeros outside. */
    static NDArray warp(NDArray x, List<double[]> sample, int side) {
        NDManager m = x.getManager();
        int cutn = sample.size();
        int b = Math.toIntExact(x.getShape().get(0));
        long pixels = (long) side * side;
        float[] s = new float[cutn * 9];
        for (int n = 0; n < cutn; n++) {
            for (int k = 0; k < 9; k++) {
                s[n * 9 + k] = (float) sample.get(n)[k];
            }
        }
        NDArray mats = Ops.constant(m, s, new Shape(cutn, 3, 3));
        NDArray px = m.arange(0f, side).tile(side);                             // x of each output pixel
        NDArray py = m.arange(0f, side).repeat(side);                           // y of each output pixel
        NDArray base = NDArrays.stack(new NDList(px, py, m.ones(new Shape(pixels))));   // [3, R²]
        NDArray src = mats.matMul(base);                                        // [cutn, 3, R²]
        NDArray sw = src.get(":, 2, :");
        NDArray sx = src.get(":, 0, :").div(sw);                                // [cutn, R²]
        NDArray sy = src.get(":, 1, :").div(sw);
        NDArray x0 = sx.floor();
        NDArray y0 = sy.floor();
        NDArray fx = sx.sub(x0);
        NDArray fy = sy.sub(y0);
        NDArray offset = b == 1 ? m.zeros(new Shape(cutn, 1))
                : m.arange(0f, cutn).mul((float) pixels).reshape(cutn, 1);
        NDList indices = new NDList();
        NDList weights = new NDList();
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                NDArray xi = x0.add(dx);
                NDArray yi = y0.add(dy);
                NDArray inside = xi.gte(0).logicalAnd(xi.lte(side - 1)).logicalAnd(yi.gte(0)).logicalAnd(yi.lte(side - 1))
                        .toType(DataType.FLOAT32, false);
                NDArray wx = dx == 1 ? fx : fx.neg().add(1);
                NDArray wy = dy == 1 ? fy : fy.neg().add(1);
                weights.add(wx.mul(wy).mul(inside));
                indices.add(yi.clip(0, side - 1).mul(side).add(xi.clip(0, side - 1)).add(offset));
            }
        }
        NDArray idx = NDArrays.stack(indices, 1).toType(DataType.INT64, false).reshape(-1);   // [cutn·4·R²]
        NDArray w = NDArrays.stack(weights, 1).expandDims(0);                   // [1, cutn, 4, R²]
        NDArray flat = x.reshape(b, 3, pixels).transpose(1, 0, 2).reshape(3, b * pixels);
        NDArray picked = flat.get(new NDIndex(":, {}", idx)).reshape(3, cutn, 4, pixels);
        return picked.mul(w).sum(new int[] {2})                                 // [3, cutn, R²]
                .transpose(1, 0, 2).reshape(cutn, 3, side, side);
    }

    /** Brightness, contrast, saturation and hue in a random order per cutout, folded into one colour map. */
    private NDArray jitter(NDArray x, int cutn) {
        float[] mats = new float[cutn * 9];
        float[] offsets = new float[cutn * 3];
        for (int n = 0; n < cutn; n++) {
            double[] mat = Homography.identity();
            double[] off = new double[3];
            if (coin(JITTER_P)) {
                List<Integer> steps = new ArrayList<>(List.of(0, 1, 2, 3));
                for (int k = steps.size() - 1; k > 0; k--) {
                    int r = rng.nextInt(k + 1);
                    steps.set(r, steps.set(k, steps.get(r)));
                }
                for (int step : steps) {
                    double[] a;
                    double[] o = new double[3];
                    switch (step) {
                        case 0 -> {
                            a = Homography.identity();
                            double shift = uniform(-JITTER_BRIGHTNESS, JITTER_BRIGHTNESS);
                            o = new double[] {shift, shift, shift};
                        }
                        case 1 -> {
                            double c = uniform(1 - JITTER_CONTRAST, 1 + JITTER_CONTRAST);
                            a = new double[] {c, 0, 0, 0, c, 0, 0, 0, c};
                        }
                        case 2 -> a = saturation(uniform(1 - JITTER_SATURATION, 1 + JITTER_SATURATION));
                        default -> a = hue(uniform(-JITTER_HUE, JITTER_HUE) * 2 * Math.PI);
                    }
                    // (a, o) ∘ (mat, off)
                    double[] newOff = new double[3];
                    for (int r = 0; r < 3; r++) {
                        newOff[r] = a[r * 3] * off[0] + a[r * 3 + 1] * off[1] + a[r * 3 + 2] * off[2] + o[r];
                    }
                    mat = Homography.multiply(a, mat);
                    off = newOff;
                }
            }
            for (int k = 0; k < 9; k++) {
                mats[n * 9 + k] = (float) mat[k];
            }
            for (int k = 0; k < 3; k++) {
                offsets[n * 3 + k] = (float) off[k];
            }
        }
        NDManager m = x.getManager();
        Shape s = x.getShape();
        long side = s.get(2);
        NDArray flat = x.reshape(s.get(0), 3, side * side);                      // [B, 3, R²]
        NDArray colour = Ops.constant(m, mats, new Shape(cutn, 3, 3)).matMul(flat)     // [cutn, 3, R²]
                .add(Ops.constant(m, offsets, new Shape(cutn, 3, 1)));
        return colour.clip(0f, 1f).reshape(cutn, 3, side, side);
    }

    private static double[] saturation(double s) {
        double[] a = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                a[r * 3 + c] = (r == c ? s : 0) + (1 - s) * LUMA[c];
            }
        }
        return a;
    }

    private static double[] hue(double radians) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double[] rot = {1, 0, 0, 0, cos, -sin, 0, sin, cos};
        return Homography.multiply(Homography.invert(RGB_TO_YIQ), Homography.multiply(rot, RGB_TO_YIQ));
    }

    /** One rectangle for the whole batch (same_on_batch), set to 0. */
    private NDArray erase(NDArray x, int side) {
        if (!coin(ERASING_P)) {
            return x;
        }
        double area = uniform(ERASING_SCALE_LO, ERASING_SCALE_HI) * side * side;
        double ratio = uniform(ERASING_RATIO_LO, ERASING_RATIO_HI);
        int h = (int) Math.min(side, Math.round(Math.sqrt(area * ratio)));
        int w = (int) Math.min(side, Math.round(Math.sqrt(area / ratio)));
        int y = rng.nextInt(side - h + 1);
        int x0 = rng.nextInt(side - w + 1);
        float[] mask = new float[side * side];
        java.util.Arrays.fill(mask, 1f);
        for (int r = y; r < y + h; r++) {
            java.util.Arrays.fill(mask, r * side + x0, r * side + x0 + w, 0f);
        }
        return x.mul(Ops.constant(x.getManager(), mask, new Shape(1, 1, side, side)));
    }

    /** kornia's sharpness: blend between the 3×3-smoothed image (borders kept) and the image, factor U[0, 0.3]. */
    private NDArray sharpen(NDArray x, int cutn) {
        NDManager m = x.getManager();
        Shape s = x.getShape();
        int side = Math.toIntExact(s.get(2));
        float[] k = new float[3 * 9];
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 9; t++) {
                k[c * 9 + t] = (t == 4 ? 5f : 1f) / 13f;
            }
        }
        float[] factors = new float[cutn];
        for (int n = 0; n < cutn; n++) {
            factors[n] = coin(SHARPNESS_P) ? (float) uniform(0, SHARPNESS) : 1f;
        }
        float[] interior = new float[side * side];
        for (int r = 1; r < side - 1; r++) {
            java.util.Arrays.fill(interior, r * side + 1, r * side + side - 1, 1f);
        }
        NDArray smooth = Conv2d.conv2d(x, Ops.constant(m, k, new Shape(3, 1, 3, 3)), null,
                new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 3).singletonOrThrow();
        NDArray keep = Ops.constant(m, interior, new Shape(1, 1, side, side));
        NDArray degenerate = smooth.mul(keep).add(x.mul(keep.neg().add(1)));
        NDArray f = Ops.constant(m, factors, new Shape(cutn, 1, 1, 1));
        return degenerate.add(x.sub(degenerate).mul(f));
    }
}
