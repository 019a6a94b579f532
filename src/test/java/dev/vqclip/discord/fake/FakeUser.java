package dev.vqclip.discord.fake;

/** A member of the fake guild; {@code moderator} members hold a role with Manage Messages and Manage Server. */
public record FakeUser(long id, String name, boolean moderator) {
    public String mention() {
        return "<@" + id + ">";
    }
}
