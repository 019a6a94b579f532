package dev.vqclip.contest;

/** How entries get their seed: one seed shared by every entry (only the prompt differs), or one drawn per entry. */
public enum SeedRule {
    SHARED, PER_ENTRY
}
