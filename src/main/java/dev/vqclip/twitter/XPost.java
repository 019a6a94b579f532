package dev.vqclip.twitter;

import java.time.Instant;

/**
 * A post as the bot reads it.
 *
 * @param authorUsername the author's handle from the {@code author_id} expansion, or null
 * @param retweet        true for a repost of someone else's post
 * @param repliedTo      the post this one replies to, or null
 */
public record XPost(String id, String authorId, String authorUsername, String text, Instant createdAt,
                    String conversationId, String inReplyToUserId, boolean retweet, String repliedTo) {
    public XPost {
        if (id == null || !id.matches("\\d{1,20}")) {
            throw new IllegalArgumentException("a post id is 1-20 digits, got '" + id + "'");
        }
        text = text == null ? "" : text;
    }
}
