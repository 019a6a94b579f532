package dev.vqclip.discord;

/**
 * The Discord user behind a request, as the job system needs to know them.
 *
 * @param userId      the Discord user id (snowflake, decimal)
 * @param displayName shown in queue listings; never used for identity
 * @param moderator   true when the user holds Manage Messages where they asked, so they may act on others' jobs
 */
public record Requester(String userId, String displayName, boolean moderator) {
    public Requester {
        Snowflakes.require("requester user id", userId);
        if (displayName == null || displayName.isBlank()) {
            throw new IllegalArgumentException("requester display name must not be empty (user " + userId + ")");
        }
    }
}
