package dev.vqclip.engine.weights;

/** A weights file that cannot be used: unreadable, unsafe, or not the architecture it claims to be. */
public class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(message);
    }

    public WeightsException(String message, Throwable cause) {
        super(message, cause);
    }
}
