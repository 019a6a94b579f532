package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class SphericalPromptTest {

    @Test
    void reproducesTheFixturePromptLossesAndTotal() {
        for (LoopFixture f : new LoopFixture[] {LoopFixture.crops(), LoopFixture.pool()}) {
            float[] weights = f.floats("prompt_weights");
            float[] expected = f.floats("prompt_losses");
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray images = f.array(m, "image_embeds");
                NDArray prompts = f.array(m, "prompt_embeds");
                double total = 0;
                for (int p = 0; p < weights.length; p++) {
                    SphericalPrompt prompt = new SphericalPrompt(prompts.get(new NDIndex("{}:{}", p, p + 1)),
                            weights[p], Double.NEGATIVE_INFINITY, m);
                    float got = prompt.loss(images).getFloat();
                    assertEquals(expected[p], got, 1e-5, "prompt " + p);
                    total += got;
                }
                assertEquals(f.floats("loss")[0], total, 1e-5);
            }
        }
    }

    @Test
    void isHalfTheSquaredAngle() {
        try (NDManager m = NDManager.newBaseManager()) {
            SphericalPrompt p = new SphericalPrompt(m.create(new float[] {1, 0}, new ai.djl.ndarray.types.Shape(1, 2)),
                    1, Double.NEGATIVE_INFINITY, m);
            float d = p.loss(m.create(new float[] {0, 3}, new ai.djl.ndarray.types.Shape(1, 2))).getFloat();
            assertEquals(Math.PI * Math.PI / 8, d, 1e-6);
        }
    }

    @Test
    void stopRemovesTheGradientOfEntriesAtOrBelowItButKeepsTheValue() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(new float[] {1, 0}, new ai.djl.ndarray.types.Shape(1, 2));
            // cutout 0 is close to the target (d small), cutout 1 far (d large)
            NDArray x = m.create(new float[] {1, 0.1f, 0, 1}, new ai.djl.ndarray.types.Shape(2, 2));
            x.setRequiresGradient(true);
            SphericalPrompt free = new SphericalPrompt(target, 2, Double.NEGATIVE_INFINITY, m);
            SphericalPrompt stopped = new SphericalPrompt(target, 2, 0.1, m);
            float freeLoss;
            float stoppedLoss;
            float[] freeGrad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = free.loss(x);
                freeLoss = l.getFloat();
                gc.backward(l);
            }
            freeGrad = x.getGradient().toFloatArray();
            x.getGradient().subi(x.getGradient());
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = stopped.loss(x);
                stoppedLoss = l.getFloat();
                gc.backward(l);
            }
            float[] stoppedGrad = x.getGradient().toFloatArray();
            assertEquals(freeLoss, stoppedLoss, 0f);
            assertTrue(Math.abs(freeGrad[1]) > 1e-3, "the near cutout pulls without a stop");
            assertArrayEquals(new float[] {0, 0}, new float[] {stoppedGrad[0], stoppedGrad[1]}, 0f);
            assertArrayEquals(new float[] {freeGrad[2], freeGrad[3]}, new float[] {stoppedGrad[2], stoppedGrad[3]}, 1e-7f);
        }
    }

    @Test
    void scoringDistinctRowsWithMultiplicitiesEqualsScoringEveryCopy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(ToyModels.uniform(2 * 4, 5, -1, 1), new ai.djl.ndarray.types.Shape(2, 4));
            SphericalPrompt p = new SphericalPrompt(target, -0.7, -0.9, m);
            float[] rows = ToyModels.uniform(2 * 4, 6, -1, 1);
            // rows a, b, a, a  versus  a (x3), b (x1)
            float[] full = new float[16];
            for (int r = 0; r < 4; r++) {
                System.arraycopy(rows, (r == 1 ? 1 : 0) * 4, full, r * 4, 4);
            }
            NDArray all = m.create(full, new ai.djl.ndarray.types.Shape(4, 4));
            NDArray distinct = m.create(new float[] {rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]},
                    new ai.djl.ndarray.types.Shape(2, 4));
            all.setRequiresGradient(true);
            distinct.setRequiresGradient(true);
            float lossAll;
            float lossDistinct;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = p.loss(all);
                lossAll = l.getFloat();
                gc.backward(l);
            }
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = p.loss(distinct, new int[] {3, 1});
                lossDistinct = l.getFloat();
                gc.backward(l);
            }
            assertEquals(lossAll, lossDistinct, 1e-7);
            float[] ga = all.getGradient().toFloatArray();
            float[] gd = distinct.getGradient().toFloatArray();
            for (int k = 0; k < 4; k++) {
                assertEquals(ga[k] + ga[8 + k] + ga[12 + k], gd[k], 1e-7, "row a");
                assertEquals(ga[4 + k], gd[4 + k], 1e-7, "row b");
            }
        }
    }
}
