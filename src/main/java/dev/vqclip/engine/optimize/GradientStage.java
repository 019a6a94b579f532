package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/**
 * A point where the loop's graph is cut into a leaf ({@link #output()}) that collects the downstream gradient,
 * after which {@link #upstreamSurrogate()} carries that gradient (possibly transformed) into the graph upstream.
 */
interface GradientStage {
    /** The leaf to compute downstream from. */
    NDArray output();

    /** After the downstream backward passes: a scalar whose backward continues into the upstream graph. */
    NDArray upstreamSurrogate();
}
