package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** {@code nn.Conv2d} with square kernel, stride and zero padding, no dilation, no groups. */
public final class Conv2d {
    private static final Shape NO_DILATION = new Shape(1, 1);
    private final NDArray weight; // [out, in, k, k]
    private final NDArray bias;   // [out] or null
    private final Shape stride;
    private final Shape padding;

    public Conv2d(NDArray weight, NDArray bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
    }

    /** Loads {@code prefix.weight} and {@code prefix.bias} (when {@code withBias}). */
    public static Conv2d load(Params p, String prefix, boolean withBias, int stride, int padding, DataType type) {
        NDArray w = p.get(prefix + ".weight", type);
        NDArray b = withBias ? p.get(prefix + ".bias", type) : null;
        return new Conv2d(w, b, stride, padding);
    }

    /** The usual taming conv: bias, stride 1, padding k/2 (3x3 → 1, 1x1 → 0). */
    public static Conv2d same(Params p, String prefix) {
        int k = (int) p.shape(prefix + ".weight")[2];
        return load(p, prefix, true, 1, k / 2, DataType.FLOAT32);
    }

    public NDArray weight() {
        return weight;
    }

    public NDArray bias() {
        return bias;
    }

    /** [N, in, H, W] -> [N, out, H', W']. */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().convolution(x, weight, bias, stride, padding, NO_DILATION, 1).singletonOrThrow();
    }
}
