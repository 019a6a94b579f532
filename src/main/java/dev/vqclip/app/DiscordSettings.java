package dev.vqclip.app;

import dev.vqclip.discord.BotToken;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Discord bot's operator settings. The token itself is read when the bot starts, so a missing or unreadable
 * token file reads as "the Discord bot could not start" with the reason.
 *
 * @param tokenFile       read the token from this file's first line when DISCORD_TOKEN is not set; may be null
 * @param guilds          register slash commands in these guilds only (empty: globally)
 * @param owners          user ids who may change every server's settings
 * @param privateChannels channels whose images stay off the public web gallery
 */
public record DiscordSettings(Path tokenFile, List<String> guilds, List<String> owners, List<String> privateChannels) {
    public DiscordSettings {
        guilds = List.copyOf(guilds);
        owners = List.copyOf(owners);
        privateChannels = List.copyOf(privateChannels);
    }

    /** True when a token is configured, in the environment or by file: only then does serve start the bot. */
    public boolean hasToken(Map<String, String> env) {
        return env.get(BotToken.ENVIRONMENT_VARIABLE) != null || tokenFile != null;
    }

    BotToken token(Map<String, String> env) {
        return BotToken.fromEnvironmentOrFile(env, tokenFile);
    }
}
