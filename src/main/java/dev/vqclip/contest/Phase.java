package dev.vqclip.contest;

/** A contest's life: entries are taken, then votes, then it is closed with results (or cancelled). */
public enum Phase {
    ENTRIES, VOTING, CLOSED, CANCELLED;

    public boolean isOpen() {
        return this == ENTRIES || this == VOTING;
    }
}
