package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.WeightsException;

/** The catalog cannot be read, is inconsistent, or does not know the model asked for. */
public class CatalogException extends WeightsException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
