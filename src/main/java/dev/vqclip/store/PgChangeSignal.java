package dev.vqclip.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-process wake-ups through PostgreSQL {@code LISTEN/NOTIFY} on channel {@value #CHANNEL}: a daemon thread
 * holds one dedicated connection that listens, and turns every notification into a local signal. Waiters still
 * return after their timeout, so a lost connection degrades to polling.
 */
final class PgChangeSignal implements ChangeSignal {
    static final String CHANNEL = "vqclip_jobs";
    private static final Logger log = LoggerFactory.getLogger(PgChangeSignal.class);

    private final Database db;
    private final LocalChangeSignal local = new LocalChangeSignal();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final Thread listener;

    PgChangeSignal(Database db) {
        this.db = db;
        this.listener = new Thread(this::listen, "vqclip-pg-listen");
        listener.setDaemon(true);
        listener.start();
    }

    private void listen() {
        while (open.get()) {
            try (Connection c = db.dedicatedConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (open.get()) {
                    var notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        local.signalChange();
                    }
                }
            } catch (SQLException e) {
                if (open.get()) {
                    log.warn("LISTEN {} failed ({}); waiters fall back to polling until it reconnects", CHANNEL, e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void awaitChange(Duration max) throws InterruptedException {
        local.awaitChange(max);
    }

    @Override
    public void signalChange() {
        local.signalChange();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("NOTIFY " + CHANNEL);
        } catch (SQLException e) {
            log.warn("NOTIFY {} failed: {}", CHANNEL, e.getMessage());
        }
    }

    @Override
    public void close() {
        open.set(false);
        local.close();
        listener.interrupt();
    }
}
