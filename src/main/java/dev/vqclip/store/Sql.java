package dev.vqclip.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/** The stores' JDBC plumbing: one pooled connection per call, failures as a StoreException naming what failed. */
final class Sql {
    /** SQLSTATE of a unique-constraint violation, the same on H2 and PostgreSQL. */
    private static final String DUPLICATE = "23505";

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

    /** Whether a store call failed on a unique key, i.e. a concurrent writer inserted the same row first. */
    static boolean isDuplicate(StoreException e) {
        return e.getCause() instanceof SQLException sql && isDuplicate(sql);
    }

    static boolean isDuplicate(SQLException e) {
        return DUPLICATE.equals(e.getSQLState());
    }

    /** One statement with positional parameters; returns the rows changed. */
    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static long scalarLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Binds by the value's type; null binds SQL NULL. */
    static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (p instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (p instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setString(i + 1, p.toString());
            }
        }
    }
}
