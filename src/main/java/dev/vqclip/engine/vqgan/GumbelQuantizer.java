package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Conv2d;
import dev.vqclip.engine.nn.Ops;

/**
 * taming {@code GumbelQuantize} in its noise-free limit: logits from the 1x1 {@code proj} conv, the code is their
 * argmax (the mode of the Gumbel-softmax sample upstream draws), {@code zq = embed[code]}. The loss is the
 * unweighted KL term {@code mean(sum(q·log(q·n_embed + 1e-10)))} of upstream (its kl_weight is a training setting).
 * The zq gradient reaches z through nothing (a hard choice); VQGAN+CLIP optimises z after quantisation anyway.
 */
final class GumbelQuantizer implements Quantizer {
    private final Conv2d proj;
    private final NDArray embed; // [n_embed, E]

    GumbelQuantizer(Conv2d proj, NDArray embed) {
        this.proj = proj;
        this.embed = embed;
    }

    @Override
    public NDArray codebook() {
        return embed;
    }

    @Override
    public Quantized quantize(NDArray z) {
        Shape s = z.getShape();
        long n = s.get(0);
        long h = s.get(2);
        long w = s.get(3);
        long codes = embed.getShape().get(0);
        NDArray logits = proj.forward(z);                                            // [N, n_embed, h, w]
        NDArray logitsFlat = logits.transpose(0, 2, 3, 1).reshape(n * h * w, codes); // [M, n_embed]
        NDArray indices = logitsFlat.argMax(1);                                      // [M] int64
        NDArray zq = Ops.gatherRows(indices, embed).reshape(n, h, w, -1).transpose(0, 3, 1, 2); // [N, E, h, w]
        NDArray q = logitsFlat.softmax(1);
        NDArray loss = q.mul(q.mul(codes).add(1e-10f).log()).sum(new int[] {1}).mean();
        return new Quantized(zq, indices, loss);
    }
}
