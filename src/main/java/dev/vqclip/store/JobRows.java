package dev.vqclip.store;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.RecipeJson;
import dev.vqclip.job.UserRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a {@code gen_job} row (joined with its user) reads as a {@link Job}, shared by every store that lists jobs. */
final class JobRows {
    static final String COLUMNS = "j.id, j.user_key, u.display_name, j.recipe, j.reply_to, j.state, j.lane, j.vstart, "
            + "j.est_gpu_ms, j.batch_key, j.prompt_text, j.parent_id, j.created_ms, j.started_ms, j.finished_ms, j.worker_id, "
            + "j.lease_token, j.lease_until_ms, j.attempts, j.max_attempts, j.progress_iter, j.progress_total, "
            + "j.progress_loss, j.preview_iter, j.cancel_requested, j.cancelled_by, j.error, j.actual_gpu_ms, "
            + "j.delivered_ms, j.delivery_ref";
    static final String FROM = " FROM gen_job j JOIN sched_user u ON u.user_key = j.user_key ";
    /** Fair order: lane first, then the start tag, then arrival. */
    static final String CLAIM_ORDER = " ORDER BY j.lane DESC, j.vstart, j.id ";

    private JobRows() {
    }

    /** {@code SELECT COLUMNS FROM ... <where>} in one transaction, every row mapped. */
    static List<Job> query(Database db, String what, String where, Object... params) {
        return Sql.transaction(db, what, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + where)) {
                Sql.bind(ps, params);
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(map(rs));
                    }
                }
                return jobs;
            }
        });
    }

    static Optional<Job> find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + "WHERE j.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    static Job map(ResultSet rs) throws SQLException {
        String userKey = rs.getString("user_key");
        return new Job(rs.getLong("id"), UserRef.ofKey(userKey, rs.getString("display_name")),
                RecipeJson.read(rs.getString("recipe")), rs.getString("reply_to"), JobState.valueOf(rs.getString("state")),
                Lane.ofPriority(rs.getInt("lane")), rs.getLong("vstart"), rs.getLong("est_gpu_ms"), rs.getString("batch_key"),
                rs.getString("prompt_text"), nullableLong(rs, "parent_id"), instant(rs, "created_ms"), instant(rs, "started_ms"),
                instant(rs, "finished_ms"), rs.getString("worker_id"), rs.getLong("lease_token"), instant(rs, "lease_until_ms"),
                rs.getInt("attempts"), rs.getInt("max_attempts"), rs.getInt("progress_iter"), rs.getInt("progress_total"),
                nullableDouble(rs, "progress_loss"), nullableInt(rs, "preview_iter"), rs.getBoolean("cancel_requested"),
                rs.getString("cancelled_by"), rs.getString("error"), nullableLong(rs, "actual_gpu_ms"),
                instant(rs, "delivered_ms"), rs.getString("delivery_ref"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long ms = nullableLong(rs, column);
        return ms == null ? null : Instant.ofEpochMilli(ms);
    }
}
