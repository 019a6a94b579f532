package dev.vqclip.store;

import static dev.vqclip.store.Sql.scalarLong;
import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Admission;
import dev.vqclip.job.Changes;
import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobQueue;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.job.QueueLoad;
import dev.vqclip.job.RecipeJson;
import dev.vqclip.job.UserLoad;
import dev.vqclip.prompt.PromptFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The queue over JDBC (H2 or PostgreSQL), after the schema and queries of reference/scheduler.md §7. Fair order is
 * start-time fair queuing: tags are computed at enqueue under the user's row lock, so a claim is one indexed scan
 * ordered by {@code lane DESC, vstart, id}.
 */
final class JdbcJobQueue implements JobQueue {
    /** The user may not already run K jobs: checked in the candidate read and again in the claiming UPDATE. */
    private static final String UNDER_RUNNING_CAP = "(SELECT COUNT(*) FROM gen_job r WHERE r.user_key = j.user_key "
            + "AND r.state = 'RUNNING') < ?";
    /** A job that used all its attempts is never claimed again (a crash re-queue that missed it cannot loop). */
    private static final String CLAIMABLE = "j.attempts < j.max_attempts";

    private final Database db;
    private final Clock clock;
    private final Changes changes;

    JdbcJobQueue(Database db, Clock clock, Changes changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
    }

    @Override
    public EnqueueOutcome enqueue(JobRequest request, long estGpuMs, String batchKey, int maxAttempts, Admission admission) {
        if (estGpuMs < 1) {
            throw new IllegalArgumentException("estimated GPU time must be >= 1 ms, got " + estGpuMs);
        }
        if (request.idemKey() != null) {
            Optional<Job> existing = findByIdemKey(request.idemKey());
            if (existing.isPresent()) {
                return new EnqueueOutcome.Duplicate(existing.get());
            }
        }
        JdbcAccounts.ensureUser(db, clock, request.user());
        long nowMs = clock.millis();
        EnqueueOutcome outcome;
        try {
            outcome = Sql.transaction(db, "enqueue for " + request.user().key(),
                    c -> insert(c, request, nowMs, estGpuMs, batchKey, maxAttempts, admission));
        } catch (StoreException e) {
            // the same request raced in from another thread or process: the first insert wins, this one gets its job
            Optional<Job> existing = request.idemKey() != null && Sql.isDuplicate(e)
                    ? findByIdemKey(request.idemKey()) : Optional.empty();
            if (existing.isEmpty()) {
                throw e;
            }
            return new EnqueueOutcome.Duplicate(existing.get());
        }
        if (outcome instanceof EnqueueOutcome.Enqueued) {
            changes.signalChange();
        }
        return outcome;
    }

    private EnqueueOutcome insert(Connection c, JobRequest request, long nowMs, long estGpuMs, String batchKey,
                                  int maxAttempts, Admission admission) throws SQLException {
        String userKey = request.user().key();
        long vfinish;
        int weight;
        boolean banned;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT vfinish, weight, banned FROM sched_user WHERE user_key = ? FOR UPDATE")) {
            ps.setString(1, userKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                vfinish = rs.getLong(1);
                weight = Math.max(1, rs.getInt(2));
                banned = rs.getBoolean(3);
            }
        }
        UserLoad user = JdbcAccounts.userLoad(c, userKey, clock.millis(), null, banned);
        QueueLoad queue = JdbcWorkerRegistry.queueLoad(c, clock.millis(), Duration.ofMinutes(2));
        Optional<String> refusal = admission.refusal(user, queue, estGpuMs);
        if (refusal.isPresent()) {
            return new EnqueueOutcome.Refused(refusal.get());
        }
        long vtime = scalarLong(c, "SELECT vtime FROM sched_clock WHERE id = 1");
        long vstart = Math.max(vtime, vfinish);
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO gen_job (user_key, idem_key, reply_to, state, lane, "
                + "vstart, est_gpu_ms, batch_key, prompt_text, recipe, parent_id, created_ms, max_attempts, progress_total, "
                + "visibility) VALUES (?, ?, ?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
            int i = 1;
            ps.setString(i++, userKey);
            ps.setString(i++, request.idemKey());
            ps.setString(i++, request.replyTo());
            ps.setInt(i++, request.lane().priority());
            ps.setLong(i++, vstart);
            ps.setLong(i++, estGpuMs);
            ps.setString(i++, batchKey);
            ps.setString(i++, JobRows.truncate(PromptFormat.format(request.recipe().prompts()), 2000));
            ps.setString(i++, RecipeJson.write(request.recipe()));
            if (request.parentId() == null) {
                ps.setNull(i++, Types.BIGINT);
            } else {
                ps.setLong(i++, request.parentId());
            }
            ps.setLong(i++, nowMs);
            ps.setInt(i++, maxAttempts);
            ps.setInt(i++, request.recipe().iterations());
            ps.setString(i, request.visibility().name());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        // SFQ finish tag: the user's next job starts after this one's cost, scaled by the user's weight
        update(c, "UPDATE sched_user SET vfinish = ? WHERE user_key = ?", vstart + estGpuMs / weight, userKey);
        return new EnqueueOutcome.Enqueued(JobRows.find(c, id).orElseThrow());
    }

