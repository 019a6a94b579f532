package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Ops;

/**
 * The loop's vector quantisation, after {@code vector_quantize} in K. Crowson's notebook (kept in nerdyrodent's
 * generate.py): the nearest codebook row by squared distance (the search the model's quantizer uses,
 * {@link Ops#nearestRows}), the codebook row picked by a gather (not the reference's one-hot matmul, which costs as
 * much as the distances), and a straight-through gradient to z. Also holds the per-channel codebook range z is
 * clamped to after each step.
 *
 * <p>Its arrays belong to the manager given at construction (one that outlives the optimisation).
 */
final class VectorQuantizer {
    private static final NDIndex ALL = new NDIndex(":");

    private final NDArray codebook;    // [n, E]
    private final NDArray minusTwoCodebookT;   // [E, n]
    private final NDArray codebookSq;  // [n]
    private final NDArray zMin;        // [1, E, 1, 1]
    private final NDArray zMax;        // [1, E, 1, 1]
    private final int embedDim;

    public VectorQuantizer(NDArray codebook, NDManager owner) {
        Shape s = codebook.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("codebook must be [n_embed, embed_dim], got " + s);
        }
        this.embedDim = Math.toIntExact(s.get(1));
        try (NDScope scope = new NDScope()) {
            this.codebook = Keep.in(owner, codebook.duplicate());
            this.minusTwoCodebookT = Keep.in(owner, this.codebook.transpose().mul(-2f));
            this.codebookSq = Keep.in(owner, this.codebook.square().sum(new int[] {1}));
            this.zMin = Keep.in(owner, this.codebook.min(new int[] {0}).reshape(1, embedDim, 1, 1));
            this.zMax = Keep.in(owner, this.codebook.max(new int[] {0}).reshape(1, embedDim, 1, 1));
        }
    }

    public int embedDim() {
        return embedDim;
    }

    public NDArray codebook() {
        return codebook;
    }

    /** Nearest codebook row for every position of {@code z [B, E, h, w]}: int64 {@code [B·h·w]} in (b, h, w) order. */
    public NDArray indices(NDArray z) {
        NDArray x = z.stopGradient().transpose(0, 2, 3, 1).reshape(-1, embedDim);   // [N, E]
        return Ops.nearestRows(x, minusTwoCodebookT, codebookSq);
    }

    /** The codebook rows of {@code indices} ({@code [B·h·w]}), laid out as latents {@code [B, E, h, w]}. */
    public NDArray lookup(NDArray indices, int h, int w) {
        return codebook.get(new NDIndex("{}", indices)).reshape(-1, h, w, embedDim).transpose(0, 3, 1, 2);
    }

    /** Forward: exactly the nearest codebook rows. Backward: the gradient goes to z unchanged. */
    public NDArray quantize(NDArray z) {
        Shape s = z.getShape();
        NDArray zq = lookup(indices(z), Math.toIntExact(s.get(2)), Math.toIntExact(s.get(3)));
        return ReplaceGrad.of(zq, z);
    }

    /**
     * z ← min(max(z, zMin), zMax) per channel, in place on the device (the reference does this after every step).
     * Not {@code copyTo}: in DJL that goes through a host buffer which the tensor then points at.
     */
    public void clampInPlace(NDArray z) {
        try (NDScope scope = new NDScope()) {
            z.set(ALL, z.maximum(zMin).minimum(zMax));
        }
    }

    /** Per-channel minimum of the codebook, {@code [1, E, 1, 1]}. */
    public NDArray zMin() {
        return zMin;
    }

    /** Per-channel maximum of the codebook, {@code [1, E, 1, 1]}. */
    public NDArray zMax() {
        return zMax;
    }
}
