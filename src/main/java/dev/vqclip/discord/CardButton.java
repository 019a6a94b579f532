package dev.vqclip.discord;

import java.util.Optional;

/**
 * The buttons of a job card. A button's custom id carries the action and the job id ({@code vq:reroll:<job>}),
 * so a click can be served after a restart without any in-memory state.
 */
public enum CardButton {
    REROLL("reroll", "🔁", "Reroll"),
    VARY("vary", "🎲", "Variations"),
    CANCEL("cancel", "⏹", "Cancel"),
    DELETE("delete", "🗑", "Delete"),
    INFO("info", "ℹ", "Info"),
    TIMELAPSE("timelapse", "🎞", "Timelapse");

    private static final String PREFIX = "vq:";
    /** Discord's limit on a component's custom id. */
    static final int MAX_ID_LENGTH = 100;

    private final String key;
    private final String emoji;
    private final String label;

    CardButton(String key, String emoji, String label) {
        this.key = key;
        this.emoji = emoji;
        this.label = label;
    }

    public String emoji() {
        return emoji;
    }

    public String label() {
        return label;
    }

    public String customId(String jobId) {
        String id = PREFIX + key + ":" + jobId;
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("job id too long for a button custom id (max "
                    + (MAX_ID_LENGTH - PREFIX.length() - key.length() - 1) + " chars): " + jobId);
        }
        return id;
    }

    /** A decoded click: which button, on which job. */
    public record Press(CardButton button, String jobId) {
    }

    public static Optional<Press> parse(String customId) {
        if (customId == null || !customId.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = customId.substring(PREFIX.length()).split(":", 2);
        if (parts.length != 2 || parts[1].isEmpty()) {
            return Optional.empty();
        }
        for (CardButton b : values()) {
            if (b.key.equals(parts[0])) {
                return Optional.of(new Press(b, parts[1]));
            }
        }
        return Optional.empty();
    }
}
