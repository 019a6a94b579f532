package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** {@code nn.Linear}: {@code x @ weightᵀ + bias} as one fused native call. */
public final class Linear {
    private final NDArray weight; // [out, in]
    private final NDArray bias;   // [out]

    public Linear(NDArray weight, NDArray bias) {
        this.weight = weight;
        this.bias = bias;
    }

    public static Linear load(Params p, String prefix, DataType type) {
        return new Linear(p.get(prefix + ".weight", type), p.get(prefix + ".bias", type));
    }

    /** [..., in] -> [..., out]. */
    public NDArray forward(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
