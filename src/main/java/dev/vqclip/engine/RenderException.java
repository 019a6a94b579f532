package dev.vqclip.engine;

/** A render that failed for a reason a user can be told (bad input, out of memory, NaN loss, model error). */
public class RenderException extends RuntimeException {
    public RenderException(String userReason) {
        super(userReason);
    }

    public RenderException(String userReason, Throwable cause) {
        super(userReason, cause);
    }
}
