package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void oneStepFromTheFixtureGradientMatchesTorchAdamAndTheClamp() {
        for (LoopFixture f : new LoopFixture[] {LoopFixture.crops(), LoopFixture.pool()}) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray z = f.array(m, "z0");
                try (Adam adam = new Adam(z, AdamSettings.named("adam", 0.1))) {
                    adam.step(z, f.array(m, "grad_z"));
                }
                double err = LoopFixture.maxAbsDiff(z.toFloatArray(), f.floats("z1_before_clamp"));
                assertTrue(err < 5e-5, "z1_before_clamp error " + err);
                NDArray clamped = z.maximum(f.array(m, "z_min")).minimum(f.array(m, "z_max"));
                double err1 = LoopFixture.maxAbsDiff(clamped.toFloatArray(), f.floats("z1"));
                assertTrue(err1 < 5e-5, "z1 error " + err1);
            }
        }
    }

    @Test
    void followsTorchArithmeticOverSeveralStepsWithL2AndDecoupledDecay() {
        float[] grads = {0.5f, -0.2f, 0.05f};
        for (boolean decoupled : new boolean[] {false, true}) {
            AdamSettings s = new AdamSettings(0.1, 0.9, 0.999, 1e-8, 0.01, decoupled);
            double p = 1.0;
            double mm = 0;
            double vv = 0;
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray param = m.create(new float[] {1f});
                try (Adam adam = new Adam(param, s)) {
                    for (int t = 1; t <= grads.length; t++) {
                        double g = grads[t - 1];
                        if (decoupled) {
                            p *= 1 - 0.1 * 0.01;
                        } else {
                            g += 0.01 * p;
                        }
                        mm = 0.9 * mm + 0.1 * g;
                        vv = 0.999 * vv + 0.001 * g * g;
                        double denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                        p -= 0.1 / (1 - Math.pow(0.9, t)) * mm / denom;
                        adam.step(param, m.create(new float[] {grads[t - 1]}));
                        assertEquals(p, param.getFloat(), 1e-6, "step " + t + (decoupled ? " adamw" : " adam"));
                    }
                }
            }
        }
    }

    @Test
    void rejectsUnknownOptimizerNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdamSettings.named("sgd", 0.1));
        assertTrue(e.getMessage().contains("sgd"));
    }
}
