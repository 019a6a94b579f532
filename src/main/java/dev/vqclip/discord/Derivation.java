package dev.vqclip.discord;

/** How a job is derived from a finished one by a card button; the new job links to its parent. */
public enum Derivation {
    /** The same recipe with a new random seed. */
    REROLL,
    /** The same seed, started from the parent's image with small changes. */
    VARIATION
}
