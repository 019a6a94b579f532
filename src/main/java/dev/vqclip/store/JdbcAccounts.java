package dev.vqclip.store;

import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Accounts;
import dev.vqclip.job.Charge;
import dev.vqclip.job.UserLoad;
import dev.vqclip.job.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Users' rows ({@code sched_user}) and what their jobs cost, over JDBC. */
final class JdbcAccounts implements Accounts {
    private final Database db;
    private final Clock clock;

    JdbcAccounts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public UserLoad userLoad(String userKey, Duration window) {
        return Sql.transaction(db, "read the load of " + userKey, c -> {
            boolean banned = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT banned FROM sched_user WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        banned = rs.getBoolean(1);
                    }
                }
            }
            return userLoad(c, userKey, clock.millis(), window, banned);
        });
    }

    /** @param window null: every charge of the last 400 days (admission filters by its own window) */
    static UserLoad userLoad(Connection c, String userKey, long nowMs, Duration window, boolean banned) throws SQLException {
        int running = 0;
        int queued = 0;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT state, COUNT(*) FROM gen_job WHERE user_key = ? AND state IN ('QUEUED', 'RUNNING') GROUP BY state")) {
            ps.setString(1, userKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("RUNNING".equals(rs.getString(1))) {
                        running = rs.getInt(2);
                    } else {
                        queued = rs.getInt(2);
                    }
                }
            }
        }
        long since = nowMs - (window == null ? Duration.ofDays(400) : window).toMillis();
        List<Charge> charges = new ArrayList<>();
        // a cancelled job costs what it ran (nothing when cancelled while queued)
        try (PreparedStatement ps = c.prepareStatement("SELECT created_ms, COALESCE(actual_gpu_ms, est_gpu_ms), state "
                + "FROM gen_job WHERE user_key = ? AND created_ms > ? AND (state <> 'CANCELLED' OR actual_gpu_ms IS NOT NULL) "
                + "ORDER BY created_ms, id")) {
            ps.setString(1, userKey);
            ps.setLong(2, since);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    charges.add(new Charge(Instant.ofEpochMilli(rs.getLong(1)), rs.getLong(2)));
                }
            }
        }
        return new UserLoad(userKey, running, queued, charges, banned);
    }

    @Override
    public double costCalibration(int jobs) {
        return Sql.transaction(db, "read the cost calibration", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT actual_gpu_ms, est_gpu_ms FROM gen_job WHERE state = 'DONE' "
                    + "AND actual_gpu_ms IS NOT NULL ORDER BY finished_ms DESC FETCH FIRST " + Math.max(1, jobs) + " ROWS ONLY")) {
                double actual = 0;
                double estimated = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        actual += rs.getLong(1);
                        estimated += rs.getLong(2);
                    }
                }
                return estimated > 0 ? actual / estimated : 1.0;
            }
        });
    }

    @Override
    public void setBanned(UserRef user, boolean banned) {
        ensureUser(db, clock, user);
        Sql.transaction(db, "ban " + user.key(), c -> update(c, "UPDATE sched_user SET banned = ? WHERE user_key = ?",
                banned, user.key()));
    }

    /** Creates the user's row, or refreshes its display name; a concurrent insert of the same user is fine. */
    static void ensureUser(Database db, Clock clock, UserRef user) {
        Sql.read(db, "register user " + user.key(), c -> {
            update(c, "UPDATE sched_user SET display_name = ? WHERE user_key = ? AND display_name <> ?",
                    user.displayName(), user.key(), user.displayName());
            try {
                return update(c, "INSERT INTO sched_user (user_key, display_name, created_ms) SELECT ?, ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM sched_user WHERE user_key = ?)",
                        user.key(), user.displayName(), clock.millis(), user.key());
            } catch (SQLException e) {
                if (!Sql.isDuplicate(e)) {
                    throw e;
                }
                return 0;
            }
        });
    }
}
