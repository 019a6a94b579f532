package dev.vqclip.provenance;

/** A provenance operation could not be done; the message says what rule was broken and by which value. */
public class ProvenanceException extends Exception {
    public ProvenanceException(String message) {
        super(message);
    }

    public ProvenanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
