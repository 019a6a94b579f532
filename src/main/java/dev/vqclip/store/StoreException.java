package dev.vqclip.store;

/** A database operation failed; the message names the operation. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
