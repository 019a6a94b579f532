package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/** CLIP's image tower as the loop sees it: normalised pixels {@code [N, 3, R, R]} to embeddings {@code [N, D]}. */
@FunctionalInterface
public interface ImageEncoder {
    NDArray encodeImage(NDArray normalizedPixels);
}
