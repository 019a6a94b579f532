package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.nn.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Turns the current image into the batch of views CLIP scores. */
public interface Cutouts {

    /** {@code image} {@code [1, 3, H, W]} in [0, 1] to cutouts {@code [n, 3, R, R]}, differentiably. */
    CutoutBatch apply(NDArray image);

    /**
     * {@code cutouts.apply(image)} with every intermediate freed on return, so that only the cutouts and what autograd
     * saved for their backward stay alive through the rest of the step: the augmentations' gathers alone make a few
     * hundred MiB of temporaries at 256x256 with 32 cutouts.
     */
    static CutoutBatch applyScoped(Cutouts cutouts, NDArray image) {
        int[][] counts = new int[1][];
        NDArray pixels = Ops.scoped(image.getManager(), () -> {
            CutoutBatch batch = cutouts.apply(image);
            counts[0] = batch.counts();
            return batch.pixels();
        });
        return new CutoutBatch(pixels, counts[0]);
    }

    /** Whether the reference passes this variant's output through {@code clamp_with_grad(·, 0, 1)}. */
    boolean clampsOutput();

    /** CLIP's input side R. */
    int cutSize();

    /** The cut methods {@link #of} knows, by their generate.py names. */
    List<String> METHODS = List.of("original", "latest");

    /**
     * The cutouts of generate.py's {@code --cut_method}: "original" ({@link CutoutsOriginal#random}) or "latest"
     * ({@link CutoutsPooled} with the default augmentations and noise 0.1). {@code rng} draws every random choice.
     */
    static Cutouts of(String method, int cutSize, int cutn, double cutPow, SplittableRandom rng) {
        String m = method == null ? "" : method.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "original" -> CutoutsOriginal.random(cutSize, cutn, cutPow, rng);
            case "latest" -> new CutoutsPooled(cutSize, cutn, Augmentation.DEFAULTS, CutoutsPooled.DEFAULT_NOISE, rng);
            default -> throw new IllegalArgumentException("unknown cut method '" + method + "': expected one of " + METHODS);
        };
    }

    /**
     * The same square crops on every call, each {@code {size, x, y}}: "original" cutouts with the reference's
     * random draws replayed, so a parity fixture can pin every pixel.
     */
    static Cutouts fixedCrops(int cutSize, List<int[]> crops) {
        List<Crop> fixed = new ArrayList<>(crops.size());
        for (int[] c : crops) {
            if (c.length != 3) {
                throw new IllegalArgumentException("a fixed crop is {size, x, y}, got " + c.length + " numbers");
            }
            fixed.add(new Crop(c[0], c[1], c[2]));
        }
        return CutoutsOriginal.fixed(cutSize, fixed);
    }

    /** "latest" cutouts without augmentations or noise: the pooled image {@code cutn} times, nothing random. */
    static Cutouts pooledPlain(int cutSize, int cutn) {
        return new CutoutsPooled(cutSize, cutn, List.of(), 0, new SplittableRandom(0));
    }
}
