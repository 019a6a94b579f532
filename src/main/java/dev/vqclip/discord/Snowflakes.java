package dev.vqclip.discord;

import net.dv8tion.jda.api.utils.MiscUtil;

/** Validation of Discord ids, which are unsigned 64-bit integers written in decimal. */
final class Snowflakes {
    private Snowflakes() {
    }

    static String require(String what, String id) {
        try {
            if (id != null && !id.startsWith("+")) {
                MiscUtil.parseSnowflake(id);
                return id;
            }
        } catch (NumberFormatException notAnId) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(what + " must be a decimal Discord id, got '" + id + "'");
    }

    static String optional(String what, String id) {
        return id == null ? null : require(what, id);
    }
}
