package dev.vqclip.discord;

/** A job's state as the bot shows it. */
public enum JobStatus {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
