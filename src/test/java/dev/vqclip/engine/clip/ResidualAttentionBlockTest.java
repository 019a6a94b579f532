package dev.vqclip.engine.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Params;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResidualAttentionBlockTest {
    private static final int WIDTH = 32;
    private static final int HEADS = 4;

    private static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("b.ln_1.weight", new long[] {WIDTH});
        s.put("b.ln_1.bias", new long[] {WIDTH});
        s.put("b.attn.in_proj_weight", new long[] {3 * WIDTH, WIDTH});
        s.put("b.attn.in_proj_bias", new long[] {3 * WIDTH});
        s.put("b.attn.out_proj.weight", new long[] {WIDTH, WIDTH});
        s.put("b.attn.out_proj.bias", new long[] {WIDTH});
        s.put("b.ln_2.weight", new long[] {WIDTH});
        s.put("b.ln_2.bias", new long[] {WIDTH});
        s.put("b.mlp.c_fc.weight", new long[] {4 * WIDTH, WIDTH});
        s.put("b.mlp.c_fc.bias", new long[] {4 * WIDTH});
        s.put("b.mlp.c_proj.weight", new long[] {WIDTH, 4 * WIDTH});
        s.put("b.mlp.c_proj.bias", new long[] {WIDTH});
        return s;
    }

    @Test
    void theFirstTokenAloneIsTheFullBlocksFirstToken() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Params p = Params.random(shapes(), m, 3);
            ResidualAttentionBlock block = new ResidualAttentionBlock(p, "b", HEADS, DataType.FLOAT32);
            p.requireAllUsed();
            Engine.getInstance().setRandomSeed(5);
            NDArray x = m.randomNormal(new Shape(3, 7, WIDTH));
            float[] full = block.forward(x, null).get(":, 0:1, :").toFloatArray();
            NDArray first = block.forwardFirstToken(x, null);
            assertArrayEquals(new long[] {3, 1, WIDTH}, first.getShape().getShape());
            assertArrayEquals(full, first.toFloatArray(), 1e-6f);
        }
    }
}
