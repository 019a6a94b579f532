package dev.vqclip.engine.weights.catalog;

import java.io.IOException;

/** A failure of our own disk, carried through the HTTP client's futures. */
final class LocalFileException extends RuntimeException {
    LocalFileException(String message, IOException cause) {
        super(message, cause);
    }
}
