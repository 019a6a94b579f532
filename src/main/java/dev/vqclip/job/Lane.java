package dev.vqclip.job;

import java.util.Arrays;

/** Strict priority lanes: every queued contest job is claimed before any normal one (scheduler.md §3). */
public enum Lane {
    NORMAL(0), CONTEST(2);

    private final int priority;

    Lane(int priority) {
        this.priority = priority;
    }

    public int priority() {
        return priority;
    }

    public static Lane ofPriority(int priority) {
        return Arrays.stream(values()).filter(l -> l.priority == priority).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lane has priority " + priority));
    }
}
