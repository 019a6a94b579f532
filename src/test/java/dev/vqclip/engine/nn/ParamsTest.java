package dev.vqclip.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ParamsTest {
    private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("block.norm.weight", new long[] {4});
        SHAPES.put("block.conv.weight", new long[] {4, 2, 3, 3});
        SHAPES.put("block.conv.bias", new long[] {4});
    }

    @Test
    void randomInitIsSeededPerKeyAndShapedLikeTheDeclaration() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] first = Params.random(SHAPES, m, 42).get("block.conv.weight").toFloatArray();
            Params other = Params.random(SHAPES, m, 42);
            float[] norm = other.get("block.norm.weight").toFloatArray(); // request order does not matter
            assertArrayEquals(first, other.get("block.conv.weight").toFloatArray());
            float bound = (float) (1 / Math.sqrt(2 * 3 * 3));
            for (float v : first) {
                assertTrue(Math.abs(v) <= bound, "uniform within 1/sqrt(fan_in): " + v);
            }
            assertArrayEquals(new float[] {1, 1, 1, 1}, norm, "norm scale 1");
        }
    }

    @Test
    void aDeclaredKeyTheModelNeverTakesIsReported() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Params p = Params.random(SHAPES, m, 1);
            p.get("block.conv.weight");
            p.skip("block.norm.weight");
            IllegalStateException e = assertThrows(IllegalStateException.class, p::requireAllUsed);
            assertTrue(e.getMessage().contains("block.conv.bias"), e.getMessage());
        }
    }
}
