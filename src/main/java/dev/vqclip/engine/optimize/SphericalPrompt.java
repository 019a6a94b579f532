package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * One prompt's loss, after the {@code Prompt} module of K. Crowson's VQGAN+CLIP notebook: the spherical distance
 * {@code d = 2·arcsin(|x̂ − ê| / 2)²} (= θ²/2) between every L2-normalised image embedding and every target row,
 * multiplied by sign(weight), averaged and scaled by |weight|. The stop applies to the gradient only: an entry
 * whose signed distance is at or below {@code stop} gets none (the reference's
 * {@code replace_grad(d, max(d, stop))}).
 */
public final class SphericalPrompt {
    private final NDArray target;   // [M, D], L2-normalised
    private final double weight;
    private final double stop;

    /**
     * @param embeds target embeddings {@code [M, D]} (not necessarily normalised); copied into {@code owner}
     */
    public SphericalPrompt(NDArray embeds, double weight, double stop, NDManager owner) {
        if (embeds.getShape().dimension() != 2) {
            throw new IllegalArgumentException("prompt embeddings must be [M, D], got " + embeds.getShape());
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("prompt weight must be finite, got " + weight);
        }
        if (Double.isNaN(stop) || stop == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("prompt stop must be a number or -inf, got " + stop);
        }
        try (NDScope scope = new NDScope()) {
            this.target = Keep.in(owner, embeds.normalize(2, 1, 1e-12).expandDims(0));   // [1, M, D]
        }
        this.weight = weight;
        this.stop = stop;
    }

    public double weight() {
        return weight;
    }

    public double stop() {
        return stop;
    }

    /** {@code imageEmbeds [N, D]} to the scalar prompt loss. */
    public NDArray loss(NDArray imageEmbeds) {
        return Scalars.mul(distances(imageEmbeds).mean(), Math.abs(weight));
    }

    /** sign(w) · spherical distance of every row to every target, with the stop on the gradient; [N, M]. */
    private NDArray distances(NDArray imageEmbeds) {
        NDArray x = imageEmbeds.normalize(2, 1, 1e-12).expandDims(1);                 // [N, 1, D]
        NDArray half = Scalars.mul(x.sub(target).norm(new int[] {2}), 0.5);       // |x̂ − ê| / 2, [N, M]
        NDArray d = Scalars.mul(half.asin().square(), 2 * Math.signum(weight));    // sign(w)·2·arcsin(·)²
        return stop == Double.NEGATIVE_INFINITY ? d : ReplaceGrad.of(d, Scalars.maximum(d, stop));
    }

    /**
     * The loss when row i of {@code imageEmbeds} stands for {@code counts[i]} identical cutouts (null: one each):
     * the mean over all cutout×target pairs, each distinct row weighted by its multiplicity.
     */
    public NDArray loss(NDArray imageEmbeds, int[] counts) {
        if (counts == null) {
            return loss(imageEmbeds);
        }
        float[] share = rowShares(counts);
        return partialLoss(imageEmbeds, imageEmbeds.getManager().create(share, new Shape(share.length)));
    }

    /** Each row's share of the mean: {@code counts[i] / Σ counts}. */
    static float[] rowShares(int[] counts) {
        float[] share = new float[counts.length];
        double total = java.util.Arrays.stream(counts).sum();
        for (int i = 0; i < counts.length; i++) {
            share[i] = (float) (counts[i] / total);
        }
        return share;
    }

    /**
     * This prompt's loss restricted to some rows: {@code |w| · Σ_i rowShare[i] · mean_j d_ij}. Over rows whose shares
     * sum to 1 it is the whole loss, so the loss of all cutouts is the sum of the partial losses of any split of them
     * (the mean is linear); the loop uses that to run CLIP on a few cutouts at a time.
     */
    public NDArray partialLoss(NDArray imageEmbeds, NDArray rowShare) {
        if (rowShare.getShape().dimension() != 1 || rowShare.getShape().get(0) != imageEmbeds.getShape().get(0)) {
            throw new IllegalArgumentException("row shares " + rowShare.getShape() + " for " + imageEmbeds.getShape().get(0)
                    + " embeddings");
        }
        NDArray d = distances(imageEmbeds);                                              // [N, M]
        return Scalars.mul(d.mean(new int[] {1}).mul(rowShare).sum(), Math.abs(weight));
    }
}
