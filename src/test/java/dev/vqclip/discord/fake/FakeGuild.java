package dev.vqclip.discord.fake;

import java.util.List;

/**
 * A server of the fake Discord: one text channel, a moderator role (Manage Messages and Manage Server) and its
 * members; a member whose {@link FakeUser#moderator()} is set holds that role here.
 */
public record FakeGuild(long id, long channelId, long moderatorRoleId, List<FakeUser> members) {
    public FakeGuild {
        members = List.copyOf(members);
    }

    public boolean hasMember(long userId) {
        return members.stream().anyMatch(u -> u.id() == userId);
    }
}
