package dev.vqclip.discord;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** The stored form: {@code @me} stands for a direct message's missing guild, {@code -} for a card not posted yet. */
    private static final Pattern STORED = Pattern.compile("discord:(\\d{1,20}|@me)/(\\d{1,20})/(\\d{1,20}|-)");

    public ReplyAddress {
        Snowflakes.optional("guild id", guildId);
        Snowflakes.require("channel id", channelId);
        Snowflakes.optional("card message id", cardMessageId);
    }

    public ReplyAddress withCardMessage(String channel, String messageId) {
        return new ReplyAddress(guildId, channel, messageId);
    }

    /**
     * This address as the job system keeps it ({@code JobRequest.replyTo}, opaque to the scheduler):
     * {@code discord:<guild>/<channel>/<message>}.
     */
    public String replyTo() {
        return "discord:" + (guildId == null ? "@me" : guildId) + "/" + channelId + "/"
                + (cardMessageId == null ? "-" : cardMessageId);
    }

    /** The card address a job keeps in its {@code replyTo}; empty for an address of another platform (or none). */
    public static Optional<ReplyAddress> fromReplyTo(String replyTo) {
        Matcher m = replyTo == null ? null : STORED.matcher(replyTo);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ReplyAddress(m.group(1).equals("@me") ? null : m.group(1), m.group(2),
                m.group(3).equals("-") ? null : m.group(3)));
    }
}
