package dev.vqclip.discord;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The bot's settings, read once by the composition root.
 *
 * @param commandGuildIds register the commands in these guilds only (instant updates while developing);
 *                        empty = register them globally
 * @param previewInterval the least time between two preview edits of one card (Discord tolerates ~5 edits / 5 s)
 * @param models          the VQGAN model names offered as /imagine choices
 * @param endpoints       where Discord is; {@link DiscordEndpoints#DISCORD} except in tests
 * @param botOwnerIds     the users who may change the global settings with {@code /admin … global:True}; a
 *                        server's administrators change only their own server's
 */
public record DiscordConfig(BotToken token, List<String> commandGuildIds, Duration previewInterval,
                            Map<String, GuildDefaults> guildDefaults, List<String> models, DiscordEndpoints endpoints,
                            List<String> botOwnerIds) {
    public static final Duration DEFAULT_PREVIEW_INTERVAL = Duration.ofSeconds(3);

    public DiscordConfig {
        if (token == null) {
            throw new IllegalArgumentException("a Discord bot token is required");
        }
        commandGuildIds = List.copyOf(commandGuildIds);
        commandGuildIds.forEach(id -> Snowflakes.require("command guild id", id));
        if (previewInterval == null || previewInterval.isNegative()) {
            throw new IllegalArgumentException("preview interval must be >= 0, got " + previewInterval);
        }
        guildDefaults = Map.copyOf(guildDefaults);
        models = List.copyOf(models);
        if (models.size() > 25) {
            throw new IllegalArgumentException("Discord allows 25 choices; got " + models.size() + " models");
        }
        if (endpoints == null) {
            throw new IllegalArgumentException("endpoints are required (DiscordEndpoints.DISCORD in production)");
        }
        botOwnerIds = List.copyOf(botOwnerIds);
        botOwnerIds.forEach(id -> Snowflakes.require("bot owner id", id));
    }

    /** A bot without owners: no one changes the global settings from Discord. */
    public DiscordConfig(BotToken token, List<String> commandGuildIds, Duration previewInterval,
                         Map<String, GuildDefaults> guildDefaults, List<String> models, DiscordEndpoints endpoints) {
        this(token, commandGuildIds, previewInterval, guildDefaults, models, endpoints, List.of());
    }

    boolean isBotOwner(String userId) {
        return botOwnerIds.contains(userId);
    }

    GuildDefaults defaultsFor(String guildId) {
        return guildId == null ? null : guildDefaults.get(guildId);
    }
}
