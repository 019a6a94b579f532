package dev.vqclip.twitter;

import java.time.Instant;

/** X answered with an error, or could not be reached; {@link #kind()} says what the bot should do about it. */
public final class XApiException extends RuntimeException {
    /** What the bot does about an error. */
    public enum Kind {
        /** 429: wait until {@link #retryAt()}. */
        RATE_LIMITED,
        /** 5xx or a network error: retry with backoff. */
        TRANSIENT,
        /** 401, or 403 on authentication: the credentials or the app's access level are wrong; stop the adapter. */
        AUTH,
        /** This one request is refused for good (duplicate post, deleted or invisible mention, bad request). */
        REJECTED
    }

    private final Kind kind;
    private final int status;
    private final Instant retryAt;

    public XApiException(Kind kind, int status, String message, Instant retryAt, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when X was not reached. */
    public int status() {
        return status;
    }

    /** When a rate-limited request may be sent again, or null. */
    public Instant retryAt() {
        return retryAt;
    }
}
