package dev.vqclip.provenance;

/** The input is not a usable image: not an image at all, truncated, empty (0x0), or too large to decode safely. */
public final class BadImageException extends ProvenanceException {
    public BadImageException(String message) {
        super(message);
    }

    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
