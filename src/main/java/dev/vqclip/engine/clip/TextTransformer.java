package dev.vqclip.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.LayerNorm;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/**
 * CLIP's text side ({@code CLIP.encode_text}): token embedding + positional embedding → causal transformer →
 * ln_final → the row at argmax(token ids) (the EOT, the highest id) → @ text_projection.
 */
final class TextTransformer {
    private final NDArray tokenEmbedding;      // [V, W]
    private final NDArray positionalEmbedding; // [context, W]
    private final Transformer transformer;
    private final LayerNorm lnFinal;
    private final NDArray textProjection;      // [W, E]
    private final NDArray causalMask;          // [context, context]: 0 on and below the diagonal, -inf above

    TextTransformer(Params p, ClipConfig c, DataType type) {
        tokenEmbedding = p.get("token_embedding.weight", type);
        positionalEmbedding = p.get("positional_embedding", type);
        transformer = new Transformer(p, "transformer", c.transformerLayers(), c.transformerHeads(), type);
        lnFinal = LayerNorm.clip(p, "ln_final");
        textProjection = p.get("text_projection", type);
        causalMask = Params.keep(causalMask(p, c.contextLength(), type));
    }

    private static NDArray causalMask(Params p, int len, DataType type) {
        float[] m = new float[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                m[i * len + j] = Float.NEGATIVE_INFINITY;
            }
        }
        NDArray mask = Ops.constant(p.manager(), m, new Shape(len, len));
        if (type == mask.getDataType()) {
            return mask;
        }
        try (mask) {
            return mask.toType(type, true);
        }
    }

    /**
     * [N, L] int64 with L <= context -> [N, E]. Shorter sequences give the same result as zero-padded full-length
     * ones: the mask is causal and the pooled EOT position sees only what precedes it.
     */
    NDArray forward(NDArray tokens) {
        long n = tokens.getShape().get(0);
        long len = tokens.getShape().get(1);
        NDArray x = Ops.gatherRows(tokens, tokenEmbedding).add(positionalEmbedding.get(":" + len)); // [N, L, W]
        NDArray mask = causalMask.get(":" + len + ", :" + len);
        NDArray h = lnFinal.forward(transformer.forward(x, mask));            // [N, L, W]
        NDArray eot = tokens.argMax(1);                                        // [N]
        NDArray rowStarts = tokens.getManager().arange(0, (int) (n * len), (int) len, DataType.INT64);
        NDArray pooled = Ops.gatherRows(eot.add(rowStarts), h.reshape(n * len, -1)); // [N, W]
        return pooled.matMul(textProjection);                                  // [N, E]
    }
}
