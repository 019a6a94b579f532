package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutoutsPooledTest {

    private static NDArray randomImage(NDManager m, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[3 * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextDouble();
        }
        return m.create(px, new Shape(1, 3, h, w));
    }

    @Test
    void withoutAugmentationsOrNoiseMatchesThePoolFixture() {
        LoopFixture f = LoopFixture.pool();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray cut = new CutoutsPooled(32, 6, List.of(), 0, new SplittableRandom(0)).apply(f.array(m, "synth_out")).pixels();
            assertEquals(new Shape(6, 3, 32, 32), cut.getShape());
            double err = LoopFixture.maxAbsDiff(cut.toFloatArray(), f.floats("cutouts"));
            assertTrue(err < 5e-5, "max abs error " + err);
        }
    }

    @Test
    void aScopedApplyLeavesOnlyTheCutoutsOpenAndGivesTheSameCutoutsAndGradient() {
        Augmentation[] all = Augmentation.values();
        float[][] pixels = new float[2][];
        float[][] grads = new float[2][];
        int[] opened = new int[2];
        for (int scoped = 0; scoped < 2; scoped++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray img = randomImage(m, 40, 48, 1);
                img.setRequiresGradient(true);
                NDArray weights = randomImage(m, 32 * 4, 32, 2).reshape(4, 3, 32, 32);
                CutoutsPooled c = new CutoutsPooled(32, 4, List.of(all), 0.1, new SplittableRandom(5));
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    int before = m.getManagedArrays().size();
                    NDArray cut = scoped == 1 ? Cutouts.applyScoped(c, img).pixels() : c.apply(img).pixels();
                    opened[scoped] = m.getManagedArrays().size() - before;
                    pixels[scoped] = cut.toFloatArray();
                    gc.backward(cut.mul(weights).sum());
                }
                grads[scoped] = img.getGradient().toFloatArray();
            }
        }
        assertEquals(1, opened[1], "the scoped apply leaves the cutouts alone open");
        assertTrue(opened[0] > 20, "the plain apply leaves its intermediates open: " + opened[0]);
        assertArrayEquals(pixels[0], pixels[1], 0f);
        assertArrayEquals(grads[0], grads[1], 0f);
    }

    @Test
    void augmentedCutoutsHaveTheRightShapeStayInRangeAndCarryGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = randomImage(m, 40, 48, 1);
            img.setRequiresGradient(true);
            CutoutsPooled c = new CutoutsPooled(32, 8, Augmentation.DEFAULTS, 0, new SplittableRandom(5));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray cut = c.apply(img).pixels();
                assertEquals(new Shape(8, 3, 32, 32), cut.getShape());
                float[] v = cut.toFloatArray();
                for (float x : v) {
                    assertTrue(x >= 0f && x <= 1f, "value " + x);
                }
                // cutouts differ from each other (per-cutout parameters)
                assertFalse(cut.get("0").contentEquals(cut.get("1")) && cut.get("1").contentEquals(cut.get("2")));
                gc.backward(cut.sum());
            }
            assertTrue(img.getGradient().abs().sum().getFloat() > 0);
        }
    }

    @Test
    void sameSeedsGiveTheSameCutoutsIncludingNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = randomImage(m, 40, 48, 2);
            List<Augmentation> all = List.of(Augmentation.values());
            Engine.getInstance().setRandomSeed(11);
            float[] a = new CutoutsPooled(32, 4, all, 0.1, new SplittableRandom(7)).apply(img).pixels().toFloatArray();
            Engine.getInstance().setRandomSeed(11);
            float[] b = new CutoutsPooled(32, 4, all, 0.1, new SplittableRandom(7)).apply(img).pixels().toFloatArray();
            assertArrayEquals(a, b, 0f);
            Engine.getInstance().setRandomSeed(11);
            float[] c = new CutoutsPooled(32, 4, all, 0.1, new SplittableRandom(8)).apply(img).pixels().toFloatArray();
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }

    @Test
    void warpWithIdentityCopiesAndWithAMirrorFlips() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = randomImage(m, 5, 5, 3);
            NDArray same = Augmenter.warp(img, List.of(Homography.identity()), 5);
            assertArrayEquals(img.toFloatArray(), same.toFloatArray(), 1e-6f);
            NDArray flipped = Augmenter.warp(img, List.of(new double[] {-1, 0, 4, 0, 1, 0, 0, 0, 1}), 5);
            assertArrayEquals(img.flip(3).toFloatArray(), flipped.toFloatArray(), 1e-6f);
            // half a pixel to the right: the mean of neighbours, zero beyond the border
            NDArray shifted = Augmenter.warp(img, List.of(new double[] {1, 0, 0.5, 0, 1, 0, 0, 0, 1}), 5);
            float[] src = img.toFloatArray();
            float[] got = shifted.toFloatArray();
            assertEquals((src[0] + src[1]) / 2, got[0], 1e-6f);
            assertEquals(src[4] / 2, got[4], 1e-6f);
        }
    }

    @Test
    void unknownAugmentationCodesAreRejectedWithTheList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("Zz"));
        assertTrue(e.getMessage().contains("Zz") && e.getMessage().contains("Af"));
        assertEquals(Augmentation.PERSPECTIVE, Augmentation.parse("pe"));
    }
}
