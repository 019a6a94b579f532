package dev.vqclip.job;

import java.time.Instant;

/**
 * A post that mentions the bot, as stored before anything answers it (unique by platform and post id).
 *
 * @param conversationId the thread the post belongs to, or null when the platform gave none
 * @param jobId          the job queued for it, or null
 * @param refusal        why no job was queued (shown to the user), or null
 * @param attempts       reply attempts recorded so far (each before posting)
 * @param replyId        the platform's id of the reply, once known
 * @param note           why it was skipped or failed, for operators
 */
public record Mention(String platform, String postId, String authorId, String authorName, String conversationId,
                      String text, Instant postedAt, MentionState state, Long jobId, String refusal, int attempts,
                      String replyId, Instant repliedAt, String note) {
    public Mention {
        if (platform == null || platform.isBlank() || postId == null || postId.isBlank() || authorId == null
                || authorId.isBlank() || text == null || postedAt == null || state == null) {
            throw new IllegalArgumentException("a mention needs a platform, post id, author, text, time and state, got post "
                    + postId + " by " + authorId);
        }
        if (postId.length() > 40 || authorId.length() > 60) {
            throw new IllegalArgumentException("post ids are at most 40 and author ids 60 characters, got '" + postId
                    + "' by '" + authorId + "'");
        }
        authorName = authorName == null || authorName.isBlank() ? authorId : authorName;
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must be >= 0, got " + attempts);
        }
    }

    /** A mention just read from the platform. */
    public static Mention fresh(String platform, String postId, String authorId, String authorName, String conversationId,
                                String text, Instant postedAt) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.NEW, null,
                null, 0, null, null, null);
    }

    public Mention skipped(String why) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.SKIPPED,
                jobId, refusal, attempts, replyId, repliedAt, why);
    }

    public Mention queued(long job) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.QUEUED, job,
                null, attempts, null, null, null);
    }

    public Mention refused(String reason) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.REFUSED,
                null, reason, attempts, null, null, null);
    }

    /** The next reply attempt, recorded before the reply is posted. */
    public Mention replying() {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.REPLYING,
                jobId, refusal, attempts + 1, null, null, note);
    }

    public Mention replied(String reply, Instant at) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.REPLIED,
                jobId, refusal, attempts, reply, at, null);
    }

    public Mention failed(String why) {
        return new Mention(platform, postId, authorId, authorName, conversationId, text, postedAt, MentionState.FAILED,
                jobId, refusal, attempts, replyId, repliedAt, why);
    }
}
