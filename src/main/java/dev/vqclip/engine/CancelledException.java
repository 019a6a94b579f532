package dev.vqclip.engine;

/** The render was cancelled through its {@link CancellationToken}. */
public class CancelledException extends RuntimeException {
    private final int iteration;

    public CancelledException(int iteration) {
        super("cancelled at iteration " + iteration);
        this.iteration = iteration;
    }

    /** The 0-based step that did not run. */
    public int iteration() {
        return iteration;
    }
}
