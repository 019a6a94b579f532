package dev.vqclip.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Real databases for tests: an H2 file database in a temporary directory, and a fresh schema on the PostgreSQL
 * that {@code scripts/test.sh} starts (URL in {@code VQCLIP_TEST_PG_URL}); PostgreSQL tests are skipped, with that
 * reason, when no URL is given.
 */
public final class TestDatabases {
    public static final String PG_URL_ENV = "VQCLIP_TEST_PG_URL";

    private TestDatabases() {
    }

    public static Database h2(Path dir) {
        return Database.open(Database.h2FileUrl(dir));
    }

    /** The PostgreSQL URL given to the test run; skips the calling test when there is none. */
    public static String postgresUrlOrSkip() {
        String url = System.getenv(PG_URL_ENV);
        assumeTrue(url != null && !url.isBlank(), "PostgreSQL tests need " + PG_URL_ENV
                + " (scripts/test.sh starts a PostgreSQL from Debian packages and sets it)");
        return url;
    }

    /** A URL of a new, empty schema on the test PostgreSQL, so tests never see each other's rows. */
    public static String freshPostgresSchemaUrl() {
        String url = postgresUrlOrSkip();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create schema on " + url + ": " + e.getMessage(), e);
        }
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public static Database postgres() {
        return Database.open(freshPostgresSchemaUrl());
    }
}
