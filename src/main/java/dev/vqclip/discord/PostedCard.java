package dev.vqclip.discord;

/** A card message that exists: the channel it is in and its id, which is all an edit needs. */
public record PostedCard(String guildId, String channelId, String messageId) {
    public PostedCard {
        Snowflakes.optional("guild id", guildId);
        Snowflakes.require("card channel id", channelId);
        Snowflakes.require("card message id", messageId);
    }

    public ReplyAddress address() {
        return new ReplyAddress(guildId, channelId, messageId);
    }

    /** The link the Discord client opens, to tell the user where their result is. */
    public String link() {
        return "https://discord.com/channels/" + (guildId == null ? "@me" : guildId) + "/" + channelId + "/" + messageId;
    }
}
