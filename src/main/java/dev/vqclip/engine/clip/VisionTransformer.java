package dev.vqclip.engine.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.LayerNorm;
import dev.vqclip.engine.nn.Params;

/**
 * CLIP {@code VisionTransformer}: patch conv (conv1, no bias, stride = patch) → class token first → + positional
 * embedding → ln_pre → transformer → ln_post on the class token → @ proj.
 */
final class VisionTransformer {
    private final Conv2d conv1;
    private final NDArray classEmbedding;      // [1, 1, W]
    private final NDArray positionalEmbedding; // [1 + grid², W]
    private final LayerNorm lnPre;
    private final Transformer transformer;
    private final LayerNorm lnPost;
    private final NDArray proj;                // [W, E]

    VisionTransformer(Params p, ClipConfig c, DataType type) {
        conv1 = Conv2d.load(p, "visual.conv1", false, c.visionPatchSize(), 0, type);
        try (NDArray cls = p.get("visual.class_embedding", type)) {
            classEmbedding = Params.keep(cls.reshape(1, 1, c.visionWidth()));
        }
        positionalEmbedding = p.get("visual.positional_embedding", type);
        lnPre = LayerNorm.clip(p, "visual.ln_pre");
        transformer = new Transformer(p, "visual.transformer", c.visionLayers(), c.visionHeads(), type);
        lnPost = LayerNorm.clip(p, "visual.ln_post");
        proj = p.get("visual.proj", type);
    }

    /** [N, 3, R, R] (normalised, compute dtype) -> [N, E]. */
    NDArray forward(NDArray x) {
        NDArray patches = conv1.forward(x);                         // [N, W, g, g]
        long n = patches.getShape().get(0);
        long width = patches.getShape().get(1);
        NDArray tokens = patches.reshape(n, width, -1).transpose(0, 2, 1); // [N, g², W], patches row-major
        NDArray cls = classEmbedding.broadcast(n, 1, width);         // [N, 1, W]
        NDArray seq = cls.concat(tokens, 1).add(positionalEmbedding); // [N, 1 + g², W]
        NDArray first = transformer.forwardFirstToken(lnPre.forward(seq), null); // [N, 1, W]: only the class token is read
        NDArray pooled = lnPost.forward(first.squeeze(1));           // [N, W]
        return pooled.matMul(proj);                                  // [N, E]
    }
}
