package dev.vqclip.engine.weights;

/** A weights file that cannot be used: unreadable, unsafe, or not the architecture it claims to be. */
public class WeightsException extends RuntimeException {
    public WeightsException(String message) {
        super(oneLine(message));
    }

    public WeightsException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** A user sees one line: parser messages that break lines (e.g. Jackson's source location) are joined. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
