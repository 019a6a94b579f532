package dev.vqclip.contest;

import java.util.List;

/** A phase change the schedule made on its own, for the adapter to announce. */
public sealed interface Transition {
    Contest contest();

    /**
     * @param ballot  the entries in ballot order (numbered from 1)
     * @param leftOut entries whose render had not finished (or failed) when voting opened
     * @param note    why this happened late (the bot was down at the deadline), or null
     */
    record VotingOpened(Contest contest, List<Entry> ballot, List<Entry> leftOut, String note) implements Transition {
    }

    record Closed(Contest contest, Results results, String note) implements Transition {
    }
}
