package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CutoutsOriginalTest {

    @Test
    void fixedCropsReproduceTheReferenceResampleOfTheCropsFixture() {
        LoopFixture f = LoopFixture.crops();
        long[] c = f.longs("crops");
        List<Crop> crops = new ArrayList<>();
        for (int i = 0; i < c.length; i += 3) {
            crops.add(new Crop((int) c[i], (int) c[i + 1], (int) c[i + 2]));
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray synth = f.array(m, "synth_out");
            NDArray cut = CutoutsOriginal.fixed(32, crops).apply(synth).pixels();
            assertEquals(new ai.djl.ndarray.types.Shape(6, 3, 32, 32), cut.getShape());
            // the fixture clamps after the resample
            double err = LoopFixture.maxAbsDiff(cut.clip(0, 1).toFloatArray(), f.floats("cutouts"));
            assertTrue(err < 5e-5, "max abs error " + err);
        }
    }

    @Test
    void cropsSmallerThanTheCutSizeAreUpsampledLikeTheReference() {
        // a crop of 20 px upsampled to 32: bicubic only; compare with the 1-D matrices applied on the host
        try (NDManager m = NDManager.newBaseManager()) {
            float[] px = new float[3 * 24 * 28];
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < px.length; i++) {
                px[i] = (float) r.nextDouble();
            }
            NDArray img = m.create(px, new ai.djl.ndarray.types.Shape(1, 3, 24, 28));
            float[] got = CutoutsOriginal.fixed(32, List.of(new Crop(20, 5, 3))).apply(img).pixels().toFloatArray();
            float[] w = Resample.matrix(20, 32);
            float[] want = new float[3 * 32 * 32];
            for (int ch = 0; ch < 3; ch++) {
                for (int oy = 0; oy < 32; oy++) {
                    for (int ox = 0; ox < 32; ox++) {
                        double s = 0;
                        for (int iy = 0; iy < 20; iy++) {
                            for (int ix = 0; ix < 20; ix++) {
                                s += w[oy * 20 + iy] * w[ox * 20 + ix] * px[(ch * 24 + 3 + iy) * 28 + 5 + ix];
                            }
                        }
                        want[(ch * 32 + oy) * 32 + ox] = (float) s;
                    }
                }
            }
            assertTrue(LoopFixture.maxAbsDiff(got, want) < 1e-5);
        }
    }

    @Test
    void anIdentitySizedCropIsCopiedUnchanged() {
        float[] id = Resample.matrix(32, 32);
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                assertEquals(i == j ? 1f : 0f, id[i * 32 + j], 0f);
            }
        }
    }

    @Test
    void lanczosKernelSumsToOneAndIsSymmetric() {
        float[] k = Resample.lanczosKernel(32.0 / 40);
        assertEquals(5, k.length);
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            sum += k[i];
            assertEquals(k[i], k[k.length - 1 - i], 1e-7);
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void randomCropsFollowTheReferenceSizeRuleAndAreReproducible() {
        List<Crop> a = CutoutsOriginal.randomCrops(32, 50, 1.0, new SplittableRandom(9), 48, 40);
        List<Crop> b = CutoutsOriginal.randomCrops(32, 50, 1.0, new SplittableRandom(9), 48, 40);
        assertEquals(a, b);
        for (Crop c : a) {
            assertTrue(c.size() >= 32 && c.size() <= 40, "size " + c.size());
            assertTrue(c.x() + c.size() <= 48 && c.y() + c.size() <= 40);
        }
        // cut_pow > 1 favours small crops
        double meanPow1 = a.stream().mapToInt(Crop::size).average().orElseThrow();
        double meanPow4 = CutoutsOriginal.randomCrops(32, 50, 4.0, new SplittableRandom(9), 48, 40).stream()
                .mapToInt(Crop::size).average().orElseThrow();
        assertTrue(meanPow4 < meanPow1);
        // a small image: every crop is the whole short side
        assertArrayEquals(new int[] {16, 16}, CutoutsOriginal.randomCrops(32, 2, 1.0, new SplittableRandom(1), 16, 20)
                .stream().mapToInt(Crop::size).toArray());
    }

    @Test
    void identicalCropsAreResampledOnceWithTheirMultiplicity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = m.create(new float[3 * 20 * 24], new ai.djl.ndarray.types.Shape(1, 3, 20, 24));
            CutoutBatch b = CutoutsOriginal.fixed(32, List.of(new Crop(16, 0, 0), new Crop(12, 2, 3), new Crop(16, 0, 0)))
                    .apply(img);
            assertEquals(2, b.pixels().getShape().get(0));
            assertArrayEquals(new int[] {2, 1}, b.counts());
            assertEquals(3, b.total());
            // an image no larger than the cut size: every random crop is the whole short side at offset 0 on it
            CutoutBatch all = CutoutsOriginal.random(32, 16, 1.0, new SplittableRandom(1)).apply(
                    m.create(new float[3 * 20 * 20], new ai.djl.ndarray.types.Shape(1, 3, 20, 20)));
            assertArrayEquals(new int[] {16}, all.counts());
        }
    }
}
