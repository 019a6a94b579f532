package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class ClampWithGradTest {

    /** upstream x = t² (so the chain rule matters), downstream loss = Σ w·(clamp(x) − 0.2)². */
    private static float[] gradientThroughClamp(float[] t0, float[] w, boolean exact) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = m.create(t0);
            t.setRequiresGradient(true);
            NDArray weights = m.create(w);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = t.square();
                if (exact) {
                    ClampWithGrad c = ClampWithGrad.of(x, 0f, 1f);
                    gc.backward(c.output().sub(0.2f).square().mul(weights).sum());
                    gc.backward(c.upstreamSurrogate());
                } else {
                    gc.backward(x.clip(0f, 1f).sub(0.2f).square().mul(weights).sum());
                }
            }
            return t.getGradient().toFloatArray();
        }
    }

    @Test
    void keepsTheGradientOnlyWhereItPointsBackIntoTheRange() {
        // x = t²: 0.09 (inside), 1.44 (above), 1.21 (above), 0.25 (inside)
        float[] t = {0.3f, 1.2f, 1.1f, -0.5f};
        float[] w = {1f, 1f, -1f, -1f};
        float[] got = gradientThroughClamp(t, w, true);
        // expected from the reference rule: g_y = 2w(y − 0.2); keep where g_y·(x − clamp(x)) ≥ 0; then · dx/dt = 2t
        float[] expected = new float[4];
        for (int i = 0; i < 4; i++) {
            double x = (double) t[i] * t[i];
            double y = Math.min(Math.max(x, 0), 1);
            double gy = 2 * w[i] * (y - 0.2);
            double keep = gy * (x - y) >= 0 ? 1 : 0;
            expected[i] = (float) (gy * keep * 2 * t[i]);
        }
        assertArrayEquals(expected, got, 1e-6f);
        // index 1: saturated above with g > 0 -> kept (1.6·2.4 = 3.84); index 2: g < 0 -> dropped
        assertArrayEquals(new float[] {3.84f, 0f}, new float[] {got[1], got[2]}, 1e-5f);
    }

    @Test
    void differsFromAPlainClampWhereSaturationMatters() {
        float[] t = {0.3f, 1.2f, 1.1f, -0.5f};
        float[] w = {1f, 1f, -1f, -1f};
        float[] plain = gradientThroughClamp(t, w, false);
        // torch's plain clamp zeroes every saturated entry; clamp_with_grad keeps index 1
        assertArrayEquals(new float[] {0f, 0f}, new float[] {plain[1], plain[2]}, 0f);
        float[] exact = gradientThroughClamp(t, w, true);
        assertArrayEquals(new float[] {plain[0], plain[3]}, new float[] {exact[0], exact[3]}, 1e-6f);
    }
}
