package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/** Turns the current image into the batch of views CLIP scores. */
public interface Cutouts {

    /** {@code image} {@code [1, 3, H, W]} in [0, 1] to cutouts {@code [cutn, 3, R, R]}, differentiably. */
    NDArray apply(NDArray image);

    /** Whether the reference passes this variant's output through {@code clamp_with_grad(·, 0, 1)}. */
    boolean clampsOutput();

    /** CLIP's input side R. */
    int cutSize();
}
