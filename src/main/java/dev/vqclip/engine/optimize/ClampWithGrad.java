package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code clamp_with_grad} of K. Crowson's VQGAN+CLIP notebook, exactly: the forward value is {@code clamp(x, lo,
 * hi)}; the backward keeps an incoming gradient g only where {@code g·(x − clamp(x)) ≥ 0}, i.e. inside the range,
 * or outside it when a descent step moves x back towards the range.
 *
 * <p>The mask depends on g, so no fixed function of x has this gradient. It is computed in two stages instead:
 * {@link #output()} is a detached leaf holding the clamped value; once the downstream loss has been
 * back-propagated into it, {@link #upstreamSurrogate()} is the scalar {@code sum(x · stopgrad(g·mask))}, whose
 * gradient with respect to everything upstream of x is the masked gradient. Backward costs the same as one pass.
 */
final class ClampWithGrad implements GradientStage {
    private final NDArray input;
    private final NDArray output;

    private ClampWithGrad(NDArray input, NDArray output) {
        this.input = input;
        this.output = output;
    }

    /** Clamps {@code input} (still connected to its graph) into a fresh leaf that collects the downstream gradient. */
    public static ClampWithGrad of(NDArray input, float lo, float hi) {
        NDArray out = input.stopGradient().clip(lo, hi);
        out.setRequiresGradient(true);
        return new ClampWithGrad(input, out);
    }

    /** The clamped value; compute the downstream loss from this. */
    @Override
    public NDArray output() {
        return output;
    }

    /** The pre-clamp value, still attached to the upstream graph. */
    public NDArray input() {
        return input;
    }

    /**
     * After the downstream loss was back-propagated into {@link #output()}: a scalar whose backward carries the
     * reference's masked gradient into the upstream graph.
     */
    @Override
    public NDArray upstreamSurrogate() {
        return input.mul(maskedGradient()).sum();
    }

    /** The reference's gradient with respect to the pre-clamp input, {@code g · [g·(x − clamp(x)) ≥ 0]} (detached). */
    public NDArray maskedGradient() {
        NDArray g = output.getGradient();
        NDArray outside = input.stopGradient().sub(output.stopGradient());           // x − clamp(x)
        NDArray keep = g.mul(outside).gte(0).toType(DataType.FLOAT32, false);
        return g.mul(keep);
    }
}
