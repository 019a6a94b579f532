package dev.vqclip.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class LinearTest {

    /** Reference: torch's own {@code linear}, which Linear uses below the row threshold. */
    private static NDArray torchLinear(NDArray x, NDArray w, NDArray b) {
        return x.getNDArrayInternal().linear(x, w, b).singletonOrThrow();
    }

    @ParameterizedTest
    @EnumSource(CpuMatmul.class)
    void eachRouteMatchesTorchLinearInValueAndGradient(CpuMatmul route) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(11);
            long rows = Linear.MIN_ROWS_FOR_CONV * 2;                  // 2 × 64 rows: enough for the convolution
            NDArray w = m.randomNormal(new Shape(24, 40));             // [out, in]
            NDArray b = m.randomNormal(new Shape(24));
            NDArray x = m.randomNormal(new Shape(2, rows / 2, 40));    // [2, 64, in]
            NDArray upstream = m.randomNormal(new Shape(2, rows / 2, 24));
            Linear linear = new Linear(w, b);

            NDArray xa = x.duplicate();
            xa.setRequiresGradient(true);
            NDArray ya;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                ya = linear.forward(xa, route);
                gc.backward(ya.mul(upstream).sum());
            }
            NDArray xb = x.duplicate();
            xb.setRequiresGradient(true);
            NDArray yb;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                yb = torchLinear(xb, w, b);
                gc.backward(yb.mul(upstream).sum());
            }
            assertEquals(new Shape(2, rows / 2, 24), ya.getShape());
            assertArrayEquals(yb.toFloatArray(), ya.toFloatArray(), 1e-4f);
            assertArrayEquals(xb.getGradient().toFloatArray(), xa.getGradient().toFloatArray(), 1e-4f);
        }
    }

    @Test
    void fewRowsGoThroughLinearUnchanged() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
            NDArray b = m.create(new float[] {0.5f, -1f});
            NDArray x = m.create(new float[] {1, 0, -1}, new Shape(1, 3));
            assertArrayEquals(new float[] {1 - 3 + 0.5f, 4 - 6 - 1f}, new Linear(w, b).forward(x, CpuMatmul.CONV1X1).toFloatArray(), 0f);
        }
    }
}
