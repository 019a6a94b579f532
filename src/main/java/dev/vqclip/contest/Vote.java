package dev.vqclip.contest;

/** One stored vote: a member ({@code platform:id}) for an entry. Votes are rows, never counted from reactions. */
public record Vote(String voterKey, long entryId) {
    public Vote {
        if (voterKey == null || voterKey.isBlank() || entryId < 1) {
            throw new IllegalArgumentException("a vote needs a voter and an entry, got " + voterKey + " -> " + entryId);
        }
    }
}
