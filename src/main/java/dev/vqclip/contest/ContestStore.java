package dev.vqclip.contest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The contests' persistence (implemented over JDBC in {@code store}). Every method is one transaction; the ones that
 * enforce a limit (entries per member, votes per member) do so under a lock on the contest's row, so two clicks at
 * once cannot both pass.
 */
public interface ContestStore extends ContestReads {

    Contest create(NewContest contest, Instant createdAt, long orderSeed);

    void setAnnouncement(long contestId, String messageId);

    /** Moves the contest from {@code from} to {@code to} with an optional note; false when it was not in {@code from}. */
    boolean setPhase(long contestId, Phase from, Phase to, String note);

    /** New end times (either may be null to keep it); false when the contest is no longer open. */
    boolean reschedule(long contestId, Instant entryEnd, Instant voteEnd);

    /**
     * Adds an entry unless the contest no longer takes entries at {@code at}, the member already has {@code limit}
     * entries that are not withdrawn, or the job already is an entry of this contest; empty when refused.
     */
    Optional<Entry> addEntry(long contestId, String memberKey, String memberName, long jobId, String prompt,
                             EntrySource source, Instant at, int limit);

    void withdraw(long entryId);

    /** Opens voting: numbers the given entries 1..n in this order, in the same transaction as the phase change. */
    boolean openVoting(long contestId, List<Long> ballotOrder, String note);

    /** The voter's current votes in this contest, oldest first. */
    List<Long> votesOf(long contestId, String voterKey);

    /**
     * Applies one click under the contest's row lock: reads the voter's votes, asks {@link Ballot#click}, writes the
     * new set. Refused (a {@link ContestRefusal}) when the contest is not in VOTING or {@code at} is not before its
     * voting end.
     */
    Ballot.Click vote(long contestId, String voterKey, long entryId, int allowed, Instant at);

    /** Every stored vote of a contest. */
    List<Vote> votes(long contestId);

    /**
     * Closes voting: under the contest's row lock (which every vote takes first, so no vote lands between the count
     * and the close) ranks the ballot by the stored votes ({@link Results#rank}), stores the ranking and moves the
     * contest to CLOSED with an optional note. Empty when it was not in VOTING.
     */
    Optional<Results> close(long contestId, String note);

    /** Finds an entry by its number on the ballot. */
    default Optional<Entry> byBallotNumber(long contestId, int number) {
        return entries(contestId).stream().filter(e -> e.ballotNumber() != null && e.ballotNumber() == number)
                .findFirst();
    }
}
