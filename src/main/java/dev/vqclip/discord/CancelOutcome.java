package dev.vqclip.discord;

/** What a cancel request did. */
public enum CancelOutcome {
    CANCELLED, ALREADY_FINISHED, NOT_FOUND, NOT_ALLOWED
}
