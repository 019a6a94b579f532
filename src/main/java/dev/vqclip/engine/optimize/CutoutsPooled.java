package dev.vqclip.engine.optimize;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.vqclip.engine.nn.Ops;
import java.util.List;
import java.util.SplittableRandom;

/**
 * nerdyrodent's default "latest" cutouts (from the July 2021 pooling notebook): every cutout is the whole image
 * reduced to R×R as {@code (adaptive_avg_pool + adaptive_max_pool) / 2}, then augmented per cutout, then
 * {@code f·N(0,1)} noise with f ~ U[0, noise_fac] per cutout. The pooling runs once and the augmentations fan it
 * out to {@code cutn}; no clamp afterwards (as the reference).
 *
 * <p>Every random choice comes from the seeded host generator: the augmentation parameters directly, and the noise
 * pixels from the engine's generator reseeded from it on every call. So a job's cutouts depend on its own stream
 * only, also when several jobs share one optimizer pass ({@link LatentOptimizer}) and draw in turn.
 */
final class CutoutsPooled implements Cutouts {
    /** nerdyrodent's noise_fac. */
    public static final double DEFAULT_NOISE = 0.1;

    private final int cutSize;
    private final int cutn;
    private final double noiseFac;
    private final Augmenter augmenter;
    private final SplittableRandom rng;

    public CutoutsPooled(int cutSize, int cutn, List<Augmentation> augmentations, double noiseFac, SplittableRandom rng) {
        if (cutSize < 1 || cutn < 1) {
            throw new IllegalArgumentException("cut size and cutn must be >= 1, got " + cutSize + " and " + cutn);
        }
        if (!(noiseFac >= 0) || Double.isInfinite(noiseFac)) {
            throw new IllegalArgumentException("noise factor must be a number >= 0, got " + noiseFac);
        }
        this.cutSize = cutSize;
        this.cutn = cutn;
        this.noiseFac = noiseFac;
        this.augmenter = new Augmenter(augmentations, rng);
        this.rng = rng;
    }

    /** The pooled whole image {@code [1, 3, R, R]}: PyTorch's adaptive windows [floor(i·in/R), ceil((i+1)·in/R)). */
    NDArray pool(NDArray image) {
        Shape target = new Shape(cutSize, cutSize);
        NDArray avg = JniUtils.adaptiveAvgPool((PtNDArray) image, target);
        NDArray max = JniUtils.adaptiveMaxPool((PtNDArray) image, target);
        return Scalars.mul(avg.add(max), 0.5);
    }

    @Override
    public CutoutBatch apply(NDArray image) {
        NDArray batch = augmenter.apply(pool(image), cutn);                     // [cutn, 3, R, R]
        if (noiseFac == 0) {
            return CutoutBatch.of(batch);
        }
        float[] facs = new float[cutn];
        for (int n = 0; n < cutn; n++) {
            facs[n] = (float) (rng.nextDouble() * noiseFac);
        }
        Engine.getInstance().setRandomSeed(rng.nextInt());
        NDArray noise = batch.getManager().randomNormal(0f, 1f, batch.getShape(), DataType.FLOAT32);
        return CutoutBatch.of(batch.add(noise.mul(Ops.constant(batch.getManager(), facs, new Shape(cutn, 1, 1, 1)))));
    }

    @Override
    public boolean clampsOutput() {
        return false;
    }

    @Override
    public int cutSize() {
        return cutSize;
    }
}
