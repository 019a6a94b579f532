package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/** taming's {@code mid}: block_1, attn_1, block_2 at the lowest resolution. */
final class MidBlock {
    private final ResnetBlock block1;
    private final AttnBlock attn1;
    private final ResnetBlock block2;

    MidBlock(Params p, String prefix) {
        block1 = new ResnetBlock(p, prefix + ".block_1");
        attn1 = new AttnBlock(p, prefix + ".attn_1");
        block2 = new ResnetBlock(p, prefix + ".block_2");
    }

    /** [N, C, h, w] -> [N, C, h, w]; the input is left open. */
    NDArray forward(NDArray x) {
        NDArray h = block1.forward(x);
        h = Ops.advance(h, attn1::forward);
        return Ops.advance(h, block2::forward);
    }
}
