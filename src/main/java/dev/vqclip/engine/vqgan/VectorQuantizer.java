package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vqclip.engine.nn.Ops;
import dev.vqclip.engine.nn.Params;

/**
 * taming {@code VectorQuantizer2} with {@code legacy=True}, {@code beta=0.25}: nearest codebook row by squared
 * Euclidean distance, straight-through output {@code z + (e - z).detach()}, loss
 * {@code mean((e.detach() - z)²) + beta·mean((e - z.detach())²)}.
 */
final class VectorQuantizer implements Quantizer {
    private static final float BETA = 0.25f;

    private final NDArray codebook;           // [n_embed, E]
    private final NDArray minusTwoCodebookT;  // [E, n_embed] = -2·eᵀ (scaling by 2 is exact in float)
    private final NDArray codebookSquaredNorms; // [n_embed]

    VectorQuantizer(NDArray codebook) {
        this.codebook = codebook;
        this.minusTwoCodebookT = Params.keep(codebook.transpose().mul(-2f));
        this.codebookSquaredNorms = Params.keep(codebook.square().sum(new int[] {1}));
    }

    @Override
    public NDArray codebook() {
        return codebook;
    }

    @Override
    public Quantized quantize(NDArray z) {
        Shape s = z.getShape();
        long n = s.get(0);
        long e = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray zFlat = z.transpose(0, 2, 3, 1).reshape(n * h * w, e);          // [M, E], rows in (b, h, w) order
        NDArray indices = Ops.nearestRows(zFlat, minusTwoCodebookT, codebookSquaredNorms); // [M] int64
        NDArray chosen = Ops.gatherRows(indices, codebook);                    // [M, E]
        NDArray mse = chosen.sub(zFlat).square().mean();                       // grad to z only (e is constant)
        NDArray loss = mse.add(mse.stopGradient().mul(BETA));
        NDArray zqFlat = zFlat.add(chosen.sub(zFlat).stopGradient());          // straight-through
        NDArray zq = zqFlat.reshape(n, h, w, e).transpose(0, 3, 1, 2);         // [N, E, h, w]
        return new Quantized(zq, indices, loss);
    }
}
