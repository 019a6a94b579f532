package dev.vqclip.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Ops;

/**
 * CLIP's input normalisation {@code (x - mean[c]) / std[c]} on RGB in [0, 1] (openai/CLIP {@code clip.py}
 * {@code _transform}; the same constants as K. Crowson's VQGAN+CLIP notebook {@code normalize}).
 */
public final class ClipNormalize {
    /** Per-channel mean, R G B. */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** Per-channel standard deviation, R G B. */
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private ClipNormalize() {
    }

    /** [N, 3, H, W] in [0, 1] -> normalised [N, 3, H, W]; differentiable, result in the input's manager. */
    public static NDArray apply(NDArray pixels01) {
        long[] s = pixels01.getShape().getShape();
        if (s.length != 4 || s[1] != 3) {
            throw new IllegalArgumentException("CLIP normalisation needs [N, 3, H, W] but got " + pixels01.getShape());
        }
        Shape perChannel = new Shape(3, 1, 1);
        // constants own their memory: the division saves std for backward after they are closed here
        try (NDArray mean32 = Ops.constant(pixels01.getManager(), MEAN, perChannel);
             NDArray std32 = Ops.constant(pixels01.getManager(), STD, perChannel);
             NDArray mean = mean32.toType(pixels01.getDataType(), true);
             NDArray std = std32.toType(pixels01.getDataType(), true);
             NDArray centred = pixels01.sub(mean)) {
            return centred.div(std);
        }
    }
}
