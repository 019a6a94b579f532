package dev.vqclip.engine.vqgan;

import ai.djl.ndarray.NDArray;

/**
 * A quantizer's result: {@code zq} [N, E, h, w] (straight-through: its gradient flows to z unchanged), the codebook
 * row chosen at each position {@code indices} [N·h·w] int64 in (b, h, w) order, and the quantizer's scalar loss.
 * Owns its three arrays.
 */
public record Quantized(NDArray zq, NDArray indices, NDArray loss) implements AutoCloseable {

    @Override
    public void close() {
        zq.close();
        indices.close();
        loss.close();
    }
}
