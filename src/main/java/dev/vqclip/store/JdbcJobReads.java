package dev.vqclip.store;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobReads;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;

/** Reads of stored jobs over JDBC; each is one short transaction and takes no row locks. */
final class JdbcJobReads implements JobReads {
    private final Database db;

    JdbcJobReads(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Job> find(long jobId) {
        return JobRows.query(db, "find job " + jobId, "WHERE j.id = ?", jobId).stream().findFirst();
    }

    @Override
    public Optional<Job> findByIdemKey(String idemKey) {
        return JobRows.query(db, "find job by request id", "WHERE j.idem_key = ?", idemKey).stream().findFirst();
    }

    @Override
    public List<Job> queued() {
        return JobRows.query(db, "list the queue", "WHERE j.state = 'QUEUED'" + JobRows.CLAIM_ORDER);
    }

    @Override
    public List<Job> running() {
        return JobRows.query(db, "list running jobs", "WHERE j.state = 'RUNNING' ORDER BY j.started_ms, j.id");
    }

    @Override
    public List<Job> byUser(String userKey, int limit) {
        return JobRows.query(db, "list jobs of " + userKey, "WHERE j.user_key = ? ORDER BY j.id DESC "
                + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", userKey);
    }

    @Override
    public List<Job> openOrFinishedSince(long sinceMs) {
        return JobRows.query(db, "list changed jobs", "WHERE j.state IN ('QUEUED', 'RUNNING') "
                + "OR j.finished_ms >= ? ORDER BY j.id", sinceMs);
    }

    @Override
    public Ahead aheadOf(long jobId) {
        return Sql.transaction(db, "count the jobs ahead of job " + jobId, c -> {
            int jobs;
            long queuedMs;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(q.est_gpu_ms), 0) "
                    + "FROM gen_job q JOIN gen_job me ON me.id = ? WHERE q.state = 'QUEUED' AND (q.lane > me.lane "
                    + "OR (q.lane = me.lane AND (q.vstart < me.vstart OR (q.vstart = me.vstart AND q.id < me.id))))")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    jobs = rs.getInt(1);
                    queuedMs = rs.getLong(2);
                }
            }
            long runningLeft = Sql.scalarLong(c, "SELECT COALESCE(SUM(est_gpu_ms - est_gpu_ms * progress_iter / "
                    + "CASE WHEN progress_total > 0 THEN progress_total ELSE 1 END), 0) FROM gen_job WHERE state = 'RUNNING'");
            return new Ahead(jobs, queuedMs, Math.max(0, runningLeft));
        });
    }

    @Override
    public Optional<byte[]> result(long jobId) {
        return bytes("read the result of job " + jobId, "SELECT png FROM job_result WHERE job_id = ?", jobId);
    }

    @Override
    public Optional<byte[]> preview(long jobId) {
        return bytes("read the preview of job " + jobId, "SELECT preview_png FROM gen_job WHERE id = ?", jobId);
    }

    private Optional<byte[]> bytes(String what, String sql, long id) {
        return Sql.transaction(db, what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }
}
