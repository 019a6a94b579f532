package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/** CLIP's input normalisation, {@code (x − mean) / std} per RGB channel (openai/CLIP {@code clip.py _transform}). */
final class ClipNormalization {
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private final NDArray mean;
    private final NDArray std;

    ClipNormalization(NDManager owner) {
        try (NDScope scope = new NDScope()) {
            mean = Keep.in(owner, owner.create(MEAN, new Shape(1, 3, 1, 1)));
            std = Keep.in(owner, owner.create(STD, new Shape(1, 3, 1, 1)));
        }
    }

    NDArray apply(NDArray pixels) {
        return pixels.sub(mean).div(std);
    }
}
