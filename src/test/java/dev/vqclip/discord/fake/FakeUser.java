package dev.vqclip.discord.fake;

/**
 * A member of the fake guilds; {@code moderator} members hold a role with Manage Messages and Manage Server in the
 * guilds they are in. {@code locale} is their Discord client's language, sent with each interaction.
 */
public record FakeUser(long id, String name, boolean moderator, String locale) {
    public FakeUser(long id, String name, boolean moderator) {
        this(id, name, moderator, "en-US");
    }

    public String mention() {
        return "<@" + id + ">";
    }
}
