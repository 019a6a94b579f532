package dev.vqclip.discord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The bot token. Its {@code toString} never shows the value, so logging a config cannot leak it. */
public final class BotToken {
    public static final String ENVIRONMENT_VARIABLE = "DISCORD_TOKEN";
    private final String value;

    public BotToken(String value) {
        if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a Discord bot token must be one non-empty word without spaces");
        }
        this.value = value;
    }

    /** The token from {@code DISCORD_TOKEN}, else from the first line of {@code secretsFile} (if given). */
    public static BotToken fromEnvironmentOrFile(Map<String, String> environment, Path secretsFile) {
        String fromEnv = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new BotToken(fromEnv.trim());
        }
        if (secretsFile == null) {
            throw new IllegalArgumentException("no Discord token: set " + ENVIRONMENT_VARIABLE + " or a secrets file");
        }
        try {
            return new BotToken(Files.readString(secretsFile, StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("").trim());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Discord token file " + secretsFile + ": " + e.getMessage(), e);
        }
    }

    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "BotToken[redacted]";
    }
}
