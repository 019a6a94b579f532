package dev.vqclip.store;

/** The two databases the store speaks; they differ in claiming and in change notification (scheduler.md §2.4). */
public enum Dialect {
    /** Embedded default: claim by compare-and-set (H2's SKIP LOCKED locks every matching row), wake by polling. */
    H2,
    /** Several workers: claim with FOR UPDATE SKIP LOCKED, wake with LISTEN/NOTIFY. */
    POSTGRESQL;

    public static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("database URL must start with jdbc:h2: or jdbc:postgresql:, got '" + jdbcUrl + "'");
    }
}
