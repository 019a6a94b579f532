package dev.vqclip.engine.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalarsTest {

    @Test
    void constantsSavedForBackwardSurviveGarbageCollectionBetweenForwardAndBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = Scalars.maximum(Scalars.mul(x, 0.25), -0.1);   // grad 0.25 where 0.25·x > −0.1
                // churn direct memory so that a freed operand buffer would be reused before backward
                for (int round = 0; round < 5; round++) {
                    List<ByteBuffer> junk = new ArrayList<>();
                    for (int i = 0; i < 2000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4);
                        b.putFloat(0, Float.NaN);
                        junk.add(b);
                    }
                    junk.clear();
                    System.gc();
                }
                gc.backward(y.sum());
            }
            assertArrayEquals(new float[] {0.25f, 0f, 0.25f}, x.getGradient().toFloatArray(), 0f);
        }
    }
}
