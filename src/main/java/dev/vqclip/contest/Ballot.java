package dev.vqclip.contest;

import java.util.ArrayList;
import java.util.List;

/**
 * What a click on an entry's vote button does to a member's votes, as a pure rule: with one vote, a click on
 * another entry moves it there; with N votes, a click adds one until N are used; a click on an entry already voted
 * for takes that vote back. The result is the member's whole new set, which the store writes in one transaction.
 */
public final class Ballot {
    private Ballot() {
    }

    /** The outcome of one click; {@code votes} is the member's new set of voted entries (in click order). */
    public record Click(Kind kind, List<Long> votes, Long movedFrom) {
        public Click {
            votes = List.copyOf(votes);
        }
    }

    public enum Kind { ADDED, MOVED, TAKEN_BACK }

    /**
     * @param current the entries the member voted for, oldest first
     * @param allowed votes per member (the contest's rule)
     * @throws ContestRefusal when all votes are used and the click is on a new entry with {@code allowed > 1}
     */
    public static Click click(List<Long> current, long entry, int allowed) {
        List<Long> next = new ArrayList<>(current);
        if (next.remove(Long.valueOf(entry))) {
            return new Click(Kind.TAKEN_BACK, next, null);
        }
        if (next.size() < allowed) {
            next.add(entry);
            return new Click(Kind.ADDED, next, null);
        }
        if (allowed == 1) {
            Long from = next.remove(0);
            next.add(entry);
            return new Click(Kind.MOVED, next, from);
        }
        throw new ContestRefusal("votes per member: you already used your " + allowed + " votes; click one of the "
                + "entries you voted for to take that vote back first");
    }
}
