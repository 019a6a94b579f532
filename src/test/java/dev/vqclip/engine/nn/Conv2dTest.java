package dev.vqclip.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class Conv2dTest {

    /** d(Σ conv(x)·r)/dx for a float32 or float64 copy of x, through {@code conv}. */
    private static double[] inputGradient(NDArray x0, NDArray upstream, DataType type,
                                          java.util.function.UnaryOperator<NDArray> conv) {
        NDArray x = x0.duplicate().toType(type, false);
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(conv.apply(x).mul(upstream.toType(type, false)).sum());
        }
        return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }

    /**
     * VQGAN's conv_out shape (many channels in, 3 out, 3×3): the input gradient in float32 must match float64 (which
     * libtorch computes without oneDNN). On Zen 5 CPUs oneDNN's own result for this shape is off by ~30% or NaN.
     */
    @Test
    void theInputGradientOfAFewOutputChannelConvolutionMatchesDoublePrecision() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.getEngine().setRandomSeed(5);
            NDArray w = m.randomNormal(new Shape(3, 128, 3, 3)).mul(0.05f);      // [out 3, in 128, 3, 3]
            NDArray b = m.randomNormal(new Shape(3));
            NDArray x = m.randomNormal(new Shape(1, 128, 24, 32));
            NDArray r = m.randomNormal(new Shape(1, 3, 24, 32));
            Conv2d conv = new Conv2d(w, b, 1, 1);
            NDArray w64 = w.toType(DataType.FLOAT64, true);
            NDArray b64 = b.toType(DataType.FLOAT64, true);
            double[] ours = inputGradient(x, r, DataType.FLOAT32, conv::forward);
            double[] exact = inputGradient(x, r, DataType.FLOAT64, t -> t.getNDArrayInternal().convolution(t, w64, b64,
                    new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow());
            assertArrayEquals(exact, ours, 1e-4);
            NDArray y = conv.forward(x);
            assertEquals(new Shape(1, 3, 24, 32), y.getShape());
            NDArray y64 = x.toType(DataType.FLOAT64, true).getNDArrayInternal().convolution(x.toType(DataType.FLOAT64, true),
                    w64, b64, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1).singletonOrThrow();
            assertArrayEquals(y64.toDoubleArray(), y.toType(DataType.FLOAT64, false).toDoubleArray(), 1e-4);
        }
    }

    @Test
    void manyOutputChannelsUseTheWeightAsItIs() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.ones(new Shape(16, 2, 1, 1));
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
            NDArray y = new Conv2d(w, null, 1, 0).forward(x);
            assertEquals(new Shape(1, 16, 1, 2), y.getShape());
            assertArrayEquals(new float[] {4, 6}, y.get(":, 15").toFloatArray(), 0f);
        }
    }
}
