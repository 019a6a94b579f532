package dev.vqclip.contest;

import java.util.List;
import java.util.Optional;

/**
 * What any adapter may read about contests (the Discord commands today, a web page tomorrow). Entries of a contest
 * still taking entries are the caller's to hide: {@link ContestService} shows them only once voting opened.
 */
public interface ContestReads {

    Optional<Contest> contest(long id);

    /** Contests taking entries or votes, oldest first; {@code guildId} null for every server. */
    List<Contest> open(String guildId);

    /** A server's contests, newest first, at most {@code limit}; {@code guildId} null for every server. */
    List<Contest> recent(String guildId, int limit);

    /** Every entry of a contest (withdrawn ones included), in the order they came. */
    List<Entry> entries(long contestId);

    /** The ranking stored when the contest closed; empty while it is open or when it was cancelled. */
    Optional<Results> results(long contestId);

    /** The server's all-time table over its closed contests. */
    List<LeaderRow> leaderboard(String guildId);
}
