package dev.vqclip.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

final class OpsTest {

    @Test
    void halfPrecisionRoundTripKeepsTheGradientPath() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(new float[] {0.5f, -1.25f, 3f}, new Shape(3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray half = Ops.castDifferentiably(x, DataType.FLOAT16);
                assertEquals(DataType.FLOAT16, half.getDataType());
                NDArray back = Ops.castDifferentiably(half.mul(2), DataType.FLOAT32);
                assertEquals(DataType.FLOAT32, back.getDataType());
                gc.backward(back.sum());
            }
            assertArrayEquals(new float[] {2f, 2f, 2f}, x.getGradient().toFloatArray());
        }
    }

    @Test
    void scopedFreesIntermediatesAndHandsTheResultToTheOwner() {
        try (NDManager owner = NDManager.newBaseManager(Device.cpu());
             NDManager other = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = other.create(new float[] {1, 2});
            NDArray[] intermediate = new NDArray[1];
            NDArray result;
            try (NDScope outer = new NDScope()) {
                result = Ops.scoped(owner, () -> {
                    intermediate[0] = a.mul(3);
                    return intermediate[0].add(1);
                });
                assertSame(owner, result.getManager());
                assertEquals(true, intermediate[0].isReleased());
                assertArrayEquals(new float[] {4, 7}, result.toFloatArray());
            }
            assertEquals(true, result.isReleased(), "the result joins the caller's scope");
        }
    }

    @Test
    void constantsOwnTheirMemorySoViewsOutliveTheSourceHandle() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray c = Ops.constant(m, new float[] {1, 2, 3, 4}, new Shape(4));
            NDArray view = c.reshape(2, 2);
            c.close();
            System.gc();
            assertArrayEquals(new float[] {1, 2, 3, 4}, view.toFloatArray());
        }
    }
}
