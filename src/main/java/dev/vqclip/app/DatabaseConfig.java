package dev.vqclip.app;

import java.nio.file.Path;

/**
 * Which database to open and how many connections this process may hold.
 *
 * @param url      a JDBC URL (jdbc:h2:... or jdbc:postgresql:...)
 * @param user     null when the URL or the server needs none
 * @param password null when none; read from an environment variable, never from a flag
 * @param poolSize connections this process may hold (PostgreSQL: one more listens for changes)
 */
public record DatabaseConfig(String url, String user, String password, int poolSize) {
    /** Enough for a worker, the watcher, the web pages and the adapters at once. */
    public static final int DEFAULT_POOL = 8;

    public DatabaseConfig {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("--db must be a JDBC URL (jdbc:h2:... or jdbc:postgresql:...), got '"
                    + url + "'");
        }
        if (poolSize < 2 || poolSize > 64) {
            throw new IllegalArgumentException("--db-pool must be 2..64 connections, got " + poolSize);
        }
        user = user == null || user.isBlank() ? null : user;
    }

    /** The URL alone, with no credentials and the default pool. */
    public static DatabaseConfig of(String url) {
        return new DatabaseConfig(url, null, null, DEFAULT_POOL);
    }

    /** The H2 file database in data/, reachable by a second local process (imagine --via-queue, queue) while serve holds it. */
    public static String defaultUrl() {
        return StoreFactory.h2FileUrl(Path.of("data")) + ";AUTO_SERVER=TRUE";
    }

    /** {@code url} when given, else {@link #defaultUrl()}. */
    public static String urlOrDefault(String url) {
        return url == null || url.isBlank() ? defaultUrl() : url;
    }

    @Override
    public String toString() {
        // the password never reaches a log line
        return "DatabaseConfig[url=" + StoreFactory.redacted(url) + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
