package dev.vqclip.twitter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The X app's consumer key and secret and the bot account's access token and secret (OAuth 1.0a user context).
 * {@link #toString()} never shows them.
 */
public record XCredentials(String apiKey, String apiSecret, String accessToken, String accessSecret) {
    public static final List<String> NAMES = List.of("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_SECRET");

    public XCredentials {
        String[] values = {apiKey, apiSecret, accessToken, accessSecret};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].isBlank()) {
                throw new IllegalArgumentException(NAMES.get(i) + " is missing or empty; X needs all of " + NAMES);
            }
            if (!values[i].strip().equals(values[i]) || values[i].chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException(NAMES.get(i) + " must be printable ASCII without spaces");
            }
        }
    }

    /**
     * From the environment when any of the four variables is set, else from {@code file} (four {@code NAME=value}
     * lines) when given; empty when neither is configured (X stays off).
     */
    public static Optional<XCredentials> load(Map<String, String> env, Path file) {
        if (NAMES.stream().anyMatch(env::containsKey)) {
            return Optional.of(of(env, "the environment"));
        }
        if (file == null) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the X credentials file " + file + ": " + e, e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String name = eq < 0 ? l : l.substring(0, eq).strip();
            if (eq < 0 || !NAMES.contains(name)) {
                throw new IllegalArgumentException(file + " line " + n + ": expected NAME=value with NAME one of " + NAMES);
            }
            values.put(name, l.substring(eq + 1).strip());
        }
        return Optional.of(of(values, file.toString()));
    }

    private static XCredentials of(Map<String, String> values, String source) {
        try {
            return new XCredentials(values.get(NAMES.get(0)), values.get(NAMES.get(1)), values.get(NAMES.get(2)),
                    values.get(NAMES.get(3)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("X credentials from " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "XCredentials[hidden]";
    }
}
