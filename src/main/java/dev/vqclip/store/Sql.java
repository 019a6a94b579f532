package dev.vqclip.store;

import java.sql.Connection;
import java.sql.SQLException;

/** The stores' JDBC plumbing: one pooled connection per call, failures as a StoreException naming what failed. */
final class Sql {
    private Sql() {
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} on a connection in auto-commit mode (reads, single statements). */
    static <T> T read(Database db, String what, Work<T> work) {
        try (Connection c = db.dataSource().getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    static <T> T transaction(Database db, String what, Work<T> work) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }
}
