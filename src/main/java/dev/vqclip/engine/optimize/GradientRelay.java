package dev.vqclip.engine.optimize;

import ai.djl.ndarray.NDArray;

/**
 * Cuts the graph at a tensor so the part downstream can be back-propagated in pieces: {@link #output()} is a
 * detached leaf with the same value that collects the downstream gradient g (summed over any number of backward
 * passes), and {@link #upstreamSurrogate()} is {@code sum(x · stopgrad(g))}, whose gradient carries g on into
 * everything upstream of x. The loop uses it to run CLIP over the cutouts a few at a time.
 */
final class GradientRelay implements GradientStage {
    private final NDArray input;
    private final NDArray output;

    private GradientRelay(NDArray input, NDArray output) {
        this.input = input;
        this.output = output;
    }

    static GradientRelay of(NDArray input) {
        NDArray out = input.stopGradient();
        out.setRequiresGradient(true);
        return new GradientRelay(input, out);
    }

    @Override
    public NDArray output() {
        return output;
    }

    @Override
    public NDArray upstreamSurrogate() {
        return input.mul(output.getGradient()).sum();
    }
}
