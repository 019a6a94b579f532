package dev.vqclip.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The mentions a chat adapter read and what it answered (implemented over JDBC in {@code store}), plus the monthly
 * counters of what the platform bills. Each method is one transaction.
 */
public interface MentionLog {

    /** Stores the mentions not stored yet (by platform and post id); returns how many were new. */
    int record(List<Mention> mentions);

    Optional<Mention> find(String platform, String postId);

    /** Mentions in {@code state}, oldest post first. */
    List<Mention> inState(String platform, MentionState state, int limit);

    /**
     * Writes {@code next} over the stored mention when that one is still in state {@code expected}; false (and nothing
     * written) otherwise.
     */
    boolean update(Mention next, MentionState expected);

    /** Whether the bot already replied in this thread. */
    boolean repliedInConversation(String platform, String conversationId);

    /** When this author last got a refusal reply, if ever. */
    Optional<Instant> lastRefusalReply(String platform, String authorId);

    /** Units of {@code kind} (e.g. "reads", "posts") used in {@code month} ("2026-12"). */
    long budgetUsed(String platform, String kind, String month);

    /** Adds {@code units} to the month's counter. */
    void spend(String platform, String kind, String month, long units);
}
