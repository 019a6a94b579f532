package dev.vqclip.store;

import static dev.vqclip.store.Sql.scalarLong;
import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Job;
import dev.vqclip.job.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The claim paths of {@link JdbcJobQueue}: QUEUED → RUNNING under a new lease token, in fair order, at most
 * {@code maxRunningPerUser} running jobs per user (serialised on the user's row), and the virtual clock moved on.
 */
final class JdbcClaims {
    /** The user may not already run K jobs: checked in the candidate read and again in the claiming UPDATE. */
    private static final String UNDER_RUNNING_CAP = "(SELECT COUNT(*) FROM gen_job r WHERE r.user_key = j.user_key "
            + "AND r.state = 'RUNNING') < ?";
    /** A job that used all its attempts is never claimed again (a crash re-queue that missed it cannot loop). */
    private static final String CLAIMABLE = "j.attempts < j.max_attempts";

    private final Database db;
    private final Clock clock;

    JdbcClaims(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    List<Job> candidates(int limit, int maxRunningPerUser) {
        return JobRows.query(db, "read claim candidates", "WHERE j.state = 'QUEUED' AND " + CLAIMABLE + " AND "
                + UNDER_RUNNING_CAP + JobRows.CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY", maxRunningPerUser);
    }

    List<Job> batchCandidates(String batchKey, long maxVstart, int limit) {
        return JobRows.query(db, "read batch candidates", "WHERE j.state = 'QUEUED' AND j.batch_key = ? "
                + "AND j.vstart <= ? AND " + CLAIMABLE + JobRows.CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY",
                batchKey, maxVstart);
    }

    /**
     * The next job for a worker. PostgreSQL locks only the head row with SKIP LOCKED, so parallel claimers take
     * rows 1, 2, 3…; H2 locks every matching row when asked for SKIP LOCKED (scheduler.md §2.4), so there the
     * candidates are read unlocked and claimed by compare-and-set, in order.
     */
    Optional<Lease> claimNext(String workerId, Duration lease, int maxRunningPerUser) {
        if (db.dialect() == Dialect.POSTGRESQL) {
            return claimSkipLocked(workerId, lease, maxRunningPerUser);
        }
        for (Job candidate : candidates(16, maxRunningPerUser)) {
            Optional<Lease> won = claim(candidate.id(), workerId, lease, maxRunningPerUser);
            if (won.isPresent()) {
                return won;
            }
        }
        return Optional.empty();
    }

    private Optional<Lease> claimSkipLocked(String workerId, Duration lease, int maxRunningPerUser) {
        // a head whose user reached K while we waited for their row is given back; the next read no longer sees it
        for (int attempt = 0; attempt < 8; attempt++) {
            long nowMs = clock.millis();
            Optional<Optional<long[]>> claimed = Sql.transaction(db, "claim for " + workerId, c -> {
                long id;
                long vstart;
                String userKey;
                try (PreparedStatement ps = c.prepareStatement("SELECT j.id, j.vstart, j.user_key FROM gen_job j WHERE "
                        + "j.state = 'QUEUED' AND " + CLAIMABLE + " AND " + UNDER_RUNNING_CAP + JobRows.CLAIM_ORDER
                        + "FETCH FIRST 1 ROWS ONLY FOR UPDATE SKIP LOCKED")) {
                    ps.setInt(1, maxRunningPerUser);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.of(Optional.<long[]>empty());
                        }
                        id = rs.getLong(1);
                        vstart = rs.getLong(2);
                        userKey = rs.getString(3);
                    }
                }
                if (!lockUserUnderCap(c, userKey, maxRunningPerUser)) {
                    c.rollback();
                    return Optional.<Optional<long[]>>empty();
                }
                update(c, "UPDATE gen_job SET state = 'RUNNING', worker_id = ?, lease_token = lease_token + 1, "
                        + "attempts = attempts + 1, started_ms = ?, lease_until_ms = ? WHERE id = ?",
                        workerId, nowMs, nowMs + lease.toMillis(), id);
                long token = scalarLong(c, "SELECT lease_token FROM gen_job WHERE id = " + id);
                return Optional.of(Optional.of(new long[] {id, token, vstart}));
            });
            if (claimed.isPresent()) {
                claimed.get().ifPresent(t -> advanceVirtualClock(t[2]));
                return claimed.get().map(t -> new Lease(t[0], t[1], workerId));
            }
        }
        return Optional.empty();
    }

    /**
     * Serialises claims per user: locks the user's row (after the job's, the order every writer keeps) and counts
     * their running jobs again, now that every claim that held the lock before us has committed.
     */
    private static boolean lockUserUnderCap(Connection c, String userKey, int maxRunningPerUser) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_key FROM sched_user WHERE user_key = ? FOR UPDATE")) {
            ps.setString(1, userKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM gen_job WHERE user_key = ? AND state = 'RUNNING'")) {
            ps.setString(1, userKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) < maxRunningPerUser;
            }
        }
    }

    Optional<Lease> claim(long jobId, String workerId, Duration lease, int maxRunningPerUser) {
        long nowMs = clock.millis();
        Optional<long[]> claimed = Sql.transaction(db, "claim job " + jobId, c -> {
            String userKey;
            try (PreparedStatement ps = c.prepareStatement("SELECT j.user_key FROM gen_job j WHERE j.id = ? "
                    + "AND j.state = 'QUEUED' AND " + CLAIMABLE + " FOR UPDATE")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<long[]>empty();
                    }
                    userKey = rs.getString(1);
                }
            }
            if (!lockUserUnderCap(c, userKey, maxRunningPerUser)) {
                return Optional.<long[]>empty();
            }
            int rows = update(c, "UPDATE gen_job SET state = 'RUNNING', worker_id = ?, lease_token = lease_token + 1, "
                    + "attempts = attempts + 1, started_ms = ?, lease_until_ms = ? WHERE id = ? AND state = 'QUEUED'",
                    workerId, nowMs, nowMs + lease.toMillis(), jobId);
            if (rows == 0) {
                return Optional.<long[]>empty();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT lease_token, vstart FROM gen_job WHERE id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return Optional.of(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        });
        claimed.ifPresent(t -> advanceVirtualClock(t[1]));
        return claimed.map(t -> new Lease(jobId, t[0], workerId));
    }

    /** V := max(V, vstart of the claimed job): monotone, so its own tiny transaction may race harmlessly. */
    private void advanceVirtualClock(long vstart) {
        Sql.transaction(db, "advance the virtual clock", c -> update(c,
                "UPDATE sched_clock SET vtime = ? WHERE id = 1 AND vtime < ?", vstart, vstart));
    }
}
