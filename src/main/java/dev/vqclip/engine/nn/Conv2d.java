package dev.vqclip.engine.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.Conv2d} with square kernel, stride and zero padding, no dilation, no groups.
 *
 * <p>On the CPU in float32, a convolution with fewer than {@value #MIN_CPU_OUT_CHANNELS} output channels runs with its
 * weight padded by zero filters to that many, and the extra outputs are sliced off. The reason is a wrong gradient:
 * with DJL 0.35.1 / libtorch 2.7.1 on AMD EPYC (Zen 5) CPUs, oneDNN's backward-data for a 3×3 convolution with 1–15
 * output channels returns input gradients off by about 30% of their size, or NaN (measured against float64 for
 * 64–256 input channels; 16 or more output channels are right, and the forward is right either way). That is
 * exactly VQGAN's {@code conv_out} (128 → 3), through which every optimizer step back-propagates. The padding costs
 * one small convolution's worth of extra work per step.
 */
public final class Conv2d {
    static final long MIN_CPU_OUT_CHANNELS = 16;
    private static final Shape NO_DILATION = new Shape(1, 1);
    private final NDArray weight;      // [out, in, k, k]
    private final NDArray bias;        // [out] or null
    private final NDArray kernel;      // [max(out, 16), in, k, k]: weight, zero-padded where that is needed
    private final NDArray kernelBias;  // [max(out, 16)] or null
    private final long outChannels;
    private final Shape stride;
    private final Shape padding;

    public Conv2d(NDArray weight, NDArray bias, int stride, int padding) {
        this.weight = weight;
        this.bias = bias;
        this.stride = new Shape(stride, stride);
        this.padding = new Shape(padding, padding);
        Shape s = weight.getShape();
        this.outChannels = s.get(0);
        if (needsPadding(weight)) {
            long extra = MIN_CPU_OUT_CHANNELS - outChannels;
            NDManager m = weight.getManager();
            try (NDArray zeros = m.zeros(new Shape(extra, s.get(1), s.get(2), s.get(3)), weight.getDataType())) {
                this.kernel = Params.keep(weight.concat(zeros, 0));
            }
            if (bias == null) {
                this.kernelBias = null;
            } else {
                try (NDArray zeros = m.zeros(new Shape(extra), bias.getDataType())) {
                    this.kernelBias = Params.keep(bias.concat(zeros, 0));
                }
            }
        } else {
            this.kernel = weight;
            this.kernelBias = bias;
        }
    }

    private static boolean needsPadding(NDArray weight) {
        return weight.getShape().get(0) < MIN_CPU_OUT_CHANNELS && weight.getDataType() == DataType.FLOAT32
                && Device.Type.CPU.equals(weight.getDevice().getDeviceType());
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
        NDArray y = x.getNDArrayInternal().convolution(x, kernel, kernelBias, stride, padding, NO_DILATION, 1)
                .singletonOrThrow();
        if (kernel == weight) {
            return y;
        }
        try (NDArray padded = y) {
            return padded.get(":, 0:" + outChannels);                                 // [N, out, H', W']
        }
    }
}
