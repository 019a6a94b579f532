package dev.vqclip.job;

/** Where a job is in its life: QUEUED → RUNNING → DONE | FAILED | CANCELLED (RUNNING → QUEUED when a lease expires). */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }
}
