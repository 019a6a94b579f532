package dev.vqclip.job;

import java.util.regex.Pattern;

/**
 * Who asked for a job: the platform, the user's id there, and a display name for listings (never for identity).
 * The key {@code platform:userId} identifies the user for quotas and fairness.
 */
public record UserRef(String platform, String userId, String displayName) {
    private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9]{0,15}");
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@-]{1,60}");

    public UserRef {
        if (platform == null || !PLATFORM.matcher(platform).matches()) {
            throw new IllegalArgumentException("platform must be 1-16 lowercase letters/digits, got '" + platform + "'");
        }
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw new IllegalArgumentException("user id must be 1-60 of [A-Za-z0-9_.@-], got '" + userId + "'");
        }
        displayName = displayName == null || displayName.isBlank() ? userId : displayName.strip();
        if (displayName.length() > 100) {
            displayName = displayName.substring(0, 100);
        }
    }

    public String key() {
        return platform + ":" + userId;
    }

    /** Parses {@code platform:userId} (the display name becomes the id). */
    public static UserRef ofKey(String key, String displayName) {
        int colon = key == null ? -1 : key.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("a user key is 'platform:id', got '" + key + "'");
        }
        return new UserRef(key.substring(0, colon), key.substring(colon + 1), displayName);
    }
}
