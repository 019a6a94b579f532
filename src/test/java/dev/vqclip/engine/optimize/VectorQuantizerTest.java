package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorQuantizerTest {

    private static float[] randn(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return out;
    }

    @Test
    void picksTheNearestRowExactlyAndPassesTheGradientStraightThrough() {
        int n = 10;
        int e = 4;
        int h = 2;
        int w = 3;
        float[] cb = randn(n * e, 1);
        float[] z = randn(e * h * w, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = new VectorQuantizer(m.create(cb, new Shape(n, e)), m);
            NDArray zz = m.create(z, new Shape(1, e, h, w));
            zz.setRequiresGradient(true);
            long[] idx = vq.indices(zz).toLongArray();
            float[] q;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray zq = vq.quantize(zz);
                q = zq.toFloatArray();
                gc.backward(zq.mul(m.arange(0f, e * h * w).reshape(1, e, h, w)).sum());
            }
            for (int p = 0; p < h * w; p++) {
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int k = 0; k < n; k++) {
                    double d = 0;
                    for (int c = 0; c < e; c++) {
                        double diff = z[c * h * w + p] - cb[k * e + c];
                        d += diff * diff;
                    }
                    if (d < bestD) {
                        bestD = d;
                        best = k;
                    }
                }
                assertEquals(best, idx[p], "position " + p);
                for (int c = 0; c < e; c++) {
                    assertEquals(cb[best * e + c], q[c * h * w + p], 0f, "forward value is the exact codebook entry");
                }
            }
            assertArrayEquals(m.arange(0f, e * h * w).toFloatArray(), zz.getGradient().toFloatArray(), 0f);
        }
    }

    @Test
    void clampsEachChannelToTheCodebookRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = new VectorQuantizer(m.create(new float[] {0, -1, 2, 3}, new Shape(2, 2)), m);
            NDArray z = m.create(new float[] {-5, 1, 5, 0, 4, 2}, new Shape(1, 2, 1, 3));
            vq.clampInPlace(z);
            assertArrayEquals(new float[] {0, 1, 2, 0, 3, 2}, z.toFloatArray(), 0f);
        }
    }
}
