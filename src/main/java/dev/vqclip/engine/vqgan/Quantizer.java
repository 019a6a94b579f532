package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;

/** A VQGAN's codebook lookup. Implementations are created once per model and own no arrays but their weights. */
interface Quantizer {

    /** [n_embed, embed_dim]: the rows the decoder sees. */
    NDArray codebook();

    /** z [N, E, h, w] -> zq, indices and loss; the arrays live in z's manager (the caller wraps this in a scope). */
    Quantized quantize(NDArray z);
}
