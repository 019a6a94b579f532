package dev.vqclip.discord.fake;

import java.util.Map;

/** An error the fake answers instead of doing what was asked, as Discord does. */
public record Fault(int status, String fixture, Map<String, String> values, int retryAfterSeconds) {

    /** 429 with the headers of a per-route limit (Via present, so JDA does not take it for Cloudflare). */
    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(429, "rate_limited.json", Map.of("RETRY_AFTER", Integer.toString(retryAfterSeconds)),
                retryAfterSeconds);
    }

    /** 404 code 10008: the message was deleted. */
    public static Fault unknownMessage() {
        return new Fault(404, "unknown_message.json", Map.of(), 0);
    }

    /** 404 code 10062: the interaction was not acknowledged within 3 s, or its token expired. */
    public static Fault unknownInteraction() {
        return new Fault(404, "unknown_interaction.json", Map.of(), 0);
    }

    /** 403 code 50007: the user closed their DMs (or shares no server with the bot). */
    public static Fault cannotMessageUser() {
        return new Fault(403, "cannot_message_user.json", Map.of(), 0);
    }

    /** 403 code 50013: the bot may not do this in this channel. */
    public static Fault missingPermissions() {
        return new Fault(403, "missing_permissions.json", Map.of(), 0);
    }
}
