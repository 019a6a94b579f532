package dev.vqclip.engine.nn;

import java.util.Map;

/**
 * Upstream-named weights as a checkpoint reader holds them: all that {@link Params} needs from a file, so the layers
 * and the models built on them never depend on how checkpoints are stored.
 */
public interface NamedWeights {
    /**
     * Throws, naming every missing or unexpected key and every wrong shape, unless the keys and shapes are exactly
     * {@code shapes}; called before any value is read.
     */
    void requireExactly(Map<String, long[]> shapes);

    /** The tensor under {@code key} as float32 values in row-major order. */
    float[] floats(String key);
}
