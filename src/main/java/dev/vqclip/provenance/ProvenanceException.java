package dev.vqclip.provenance;

/** A provenance operation could not be done; the message says what rule was broken and by which value. */
public class ProvenanceException extends Exception {
    public ProvenanceException(String message) {
        super(oneLine(message));
    }

    public ProvenanceException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** A user sees one line: parser messages that break lines (e.g. Jackson's source location) are joined. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
