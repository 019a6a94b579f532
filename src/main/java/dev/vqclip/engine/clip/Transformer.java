package dev.vqclip.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;
import java.util.ArrayList;
import java.util.List;

/** CLIP {@code Transformer}: {@code <prefix>.resblocks.{i}}, applied in order. Batch-first [N, L, W] here. */
final class Transformer {
    private final List<ResidualAttentionBlock> blocks = new ArrayList<>();

    Transformer(Params p, String prefix, int layers, int heads, DataType type) {
        for (int i = 0; i < layers; i++) {
            blocks.add(new ResidualAttentionBlock(p, prefix + ".resblocks." + i, heads, type));
        }
    }

    /** [N, L, W] -> [N, L, W]; the input is left open. */
    NDArray forward(NDArray x, NDArray mask) {
        return run(x, mask, false);
    }

    /** {@link #forward}'s first token, [N, L, W] -> [N, 1, W], without the last block's work on the others. */
    NDArray forwardFirstToken(NDArray x, NDArray mask) {
        return run(x, mask, true);
    }

    private NDArray run(NDArray x, NDArray mask, boolean firstTokenOnly) {
        NDArray h = x;
        for (int i = 0; i < blocks.size(); i++) {
            NDArray in = h;
            boolean last = i == blocks.size() - 1;
            h = last && firstTokenOnly ? blocks.get(i).forwardFirstToken(in, mask) : blocks.get(i).forward(in, mask);
            if (in != x) {
                in.close();
            }
        }
        return h;
    }
}
