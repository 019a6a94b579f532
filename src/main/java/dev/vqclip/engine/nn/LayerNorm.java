package dev.vqclip.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code nn.LayerNorm} over the last axis. As OpenAI CLIP's LayerNorm subclass does, an input of another dtype
 * (float16 on GPU) is normalised in the weights' float32 and cast back, both casts differentiable.
 */
public final class LayerNorm {
    private final NDArray weight; // [W]
    private final NDArray bias;   // [W]
    private final float eps;
    private final Shape normalized;

    public LayerNorm(NDArray weight, NDArray bias, float eps) {
        this.weight = weight;
        this.bias = bias;
        this.eps = eps;
        this.normalized = weight.getShape();
    }

    /** CLIP's LayerNorm: eps 1e-5, weights kept in float32 whatever the compute type. */
    public static LayerNorm clip(Params p, String prefix) {
        return new LayerNorm(p.get(prefix + ".weight"), p.get(prefix + ".bias"), 1e-5f);
    }

    /** [..., W] -> [..., W]. */
    public NDArray forward(NDArray x) {
        if (x.getDataType() == weight.getDataType()) {
            return norm(x);
        }
        try (NDArray up = Ops.castDifferentiably(x, weight.getDataType()); NDArray y = norm(up)) {
            return Ops.castDifferentiably(y, x.getDataType());
        }
    }

    private NDArray norm(NDArray x) {
        return x.getNDArrayInternal().layerNorm(x, normalized, weight, bias, eps).singletonOrThrow();
    }
}
