package dev.vqclip.engine.optimize;

import dev.vqclip.engine.vqgan.DecoderCheckpoint;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The VQGAN+CLIP drawer (K. Crowson's z+quantize method): the parameter is the latent z {@code [1, E, h, w]};
 * the image is {@code (decode(vector_quantize(z)) + 1) / 2}; after every step z is clamped per channel to the
 * codebook's range. Image sides are the latent sides times the decoder factor.
 */
public final class VqganDrawer implements Drawer {
    public static final String NAME = "vqgan";

    private final NDManager manager;
    private final LatentCodec codec;
    private final VectorQuantizer vq;
    private final NDArray z;

    private VqganDrawer(LatentCodec codec, NDManager manager, VectorQuantizer vq, NDArray z) {
        this.codec = codec;
        this.manager = manager;
        this.vq = vq;
        this.z = z;
        z.setRequiresGradient(true);
    }

    /** Starts from the given latent (copied). */
    public static VqganDrawer fromLatent(LatentCodec codec, NDArray z) {
        NDManager m = codec.codebook().getManager().newSubManager();
        VectorQuantizer vq = new VectorQuantizer(codec.codebook(), m);
        try (NDScope scope = new NDScope()) {
            return new VqganDrawer(codec, m, vq, Keep.in(m, contiguous(z)));
        }
    }

    /**
     * K. Crowson's default init: {@code (H/f)·(W/f)} codebook indices uniform in [0, n_embed) drawn from
     * {@code rng}, looked up as rows (the reference's one-hot matmul, as a gather). Sizes are floored to the factor.
     */
    public static VqganDrawer fromRandomCodes(LatentCodec codec, int width, int height, SplittableRandom rng) {
        int f = codec.factor();
        int tw = requireTokens(width, f, "width");
        int th = requireTokens(height, f, "height");
        long n = codec.codebook().getShape().get(0);
        long[] idx = new long[th * tw];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rng.nextLong(n);
        }
        NDManager m = codec.codebook().getManager().newSubManager();
        VectorQuantizer vq = new VectorQuantizer(codec.codebook(), m);
        try (NDScope scope = new NDScope()) {
            NDArray z = contiguous(vq.lookup(m.create(idx), th, tw));
            return new VqganDrawer(codec, m, vq, Keep.in(m, z));
        }
    }

    /**
     * Starts from a picture ({@link InitImages}: planar RGB {@code [3, h, w]} in [0, 1], already at the latent-aligned
     * size): {@code encode(2x − 1)} snapped to the nearest codebook rows, as the references' {@code model.encode}.
     */
    public static VqganDrawer fromPixels(LatentCodec codec, float[] rgb01, int width, int height) {
        int f = codec.factor();
        int tw = requireTokens(width, f, "width");
        int th = requireTokens(height, f, "height");
        if (tw * f != width || th * f != height || rgb01.length != 3 * width * height) {
            throw new IllegalArgumentException("init pixels must be [3, " + height + ", " + width
                    + "] with sides that are multiples of " + f + ", got " + rgb01.length + " values");
        }
        NDManager m = codec.codebook().getManager().newSubManager();
        VectorQuantizer vq = new VectorQuantizer(codec.codebook(), m);
        try (NDScope scope = new NDScope()) {
            NDArray img = m.create(rgb01, new Shape(1, 3, height, width)).mul(2f).sub(1f);
            NDArray pre = codec.encode(img);
            NDArray z = contiguous(vq.lookup(vq.indices(pre), th, tw));
            return new VqganDrawer(codec, m, vq, Keep.in(m, z));
        }
    }

    /** A fresh row-major copy (the lookup is a channels-last view), so z and its gradient share one layout. */
    private static NDArray contiguous(NDArray z) {
        return z.flatten().reshape(z.getShape());
    }

    private static int requireTokens(int side, int factor, String what) {
        int t = side / factor;
        if (t < 1) {
            throw new IllegalArgumentException(what + " " + side + " is smaller than the VQGAN factor " + factor);
        }
        return t;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int width() {
        return Math.toIntExact(z.getShape().get(3)) * codec.factor();
    }

    @Override
    public int height() {
        return Math.toIntExact(z.getShape().get(2)) * codec.factor();
    }

    @Override
    public NDArray parameters() {
        return z;
    }

    @Override
    public NDArray render() {
        return image(vq.quantize(z));
    }

    /** {@link #render()} through the codec's checkpointed decode. */
    @Override
    public Rendering renderCheckpointed(DecoderCheckpoint which) {
        return imageCheckpointed(vq.quantize(z), which);
    }

    /** {@code (decode(zq) + 1) / 2}: the decoder's [-1, 1] to pixels in [0, 1]. */
    private NDArray image(NDArray zq) {
        return Scalars.mul(codec.decode(zq).add(1f), 0.5);
    }

    /** {@link #image} through the codec's checkpointed decode. */
    private Rendering imageCheckpointed(NDArray zq, DecoderCheckpoint which) {
        Rendering decoded = codec.decodeCheckpointed(zq, which);
        NDArray image = Scalars.mul(decoded.image().add(1f), 0.5);
        return Rendering.of(image, (gc, g) -> decoded.surrogate(gc, Scalars.mul(g, 0.5)));
    }

    /**
     * The images of several drawers on the same codec and latent size in one pass, {@code [B, 3, H, W]}: the latents
     * stacked on dim 0, quantised and decoded once. Every op is per sample, so row b is drawer b's {@link #render()}.
     */
    static NDArray renderStacked(List<VqganDrawer> drawers) {
        return drawers.get(0).image(quantizedStack(drawers));
    }

    /** {@link #renderStacked} through the codec's checkpointed decode: still one decoder pass for all drawers. */
    static Rendering renderStackedCheckpointed(List<VqganDrawer> drawers, DecoderCheckpoint which) {
        return drawers.get(0).imageCheckpointed(quantizedStack(drawers), which);
    }

    /** The drawers' latents stacked on dim 0 and quantised, {@code [B, E, h, w]}; one codec and size required. */
    private static NDArray quantizedStack(List<VqganDrawer> drawers) {
        VqganDrawer first = drawers.get(0);
        NDList latents = new NDList(drawers.size());
        for (VqganDrawer d : drawers) {
            if (!d.codec.equals(first.codec) || !d.z.getShape().equals(first.z.getShape())) {
                throw new IllegalArgumentException("stacked vqgan drawers need one codec and one latent size, got "
                        + first.z.getShape() + " and " + d.z.getShape());
            }
            latents.add(d.z);
        }
        return first.vq.quantize(NDArrays.concat(latents, 0));                     // [B, E, h, w]
    }

    @Override
    public void afterStep() {
        vq.clampInPlace(z);
    }

    /** The codebook index at each latent position, (b, h, w) order, on the host. */
    public long[] indices() {
        try (NDScope scope = new NDScope()) {
            return vq.indices(z).toLongArray();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
