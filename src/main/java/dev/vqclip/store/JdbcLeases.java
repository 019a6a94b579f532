package dev.vqclip.store;

import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Changes;
import dev.vqclip.job.Heartbeat;
import dev.vqclip.job.Job;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Leases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lease-fenced writes over JDBC: every UPDATE names the lease token and the state it expects, so a write from a
 * stale lease changes no row and reports false.
 */
final class JdbcLeases implements Leases {
    private final Database db;
    private final Clock clock;
    private final Changes changes;

    JdbcLeases(Database db, Clock clock, Changes changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public Heartbeat heartbeat(Lease lease, int iteration, Double loss, Duration leaseLength) {
        long nowMs = clock.millis();
        return Sql.transaction(db, "heartbeat of job " + lease.jobId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE gen_job SET lease_until_ms = ?, progress_iter = ?, "
                    + "progress_loss = ? WHERE id = ? AND lease_token = ? AND state = 'RUNNING'")) {
                ps.setLong(1, nowMs + leaseLength.toMillis());
                ps.setInt(2, iteration);
                if (loss == null || !Double.isFinite(loss)) {
                    ps.setNull(3, Types.DOUBLE);
                } else {
                    ps.setDouble(3, loss);
                }
                ps.setLong(4, lease.jobId());
                ps.setLong(5, lease.token());
                if (ps.executeUpdate() == 0) {
                    return Heartbeat.LOST;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT cancel_requested FROM gen_job WHERE id = ?")) {
                ps.setLong(1, lease.jobId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1) ? Heartbeat.CANCEL_REQUESTED : Heartbeat.ALIVE;
                }
            }
        });
    }

    @Override
    public boolean storePreview(Lease lease, int iteration, byte[] png) {
        boolean stored = Sql.transaction(db, "store a preview of job " + lease.jobId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE gen_job SET preview_iter = ?, preview_png = ? "
                    + "WHERE id = ? AND lease_token = ? AND state = 'RUNNING'")) {
                ps.setInt(1, iteration);
                ps.setBytes(2, png);
                ps.setLong(3, lease.jobId());
                ps.setLong(4, lease.token());
                return ps.executeUpdate() == 1;
            }
        });
        return signalIf(stored);
    }

    @Override
    public boolean complete(Lease lease, byte[] png, int iterations, double loss, long actualGpuMs) {
        return commitDone(lease, png, iterations, loss, actualGpuMs, "state = 'RUNNING'");
    }

    @Override
    public boolean adopt(Lease lease, byte[] png, int iterations, long actualGpuMs) {
        // QUEUED with the same token: re-queued after the crash and not claimed since, so this render is the latest
        return commitDone(lease, png, iterations, Double.NaN, actualGpuMs, "state IN ('RUNNING', 'QUEUED')");
    }

    private boolean commitDone(Lease lease, byte[] png, int iterations, double loss, long actualGpuMs, String stateRule) {
        long nowMs = clock.millis();
        boolean done = Sql.transaction(db, "complete job " + lease.jobId(), c -> {
            int rows = update(c, "UPDATE gen_job SET state = 'DONE', finished_ms = ?, progress_iter = ?, progress_loss = ?, "
                    + "actual_gpu_ms = ?, lease_until_ms = NULL, preview_png = NULL WHERE id = ? AND lease_token = ? AND " + stateRule,
                    nowMs, iterations, Double.isFinite(loss) ? loss : null, actualGpuMs, lease.jobId(), lease.token());
            if (rows == 0) {
                return false; // fenced: a newer claim owns the job, or it was reaped
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO job_result (job_id, png) VALUES (?, ?)")) {
                ps.setLong(1, lease.jobId());
                ps.setBytes(2, png);
                ps.executeUpdate();
            }
            return true;
        });
        return signalIf(done);
    }

    @Override
    public boolean fail(Lease lease, String reason, long actualGpuMs) {
        return finish(lease, "FAILED", JobRows.truncate(reason, 2000), actualGpuMs);
    }

    @Override
    public boolean cancelled(Lease lease, long actualGpuMs) {
        return finish(lease, "CANCELLED", null, actualGpuMs);
    }

    private boolean finish(Lease lease, String state, String error, long actualGpuMs) {
        long nowMs = clock.millis();
        return signalIf(Sql.transaction(db, "end job " + lease.jobId() + " as " + state, c -> update(c,
                "UPDATE gen_job SET state = ?, error = ?, finished_ms = ?, actual_gpu_ms = ?, lease_until_ms = NULL, "
                        + "preview_png = NULL WHERE id = ? AND lease_token = ? AND state = 'RUNNING'",
                state, error, nowMs, actualGpuMs, lease.jobId(), lease.token()) == 1));
    }

    @Override
    public boolean release(Lease lease) {
        return signalIf(Sql.transaction(db, "release job " + lease.jobId(), c -> update(c,
                "UPDATE gen_job SET state = 'QUEUED', worker_id = NULL, lease_until_ms = NULL, attempts = attempts - 1, "
                        + "progress_iter = 0 WHERE id = ? AND lease_token = ? AND state = 'RUNNING'",
                lease.jobId(), lease.token()) == 1));
    }

    @Override
    public List<Job> reapExpired() {
        long nowMs = clock.millis();
        List<Job> expired = JobRows.query(db, "find expired leases", "WHERE j.state = 'RUNNING' AND j.lease_until_ms < ?",
                nowMs);
        List<Job> reaped = new ArrayList<>();
        for (Job job : expired) {
            // each UPDATE re-checks the expiry: a heartbeat that landed since the read above keeps the job
            boolean changed = Sql.transaction(db, "reap job " + job.id(), c -> {
                if (job.cancelRequested()) {
                    return update(c, "UPDATE gen_job SET state = 'CANCELLED', finished_ms = ?, preview_png = NULL "
                            + "WHERE id = ? AND lease_token = ? AND state = 'RUNNING' AND lease_until_ms < ?",
                            nowMs, job.id(), job.leaseToken(), nowMs) == 1;
                }
                if (job.attempts() >= job.maxAttempts()) {
                    return update(c, "UPDATE gen_job SET state = 'FAILED', finished_ms = ?, error = ?, preview_png = NULL "
                            + "WHERE id = ? AND lease_token = ? AND state = 'RUNNING' AND lease_until_ms < ?", nowMs,
                            "the job was interrupted " + job.attempts() + " times (its worker stopped answering); giving up",
                            job.id(), job.leaseToken(), nowMs) == 1;
                }
                // back to the queue with its old vstart, so it goes straight back to the front
                return update(c, "UPDATE gen_job SET state = 'QUEUED', worker_id = NULL, lease_until_ms = NULL, "
                        + "progress_iter = 0 WHERE id = ? AND lease_token = ? AND state = 'RUNNING' AND lease_until_ms < ?",
                        job.id(), job.leaseToken(), nowMs) == 1;
            });
            if (changed) {
                reaped.add(job);
            }
        }
        signalIf(!reaped.isEmpty());
        return reaped;
    }

    @Override
    public int requeueAllRunning() {
        long nowMs = clock.millis();
        int n = Sql.transaction(db, "re-queue orphaned jobs", c -> {
            // the attempt was counted at claim: a job whose render took its process down every time ends here
            update(c, "UPDATE gen_job SET state = 'FAILED', finished_ms = ?, lease_until_ms = NULL, preview_png = NULL, error = "
                    + "'this job stopped the rendering process ' || CAST(attempts AS VARCHAR(10)) || ' times (a crash or "
                    + "an out-of-memory kill while it ran); it was not retried again' "
                    + "WHERE state = 'RUNNING' AND attempts >= max_attempts AND cancel_requested = FALSE", nowMs);
            update(c, "UPDATE gen_job SET state = 'CANCELLED', finished_ms = ?, lease_until_ms = NULL, "
                    + "preview_png = NULL WHERE state = 'RUNNING' AND cancel_requested = TRUE", nowMs);
            return update(c, "UPDATE gen_job SET state = 'QUEUED', worker_id = NULL, lease_until_ms = NULL, "
                    + "progress_iter = 0 WHERE state = 'RUNNING'");
        });
        changes.signalChange();
        return n;
    }

    private boolean signalIf(boolean changed) {
        if (changed) {
            changes.signalChange();
        }
        return changed;
    }
}
