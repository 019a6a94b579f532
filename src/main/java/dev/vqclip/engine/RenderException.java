package dev.vqclip.engine;

/** A render that failed for a reason a user can be told (bad input, out of memory, NaN loss, model error). */
public class RenderException extends RuntimeException {
    public RenderException(String userReason) {
        super(oneLine(userReason));
    }

    public RenderException(String userReason, Throwable cause) {
        super(oneLine(userReason), cause);
    }

    /** A user sees one line: parser messages that break lines (e.g. Jackson's source location) are joined. */
    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
