package dev.vqclip.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A migrated connection pool. H2 file URLs get {@code WRITE_DELAY=0} (without it H2 loses acknowledged commits on
 * kill -9, scheduler.md §8.3) and a lock timeout; PostgreSQL is used as given.
 */
public final class Database implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final Dialect dialect;
    private final HikariDataSource pool;

    private final Connections connections;

    private Database(String url, String user, String password, Connections connections) {
        this.connections = connections;
        this.dialect = Dialect.ofUrl(url);
        this.url = dialect == Dialect.H2 ? withH2Settings(url) : url;
        this.user = user;
        this.password = password;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(this.url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(connections.poolSize());
        config.setMinimumIdle(Math.min(2, connections.poolSize()));
        config.setConnectionTimeout(connections.connectTimeout().toMillis());
        config.setValidationTimeout(Math.min(5000, connections.connectTimeout().toMillis()));
        config.setIdleTimeout(connections.idleTimeout().toMillis());
        config.setMaxLifetime(Math.max(connections.idleTimeout().toMillis() * 3, Duration.ofMinutes(30).toMillis()));
        config.setKeepaliveTime(Duration.ofMinutes(2).toMillis());
        if (dialect == Dialect.POSTGRESQL) {
            driverProperties().forEach((k, v) -> config.addDataSourceProperty((String) k, v));
        }
        config.setPoolName("vqclip-db");
        config.setAutoCommit(true);
        this.pool = openMigrated(config);
    }

    /** The pool, once migrated; a migration cut short by an H2 hand-over (see {@link #startPool}) starts over. */
    private HikariDataSource openMigrated(HikariConfig config) {
        long deadline = System.nanoTime() + connections.connectTimeout().toNanos();
        while (true) {
            HikariDataSource started = startPool(config);
            try {
                Flyway.configure().dataSource(started).locations("classpath:db/migration/"
                        + dialect.name().toLowerCase(Locale.ROOT)).load().migrate();
                return started;
            } catch (RuntimeException e) {
                started.close();
                if (!(autoServer(url) && h2Handover(e)) || System.nanoTime() > deadline) {
                    throw new StoreException("database " + redacted(this.url) + " could not be migrated: " + e.getMessage(), e);
                }
                pause();
            }
        }
    }

    /**
     * H2 in AUTO_SERVER mode hands the file from a process that died to the next one that opens it; for a few seconds
     * an open can fail while the dead process's lock goes stale (its TCP server refuses, H2 reports a concurrent
     * update or the file as in use). Those opens are retried until the connect timeout; any other failure is final.
     */
    private HikariDataSource startPool(HikariConfig config) {
        long deadline = System.nanoTime() + connections.connectTimeout().toNanos();
        while (true) {
            try {
                return new HikariDataSource(config);
            } catch (RuntimeException e) {
                if (!(autoServer(url) && h2Handover(e)) || System.nanoTime() > deadline) {
                    throw new StoreException("database " + redacted(this.url) + " could not be reached within "
                            + connections.connectTimeout().toSeconds() + " s: " + e.getMessage(), e);
                }
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while opening " + redacted(this.url), interrupted);
        }
    }

    static boolean autoServer(String url) {
        return url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /** H2's codes for "opening failed", "already in use" and "connection broken" (to the dead process's server). */
    static boolean h2Handover(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() == 8000 || sql.getErrorCode() == 90020
                    || sql.getErrorCode() == 90067)) {
                return true;
            }
        }
        return false;
    }

    /** Opens (creating and migrating when needed) the database at {@code url}; credentials may be null. */
    public static Database open(String url, String user, String password) {
        return open(url, user, password, Connections.defaults());
    }

    public static Database open(String url, String user, String password, Connections connections) {
        return new Database(url, user, password, connections);
    }

    /** PostgreSQL driver settings (seconds), unless the URL sets them itself. */
    private Properties driverProperties() {
        Properties p = new Properties();
        String lower = url.toLowerCase(Locale.ROOT);
        putUnlessInUrl(p, lower, "connectTimeout", Long.toString(connections.connectTimeout().toSeconds()));
        putUnlessInUrl(p, lower, "loginTimeout", Long.toString(connections.connectTimeout().toSeconds()));
        putUnlessInUrl(p, lower, "socketTimeout", Long.toString(connections.socketTimeout().toSeconds()));
        putUnlessInUrl(p, lower, "tcpKeepAlive", "true");
        return p;
    }

    private static void putUnlessInUrl(Properties p, String lowerUrl, String key, String value) {
        if (!lowerUrl.contains(key.toLowerCase(Locale.ROOT) + "=")) {
            p.setProperty(key, value);
        }
    }

    public static Database open(String url) {
        return open(url, null, null);
    }

    /** The embedded default: an H2 file database at {@code dir/vqclip}. */
    public static String h2FileUrl(Path dir) {
        return "jdbc:h2:file:" + dir.toAbsolutePath().resolve("vqclip");
    }

    public Dialect dialect() {
        return dialect;
    }

    public String url() {
        return url;
    }

    DataSource dataSource() {
        return pool;
    }

    /** The pool's connections: active, idle, total, threads waiting. */
    int[] poolCounts() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? new int[4] : new int[] {bean.getActiveConnections(), bean.getIdleConnections(),
                bean.getTotalConnections(), bean.getThreadsAwaitingConnection()};
    }

    /** A connection outside the pool (PostgreSQL LISTEN needs one that stays open and unshared). */
    Connection dedicatedConnection() throws SQLException {
        Properties p = dialect == Dialect.POSTGRESQL ? driverProperties() : new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    /** Bytes of an H2 file database on disk; null for PostgreSQL or an in-memory database. */
    Long fileBytes() {
        if (dialect != Dialect.H2 || !url.startsWith("jdbc:h2:file:")) {
            return null;
        }
        String base = url.substring("jdbc:h2:file:".length()).split(";", 2)[0];
        Path file = Path.of(base + ".mv.db");
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    static String withH2Settings(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(url);
        if (!upper.contains("WRITE_DELAY=")) {
            b.append(";WRITE_DELAY=0");
        }
        if (!upper.contains("LOCK_TIMEOUT=")) {
            b.append(";LOCK_TIMEOUT=10000");
        }
        if (!upper.contains("DB_CLOSE_ON_EXIT=") && !upper.contains("AUTO_SERVER=TRUE")) {
            // H2's own shutdown hook would close the database under a worker that is still unregistering on SIGTERM;
            // the process closes its pool itself (H2 refuses this setting together with AUTO_SERVER)
            b.append(";DB_CLOSE_ON_EXIT=FALSE");
        }
        return b.toString();
    }

    public static String redacted(String url) {
        return url.replaceAll("(?i)password=[^;&]*", "password=***");
    }
}
