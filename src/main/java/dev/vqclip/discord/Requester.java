package dev.vqclip.discord;

import dev.vqclip.job.UserRef;
import java.util.Objects;

/**
 * The Discord user behind a request, as the job system needs to know them.
 *
 * @param userId      the Discord user id (snowflake, decimal)
 * @param displayName shown in queue listings; never used for identity
 * @param moderator   true when the user holds Manage Messages where they asked
 * @param guildId     the server they asked in (null in DMs): a moderator's powers end at its border
 */
public record Requester(String userId, String displayName, boolean moderator, String guildId) {
    /** The job system's name for Discord: a Discord user's key there is {@code discord:<user id>}. */
    public static final String PLATFORM = "discord";

    public Requester {
        Snowflakes.require("requester user id", userId);
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("requester display name must not be empty (user " + userId + ")");
        }
        Snowflakes.optional("requester guild id", guildId);
        if (moderator && guildId == null) {
            throw new IllegalArgumentException("a moderator moderates a server; user " + userId + " has none");
        }
    }

    /** A user outside any server; {@code moderator} must be false there. */
    public Requester(String userId, String displayName, boolean moderator) {
        this(userId, displayName, moderator, null);
    }

    /** Whether this user may act on a job whose card lives at {@code card}: theirs, or a job of the server they moderate. */
    public boolean mayActOn(String ownerId, ReplyAddress card) {
        return userId.equals(ownerId) || moderates(card);
    }

    /** A moderator of the server the card is in; a job of another server (or of DMs) is out of reach. */
    public boolean moderates(ReplyAddress card) {
        return moderator && card != null && Objects.equals(guildId, card.guildId());
    }

    /** This requester as the job system should see them for one job: a moderator only of their own server's jobs. */
    public Requester towards(ReplyAddress card) {
        return moderator && !moderates(card) ? new Requester(userId, displayName, false, guildId) : this;
    }

    /** This user as the job system knows them, for quotas, fairness and listings. */
    public UserRef user() {
        return user(userId, displayName);
    }

    /** A Discord user as the job system knows them; {@code displayName} only labels listings. */
    public static UserRef user(String userId, String displayName) {
        return new UserRef(PLATFORM, userId, displayName);
    }
}
