package dev.vqclip.engine.weights.catalog;

import dev.vqclip.engine.weights.WeightsException;

/** A model file could not be fetched or did not match its checksum; the message says what to do. */
public class DownloadException extends WeightsException {
    /** Why, so callers (CLI exit codes, chat replies) can react without parsing the message. */
    public enum Reason {
        /** No server could be reached: offline, DNS failure, connection refused, no answer in time. */
        UNREACHABLE,
        /** A server answered with an HTTP error status. */
        HTTP_STATUS,
        /** The connection broke or stalled mid-transfer; the partial file is kept for resuming. */
        INTERRUPTED,
        /** The bytes do not hash to the expected SHA-256. */
        CHECKSUM_MISMATCH,
        /** The local disk refused: cannot create, write or rename a file. */
        LOCAL_IO
    }

    private final Reason reason;

    public DownloadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DownloadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
