package dev.vqclip.store;

import java.time.Duration;

/**
 * A process's connection budget and how long a connection may hang. Each process holds at most {@code poolSize}
 * pooled connections plus, on PostgreSQL, one that listens for change notifications; PostgreSQL's default
 * {@code max_connections = 100} (3 reserved for superusers) therefore fits {@code serve} at the default 8 + 1 and
 * 17 workers at {@code --db-pool 4} (5 each).
 *
 * @param poolSize       pooled connections (a worker needs 3 at once: claim/commit, heartbeat, preview)
 * @param connectTimeout opening a connection, and waiting for one from the pool
 * @param socketTimeout  the longest a statement may wait for the server: a half-open connection fails instead of
 *                       hanging the heartbeat thread (TCP keepalive is on as well)
 * @param idleTimeout    an idle pooled connection is closed after this
 */
public record Connections(int poolSize, Duration connectTimeout, Duration socketTimeout, Duration idleTimeout) {
    public Connections {
        if (poolSize < 2 || poolSize > 64) {
            throw new IllegalArgumentException("the connection pool must hold 2..64 connections, got " + poolSize);
        }
        for (Duration d : new Duration[] {connectTimeout, socketTimeout, idleTimeout}) {
            if (d == null || d.toSeconds() < 1) {
                throw new IllegalArgumentException("connection timeouts must be at least 1 s, got " + d);
            }
        }
    }

    /** 8 connections, 10 s to connect, 30 s per statement, idle ones closed after 10 min. */
    public static Connections defaults() {
        return new Connections(8, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }

    public Connections withPoolSize(int size) {
        return new Connections(size, connectTimeout, socketTimeout, idleTimeout);
    }
}
