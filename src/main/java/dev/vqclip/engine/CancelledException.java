package dev.vqclip.engine;

/** The render was cancelled through its {@link CancellationToken}. */
public class CancelledException extends RuntimeException {
    public CancelledException(int iteration) {
        super("cancelled at iteration " + iteration);
    }
}
