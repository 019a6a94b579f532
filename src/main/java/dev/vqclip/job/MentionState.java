package dev.vqclip.job;

/**
 * Where a stored mention stands. NEW → SKIPPED | QUEUED (a job) | REFUSED (a reason to tell the user); QUEUED and
 * REFUSED → REPLYING (an attempt is recorded before posting) → REPLIED (the reply's id) | FAILED (the platform refused
 * the reply for good). SKIPPED, REPLIED and FAILED are final.
 */
public enum MentionState {
    NEW, SKIPPED, QUEUED, REFUSED, REPLYING, REPLIED, FAILED;

    public boolean isFinal() {
        return this == SKIPPED || this == REPLIED || this == FAILED;
    }
}
