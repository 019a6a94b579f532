package dev.vqclip.discord;

/**
 * Where a job's card lives, so the job system can persist it and the bot can find the card again after a
 * restart ({@code /show}). The card is an ordinary message edited by id, never the interaction response,
 * because interaction tokens die after 15 minutes.
 *
 * @param guildId       null for a direct message
 * @param channelId     the channel (or DM channel) of the card
 * @param cardMessageId the card's message id, or null until the card is posted
 */
public record ReplyAddress(String guildId, String channelId, String cardMessageId) {
    public ReplyAddress {
        Snowflakes.optional("guild id", guildId);
        Snowflakes.require("channel id", channelId);
        Snowflakes.optional("card message id", cardMessageId);
    }

    public ReplyAddress withCardMessage(String channel, String messageId) {
        return new ReplyAddress(guildId, channel, messageId);
    }
}
