package dev.vqclip.app;

import dev.vqclip.store.Connections;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.nio.file.Path;
import java.time.Clock;

/** The one place that builds store objects: every command and the server open their database here. */
public final class StoreFactory {
    private StoreFactory() {
    }

    /**
     * Opens (creating and migrating when needed) the database, with a job store whose times come from the database's
     * clock, so processes with skewed clocks still agree on leases and quota windows.
     */
    public static Stores open(DatabaseConfig config, Clock local) {
        Database db = connect(config);
        try {
            return new Stores(db, JdbcJobStore.withDatabaseTime(db, local));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Like {@link #open}, but the job store keeps time with {@code clock} (a reader that compares no leases). */
    public static Stores openOnLocalTime(DatabaseConfig config, Clock clock) {
        Database db = connect(config);
        try {
            return new Stores(db, new JdbcJobStore(db, clock));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database connect(DatabaseConfig config) {
        return Database.open(config.url(), config.user(), config.password(),
                Connections.defaults().withPoolSize(config.poolSize()));
    }

    /** The embedded default's URL: an H2 file database at {@code dir/vqclip}. */
    public static String h2FileUrl(Path dir) {
        return Database.h2FileUrl(dir);
    }

    /** {@code url} with any password in it masked, for messages. */
    public static String redacted(String url) {
        return Database.redacted(url);
    }
}
