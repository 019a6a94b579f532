package dev.vqclip.job;

import dev.vqclip.prompt.Recipe;

/**
 * A job as an adapter hands it to {@link JobService#submit}.
 *
 * @param replyTo  where the result goes, in the adapter's own notation (e.g. a Discord channel and card message);
 *                 the job system stores it and hands it back, never interprets it
 * @param parentId the job this one was rerolled or varied from, or null
 * @param idemKey  the platform's id of the request (interaction id, tweet id): submitting the same key twice
 *                 returns the first job instead of queueing a second one; null when the platform has none
 * @param visibility whether the result may be shown publicly (web gallery); null means PRIVATE
 */
public record JobRequest(UserRef user, Recipe recipe, String replyTo, Lane lane, Long parentId, String idemKey,
                         Visibility visibility) {
    /** The width of the database column the key is kept in. */
    public static final int MAX_IDEM_KEY_LENGTH = 120;

    public JobRequest {
        if (user == null || recipe == null) {
            throw new IllegalArgumentException("a job request needs a user and a recipe");
        }
        replyTo = replyTo == null ? "" : replyTo;
        if (replyTo.length() > 512) {
            throw new IllegalArgumentException("reply address must be at most 512 characters, got " + replyTo.length());
        }
        lane = lane == null ? Lane.NORMAL : lane;
        if (idemKey != null && (idemKey.isBlank() || idemKey.length() > MAX_IDEM_KEY_LENGTH)) {
            throw new IllegalArgumentException("idempotency key must be 1-" + MAX_IDEM_KEY_LENGTH + " characters, got '" + idemKey + "'");
        }
        visibility = visibility == null ? Visibility.PRIVATE : visibility;
    }

    /** A request whose result stays private. */
    public JobRequest(UserRef user, Recipe recipe, String replyTo, Lane lane, Long parentId, String idemKey) {
        this(user, recipe, replyTo, lane, parentId, idemKey, Visibility.PRIVATE);
    }

    public JobRequest(UserRef user, Recipe recipe, String replyTo) {
        this(user, recipe, replyTo, Lane.NORMAL, null, null, Visibility.PRIVATE);
    }
}
