package dev.vqclip.contest;

/** How an entry came in: rendered by /contest enter, or an earlier image of the member's, checked by its provenance. */
public enum EntrySource {
    RENDERED, SUBMITTED
}
