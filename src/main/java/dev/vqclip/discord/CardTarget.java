package dev.vqclip.discord;

/**
 * Where to post a card: a channel (optionally as a reply to a message), or the owner's DMs when the bot may not
 * post in the channel.
 */
public record CardTarget(String guildId, String channelId, String replyToMessageId, String directToUserId) {
    public CardTarget {
        Snowflakes.optional("guild id", guildId);
        Snowflakes.optional("channel id", channelId);
        Snowflakes.optional("reply-to message id", replyToMessageId);
        Snowflakes.optional("direct-message user id", directToUserId);
        if ((channelId == null) == (directToUserId == null)) {
            throw new IllegalArgumentException("a card target is either a channel or a user's DMs, got channel "
                    + channelId + " and user " + directToUserId);
        }
    }

    public static CardTarget channel(String guildId, String channelId, String replyToMessageId) {
        return new CardTarget(guildId, channelId, replyToMessageId, null);
    }

    public static CardTarget direct(String userId) {
        return new CardTarget(null, null, null, userId);
    }

    public boolean isDirect() {
        return directToUserId != null;
    }
}
