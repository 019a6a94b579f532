package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/** The optimizer's one probe seam: looks at a step's intermediate tensors (parity checks, benchmarks); the arrays are only valid during the call. */
public interface StepProbe {
    StepProbe NONE = new StepProbe() { };

    /** The clamped images {@code [B, 3, H, W]}. */
    default void synth(NDArray image) {
    }

    /** The cutouts CLIP sees, before normalisation. */
    default void cutouts(NDArray cutouts) {
    }

    /** After CLIP's forward pass over one group of cutouts (timing). */
    default void clipForward() {
    }

    /** After the prompt losses of one group of cutouts were back-propagated into the cutouts (timing). */
    default void clipBackward() {
    }

    /** All image embeddings of the step, {@code [n, D]} (detached). */
    default void imageEmbeds(NDArray embeds) {
    }

    /** The gradient of the total loss with respect to the parameters. */
    default void gradient(NDArray grad) {
    }

    /** The parameters after the optimizer update, before the drawer's clamp. */
    default void updated(NDArray params) {
    }
}
