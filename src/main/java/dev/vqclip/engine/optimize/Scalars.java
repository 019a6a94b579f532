package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant on the gradient path. DJL turns a Number operand into a tensor over a Java direct
 * buffer and drops that buffer right after the op; {@code mul}, {@code div} and {@code maximum} save the operand
 * for backward, so the backward pass may later read freed memory (seen as sporadic NaN gradients after a GC).
 * These helpers make the constant with {@code full}, whose memory libtorch owns.
 */
final class Scalars {
    private Scalars() {
    }

    static NDArray of(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    static NDArray mul(NDArray x, double value) {
        return x.mul(of(x, (float) value));
    }

    static NDArray maximum(NDArray x, double value) {
        return x.maximum(of(x, (float) value));
    }
}
