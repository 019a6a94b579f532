package dev.vqclip.job;

/** What a cancel request did. */
public enum CancelResult {
    /** It was queued and is now cancelled. */
    CANCELLED,
    /** It runs; its worker stops it at its next heartbeat. */
    STOPPING,
    ALREADY_FINISHED,
    NOT_FOUND,
    /** Only the owner or a moderator may cancel a job. */
    NOT_ALLOWED
}
