package dev.vqclip.contest;

/** One line of a contest's ranking: place (1 = winner), the entry revealed, and the votes it got. */
public record Standing(int rank, Entry entry, int votes) {
    public Standing {
        if (rank < 1 || entry == null || votes < 0) {
            throw new IllegalArgumentException("a standing needs rank >= 1, an entry and votes >= 0, got rank " + rank
                    + " with " + votes + " votes");
        }
    }
}
