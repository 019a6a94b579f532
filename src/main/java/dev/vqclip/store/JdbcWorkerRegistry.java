package dev.vqclip.store;

import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.JobService;
import dev.vqclip.job.QueueLoad;
import dev.vqclip.job.WorkerRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/** The worker registry ({@code sched_worker}) and the queue load that admission weighs against it. */
final class JdbcWorkerRegistry implements WorkerRegistry {
    private final Database db;
    private final Clock clock;

    JdbcWorkerRegistry(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void workerSeen(String workerId, Double msPerIteration) {
        long nowMs = clock.millis();
        Sql.transaction(db, "register worker " + workerId, c -> {
            int rows = update(c, "UPDATE sched_worker SET last_seen_ms = ?, ms_per_iteration = COALESCE(?, ms_per_iteration) "
                    + "WHERE worker_id = ?", nowMs, msPerIteration, workerId);
            if (rows == 0) {
                update(c, "INSERT INTO sched_worker (worker_id, started_ms, last_seen_ms, ms_per_iteration) VALUES (?, ?, ?, ?)",
                        workerId, nowMs, nowMs, msPerIteration);
            }
            return rows;
        });
    }

    @Override
    public void workerGone(String workerId) {
        Sql.transaction(db, "unregister worker " + workerId, c -> update(c, "DELETE FROM sched_worker WHERE worker_id = ?",
                workerId));
    }

    @Override
    public QueueLoad queueLoad(Duration workerSeenWithin) {
        return Sql.transaction(db, "read the queue load", c -> queueLoad(c, clock.millis(), workerSeenWithin));
    }

    static QueueLoad queueLoad(Connection c, long nowMs, Duration workerSeenWithin) throws SQLException {
        int queued;
        long queuedMs;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(est_gpu_ms), 0) FROM gen_job WHERE state = 'QUEUED'")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                queued = rs.getInt(1);
                queuedMs = rs.getLong(2);
            }
        }
        int workers;
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sched_worker WHERE last_seen_ms >= ?")) {
            ps.setLong(1, nowMs - workerSeenWithin.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                workers = rs.getInt(1);
            }
        }
        boolean paused = "true".equals(JdbcSettings.settingIn(c, JobService.PAUSED_SETTING).orElse("false"));
        return new QueueLoad(queued, queuedMs, workers, paused);
    }
}
