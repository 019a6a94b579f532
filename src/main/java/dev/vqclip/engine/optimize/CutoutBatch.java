package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/**
 * Cutouts for CLIP: {@code pixels [n, 3, R, R]} holds each distinct cutout once, and {@code counts[i]} says how
 * many of the requested cutouts it stands for (null: each once). Identical cutouts have identical embeddings, so
 * scoring each once with its multiplicity gives exactly the loss and gradient of scoring every copy; the
 * reference's "original" crops of an image no larger than CLIP's input are all the same whole image.
 */
public record CutoutBatch(NDArray pixels, int[] counts) {
    public CutoutBatch {
        if (counts != null && counts.length != pixels.getShape().get(0)) {
            throw new IllegalArgumentException(counts.length + " counts for " + pixels.getShape().get(0) + " cutouts");
        }
        counts = counts == null ? null : counts.clone();
    }

    /** Every cutout distinct. */
    public static CutoutBatch of(NDArray pixels) {
        return new CutoutBatch(pixels, null);
    }

    @Override
    public int[] counts() {
        return counts == null ? null : counts.clone();
    }

    /** How many cutouts the batch stands for. */
    public int total() {
        if (counts == null) {
            return Math.toIntExact(pixels.getShape().get(0));
        }
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }
}
