package dev.vqclip.discord;

/** Validation of Discord ids, which are unsigned 64-bit integers written in decimal. */
final class Snowflakes {
    private Snowflakes() {
    }

    static String require(String what, String id) {
        if (id == null || !id.matches("\\d{1,20}")) {
            throw new IllegalArgumentException(what + " must be a decimal Discord id, got '" + id + "'");
        }
        return id;
    }

    static String optional(String what, String id) {
        return id == null ? null : require(what, id);
    }
}
