package dev.vqclip.discord;

/**
 * A guild's defaults for /imagine: the channel cards go to (null = where the command was used), and size and
 * iterations used when the user gives none (null = the job system's defaults).
 */
public record GuildDefaults(String channelId, String size, Integer iterations) {
    public GuildDefaults {
        Snowflakes.optional("default channel id", channelId);
        new ImagineOptions(null, size, null, iterations, null, null, null, null); // same rules as user input
    }

    ImagineOptions fill(ImagineOptions o) {
        return new ImagineOptions(o.seed(), o.size() == null && o.aspect() == null ? size : o.size(), o.aspect(),
                o.iterations() == null ? iterations : o.iterations(), o.initImage(), o.targetImage(), o.model(),
                o.drawer());
    }
}