    private Optional<Job> findByIdemKey(String idemKey) {
        return JobRows.query(db, "find job by request id", "WHERE j.idem_key = ?", idemKey).stream().findFirst();
    }

    @Override
    public List<Job> candidates(int limit, int maxRunningPerUser) {
        return JobRows.query(db, "read claim candidates", "WHERE j.state = 'QUEUED' AND " + CLAIMABLE + " AND "
                + UNDER_RUNNING_CAP + JobRows.CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY", maxRunningPerUser);
    }

    @Override
    public List<Job> batchCandidates(String batchKey, long maxVstart, int limit) {
        return JobRows.query(db, "read batch candidates", "WHERE j.state = 'QUEUED' AND j.batch_key = ? "
                + "AND j.vstart <= ? AND " + CLAIMABLE + JobRows.CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY",
                batchKey, maxVstart);
    }

    /**
     * The next job for a worker. PostgreSQL locks only the head row with SKIP LOCKED, so parallel claimers take
     * rows 1, 2, 3…; H2 locks every matching row when asked for SKIP LOCKED (scheduler.md §2.4), so there the
     * candidates are read unlocked and claimed by compare-and-set, in order.
     */
    @Override
    public Optional<Lease> claimNext(String workerId, Duration lease, int maxRunningPerUser) {
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

    @Override
    public Optional<Lease> claim(long jobId, String workerId, Duration lease, int maxRunningPerUser) {
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

    @Override
    public Optional<JobState> cancel(long jobId, String byUserKey) {
        long nowMs = clock.millis();
        Optional<JobState> result = Sql.transaction(db, "cancel job " + jobId, c -> {
            int queued = update(c, "UPDATE gen_job SET state = 'CANCELLED', finished_ms = ?, cancelled_by = ? "
                    + "WHERE id = ? AND state = 'QUEUED'", nowMs, byUserKey, jobId);
            if (queued == 1) {
                giveBackFinishTag(c, jobId);
                return Optional.of(JobState.CANCELLED);
            }
            int running = update(c, "UPDATE gen_job SET cancel_requested = TRUE, cancelled_by = ? "
                    + "WHERE id = ? AND state = 'RUNNING'", byUserKey, jobId);
            if (running == 1) {
                return Optional.of(JobState.RUNNING);
            }
            return JobRows.find(c, jobId).map(Job::state);
        });
        changes.signalChange();
        return result;
    }

    /** A cancelled queued job that was the user's last gives its slot in virtual time back (scheduler.md §3). */
    private static void giveBackFinishTag(Connection c, long jobId) throws SQLException {
        update(c, "UPDATE sched_user SET vfinish = (SELECT j.vstart FROM gen_job j WHERE j.id = ?) "
                + "WHERE user_key = (SELECT j.user_key FROM gen_job j WHERE j.id = ?) "
                + "AND vfinish = (SELECT j.vstart + j.est_gpu_ms / sched_user.weight FROM gen_job j WHERE j.id = ?)",
                jobId, jobId, jobId);
    }
}
