package dev.vqclip.discord;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The absolute end times an admin types: {@code 2026-12-08 18:00} (UTC), ISO-8601, unix seconds, or {@code <t:…>}. */
final class ContestTimes {
    private static final Pattern DISCORD = Pattern.compile("<t:(\\d+)(?::[tTdDfFR])?>");
    private static final DateTimeFormatter PLAIN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    private ContestTimes() {
    }

    static Instant parse(String option, String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        Matcher m = DISCORD.matcher(t);
        try {
            if (m.matches()) {
                return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
            }
            if (t.matches("\\d{9,11}")) {
                return Instant.ofEpochSecond(Long.parseLong(t));
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}")) {
                return LocalDateTime.parse(t, PLAIN).toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(t);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(option + ": give an absolute time like 2026-12-08 18:00 (UTC), "
                    + "2026-12-08T18:00:00Z or <t:1796580000>, got '" + t + "'");
        }
    }

    /** A Discord timestamp: the reader's own time zone, and a live countdown with {@code R}. */
    static String tag(Instant at, char style) {
        return "<t:" + at.getEpochSecond() + ":" + style + ">";
    }
}
