package dev.vqclip.app;

import dev.vqclip.discord.ReplyAddress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Discord card address as the job system stores it ({@code JobRequest.replyTo}, opaque to the scheduler):
 * {@code discord:<guild>/<channel>/<message>}, with {@code @me} for a direct message's missing guild and {@code -}
 * for a card not posted yet.
 */
final class DiscordReplyTo {
    private static final Pattern FORM = Pattern.compile("discord:(\\d{1,20}|@me)/(\\d{1,20})/(\\d{1,20}|-)");

    private DiscordReplyTo() {
    }

    static String encode(ReplyAddress a) {
        return "discord:" + (a.guildId() == null ? "@me" : a.guildId()) + "/" + a.channelId() + "/"
                + (a.cardMessageId() == null ? "-" : a.cardMessageId());
    }

    /** Empty for a reply address of another platform (or none). */
    static Optional<ReplyAddress> decode(String replyTo) {
        Matcher m = replyTo == null ? null : FORM.matcher(replyTo);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ReplyAddress(m.group(1).equals("@me") ? null : m.group(1), m.group(2),
                m.group(3).equals("-") ? null : m.group(3)));
    }
}
