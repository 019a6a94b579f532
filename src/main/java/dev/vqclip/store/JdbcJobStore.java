package dev.vqclip.store;

import dev.vqclip.job.Admission;
import dev.vqclip.job.Charge;
import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Heartbeat;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.job.QueueLoad;
import dev.vqclip.job.RecipeJson;
import dev.vqclip.job.UserLoad;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job queue over JDBC (H2 or PostgreSQL), after the schema and queries of reference/scheduler.md §7.
 * Fair order is start-time fair queuing: tags are computed at enqueue under the user's row lock, so a claim is one
 * indexed scan ordered by {@code lane DESC, vstart, id}.
 */
public final class JdbcJobStore implements JobStore {
    static final String COLUMNS = "j.id, j.user_key, u.display_name, j.recipe, j.reply_to, j.state, j.lane, j.vstart, "
            + "j.est_gpu_ms, j.batch_key, j.prompt_text, j.parent_id, j.created_ms, j.started_ms, j.finished_ms, j.worker_id, "
            + "j.lease_token, j.lease_until_ms, j.attempts, j.max_attempts, j.progress_iter, j.progress_total, "
            + "j.progress_loss, j.preview_iter, j.cancel_requested, j.cancelled_by, j.error, j.actual_gpu_ms, "
            + "j.delivered_ms, j.delivery_ref";
    static final String FROM = " FROM gen_job j JOIN sched_user u ON u.user_key = j.user_key ";
    private static final String CLAIM_ORDER = " ORDER BY j.lane DESC, j.vstart, j.id ";
    /** The user may not already run K jobs: checked in the candidate read and again in the claiming UPDATE. */
    private static final String UNDER_RUNNING_CAP = "(SELECT COUNT(*) FROM gen_job r WHERE r.user_key = j.user_key "
            + "AND r.state = 'RUNNING') < ?";
    /** A job that used all its attempts is never claimed again (a crash re-queue that missed it cannot loop). */
    private static final String CLAIMABLE = "j.attempts < j.max_attempts";
    private static final String SQL_DUPLICATE = "23505";
    /** The setting row whose due time decides which process runs the next pruning pass (migration V10). */
    private static final String PRUNE_DUE = "prune.due_ms";

    private final Database db;
    private final Clock clock;
    private final ChangeSignal signal;

    public JdbcJobStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
        this.signal = db.dialect() == Dialect.POSTGRESQL ? new PgChangeSignal(db) : new LocalChangeSignal();
    }

    /** A store whose times come from the database's clock, so processes with skewed clocks still agree. */
    public static JdbcJobStore withDatabaseTime(Database db, Clock local) {
        return new JdbcJobStore(db, new DatabaseClock(db, local));
    }

    /** The clock this store writes and compares times with (the database's, for stores made by withDatabaseTime). */
    public Clock clock() {
        return clock;
    }

    private long now() {
        return clock.millis();
    }

    // ---- submit ------------------------------------------------------------------------------------------------

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
        ensureUser(request.user());
        String userKey = request.user().key();
        long nowMs = now();
        EnqueueOutcome outcome = inTransaction("enqueue for " + userKey, c -> {
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
            UserLoad user = userLoad(c, userKey, null, banned);
            QueueLoad queue = queueLoad(c, Duration.ofMinutes(2));
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
                ps.setString(i++, truncate(PromptFormat.format(request.recipe().prompts()), 2000));
                ps.setString(i++, RecipeJson.write(request.recipe()));
                setNullableLong(ps, i++, request.parentId());
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
            return new EnqueueOutcome.Enqueued(findIn(c, id).orElseThrow());
        }, request.idemKey());
        if (outcome instanceof EnqueueOutcome.Enqueued) {
            signalChange();
        }
        return outcome;
    }

    private void ensureUser(UserRef user) {
        try (Connection c = db.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sched_user SET display_name = ? WHERE user_key = ? AND display_name <> ?")) {
                ps.setString(1, user.displayName());
                ps.setString(2, user.key());
                ps.setString(3, user.displayName());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sched_user (user_key, display_name, created_ms) SELECT ?, ?, ? "
                            + "WHERE NOT EXISTS (SELECT 1 FROM sched_user WHERE user_key = ?)")) {
                ps.setString(1, user.key());
                ps.setString(2, user.displayName());
                ps.setLong(3, now());
                ps.setString(4, user.key());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!SQL_DUPLICATE.equals(e.getSQLState())) {
                    throw e; // a concurrent insert of the same user is fine
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not register user " + user.key() + ": " + e.getMessage(), e);
        }
    }

    // ---- claim -------------------------------------------------------------------------------------------------

    @Override
    public List<Job> candidates(int limit, int maxRunningPerUser) {
        return query("read claim candidates", "SELECT " + COLUMNS + FROM + "WHERE j.state = 'QUEUED' AND "
                + CLAIMABLE + " AND " + UNDER_RUNNING_CAP + CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY", maxRunningPerUser);
    }

    @Override
    public List<Job> batchCandidates(String batchKey, long maxVstart, int limit) {
        return query("read batch candidates", "SELECT " + COLUMNS + FROM + "WHERE j.state = 'QUEUED' AND j.batch_key = ? "
                + "AND j.vstart <= ? AND " + CLAIMABLE + CLAIM_ORDER + "FETCH FIRST " + limit + " ROWS ONLY", batchKey, maxVstart);
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
            long nowMs = now();
            Optional<Optional<long[]>> claimed = inTransaction("claim for " + workerId, c -> {
                long id;
                long vstart;
                String userKey;
                try (PreparedStatement ps = c.prepareStatement("SELECT j.id, j.vstart, j.user_key FROM gen_job j WHERE "
                        + "j.state = 'QUEUED' AND " + CLAIMABLE + " AND " + UNDER_RUNNING_CAP + CLAIM_ORDER
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
            }, null);
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
        long nowMs = now();
        Optional<long[]> claimed = inTransaction("claim job " + jobId, c -> {
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
        }, null);
        claimed.ifPresent(t -> advanceVirtualClock(t[1]));
        return claimed.map(t -> new Lease(jobId, t[0], workerId));
    }

    /** V := max(V, vstart of the claimed job): monotone, so its own tiny transaction may race harmlessly. */
    private void advanceVirtualClock(long vstart) {
        run("advance the virtual clock", c -> update(c, "UPDATE sched_clock SET vtime = ? WHERE id = 1 AND vtime < ?",
                vstart, vstart));
    }

    // ---- running -----------------------------------------------------------------------------------------------

    @Override
    public Heartbeat heartbeat(Lease lease, int iteration, Double loss, Duration leaseLength) {
        long nowMs = now();
        return inTransaction("heartbeat of job " + lease.jobId(), c -> {
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
        }, null);
    }

    @Override
    public boolean storePreview(Lease lease, int iteration, byte[] png) {
        boolean stored = inTransaction("store a preview of job " + lease.jobId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE gen_job SET preview_iter = ?, preview_png = ? "
                    + "WHERE id = ? AND lease_token = ? AND state = 'RUNNING'")) {
                ps.setInt(1, iteration);
                ps.setBytes(2, png);
                ps.setLong(3, lease.jobId());
                ps.setLong(4, lease.token());
                return ps.executeUpdate() == 1;
            }
        }, null);
        if (stored) {
            signalChange();
        }
        return stored;
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
        long nowMs = now();
        boolean done = inTransaction("complete job " + lease.jobId(), c -> {
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
        }, null);
        if (done) {
            signalChange();
        }
        return done;
    }

    @Override
    public boolean fail(Lease lease, String reason, long actualGpuMs) {
        return finish(lease, "FAILED", truncate(reason, 2000), actualGpuMs);
    }

    @Override
    public boolean cancelled(Lease lease, long actualGpuMs) {
        return finish(lease, "CANCELLED", null, actualGpuMs);
    }

    private boolean finish(Lease lease, String state, String error, long actualGpuMs) {
        long nowMs = now();
        boolean ended = inTransaction("end job " + lease.jobId() + " as " + state, c -> update(c,
                "UPDATE gen_job SET state = ?, error = ?, finished_ms = ?, actual_gpu_ms = ?, lease_until_ms = NULL, "
                        + "preview_png = NULL WHERE id = ? AND lease_token = ? AND state = 'RUNNING'",
                state, error, nowMs, actualGpuMs, lease.jobId(), lease.token()) == 1, null);
        if (ended) {
            signalChange();
        }
        return ended;
    }

    @Override
    public boolean release(Lease lease) {
        boolean released = inTransaction("release job " + lease.jobId(), c -> update(c,
                "UPDATE gen_job SET state = 'QUEUED', worker_id = NULL, lease_until_ms = NULL, attempts = attempts - 1, "
                        + "progress_iter = 0 WHERE id = ? AND lease_token = ? AND state = 'RUNNING'",
                lease.jobId(), lease.token()) == 1, null);
        if (released) {
            signalChange();
        }
        return released;
    }

    @Override
    public Optional<JobState> cancel(long jobId, String byUserKey) {
        long nowMs = now();
        Optional<JobState> result = inTransaction("cancel job " + jobId, c -> {
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
            return findIn(c, jobId).map(Job::state);
        }, null);
        signalChange();
        return result;
    }

    /** A cancelled queued job that was the user's last gives its slot in virtual time back (scheduler.md §3). */
    private void giveBackFinishTag(Connection c, long jobId) throws SQLException {
        update(c, "UPDATE sched_user SET vfinish = (SELECT j.vstart FROM gen_job j WHERE j.id = ?) "
                + "WHERE user_key = (SELECT j.user_key FROM gen_job j WHERE j.id = ?) "
                + "AND vfinish = (SELECT j.vstart + j.est_gpu_ms / sched_user.weight FROM gen_job j WHERE j.id = ?)",
                jobId, jobId, jobId);
    }

    @Override
    public List<Job> reapExpired() {
        long nowMs = now();
        List<Job> expired = query("find expired leases", "SELECT " + COLUMNS + FROM
                + "WHERE j.state = 'RUNNING' AND j.lease_until_ms < ?", nowMs);
        List<Job> reaped = new ArrayList<>();
        for (Job job : expired) {
            // each UPDATE re-checks the expiry: a heartbeat that landed since the read above keeps the job
            boolean changed = inTransaction("reap job " + job.id(), c -> {
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
            }, null);
            if (changed) {
                reaped.add(job);
            }
        }
        if (!reaped.isEmpty()) {
            signalChange();
        }
        return reaped;
    }

    @Override
    public int requeueAllRunning() {
        long nowMs = now();
        int n = inTransaction("re-queue orphaned jobs", c -> {
            // the attempt was counted at claim: a job whose render took its process down every time ends here
            update(c, "UPDATE gen_job SET state = 'FAILED', finished_ms = ?, lease_until_ms = NULL, preview_png = NULL, error = "
                    + "'this job stopped the rendering process ' || CAST(attempts AS VARCHAR(10)) || ' times (a crash or "
                    + "an out-of-memory kill while it ran); it was not retried again' "
                    + "WHERE state = 'RUNNING' AND attempts >= max_attempts AND cancel_requested = FALSE", nowMs);
            update(c, "UPDATE gen_job SET state = 'CANCELLED', finished_ms = ?, lease_until_ms = NULL, "
                    + "preview_png = NULL WHERE state = 'RUNNING' AND cancel_requested = TRUE", nowMs);
            return update(c, "UPDATE gen_job SET state = 'QUEUED', worker_id = NULL, lease_until_ms = NULL, "
                    + "progress_iter = 0 WHERE state = 'RUNNING'");
        }, null);
        signalChange();
        return n;
    }

    // ---- reads -------------------------------------------------------------------------------------------------

    @Override
    public Optional<Job> find(long jobId) {
        return query("find job " + jobId, "SELECT " + COLUMNS + FROM + "WHERE j.id = ?", jobId).stream().findFirst();
    }

    @Override
    public Optional<Job> findByIdemKey(String idemKey) {
        return query("find job by request id", "SELECT " + COLUMNS + FROM + "WHERE j.idem_key = ?", idemKey)
                .stream().findFirst();
    }

    @Override
    public List<Job> queued() {
        return query("list the queue", "SELECT " + COLUMNS + FROM + "WHERE j.state = 'QUEUED'" + CLAIM_ORDER);
    }

    @Override
    public List<Job> running() {
        return query("list running jobs", "SELECT " + COLUMNS + FROM + "WHERE j.state = 'RUNNING' ORDER BY j.started_ms, j.id");
    }

    @Override
    public List<Job> byUser(String userKey, int limit) {
        return query("list jobs of " + userKey, "SELECT " + COLUMNS + FROM + "WHERE j.user_key = ? ORDER BY j.id DESC "
                + "FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY", userKey);
    }

    @Override
    public List<Job> openOrFinishedSince(long sinceMs) {
        return query("list changed jobs", "SELECT " + COLUMNS + FROM + "WHERE j.state IN ('QUEUED', 'RUNNING') "
                + "OR j.finished_ms >= ? ORDER BY j.id", sinceMs);
    }

    @Override
    public Ahead aheadOf(long jobId) {
        return inTransaction("count the jobs ahead of job " + jobId, c -> {
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
            long runningLeft = scalarLong(c, "SELECT COALESCE(SUM(est_gpu_ms - est_gpu_ms * progress_iter / "
                    + "CASE WHEN progress_total > 0 THEN progress_total ELSE 1 END), 0) FROM gen_job WHERE state = 'RUNNING'");
            return new Ahead(jobs, queuedMs, Math.max(0, runningLeft));
        }, null);
    }

    @Override
    public Optional<byte[]> result(long jobId) {
        return bytes("read the result of job " + jobId, "SELECT png FROM job_result WHERE job_id = ?", jobId);
    }

    @Override
    public Optional<byte[]> preview(long jobId) {
        return bytes("read the preview of job " + jobId, "SELECT preview_png FROM gen_job WHERE id = ?", jobId);
    }

    @Override
    public boolean markDelivered(long jobId, String deliveryRef) {
        long nowMs = now();
        return inTransaction("mark job " + jobId + " delivered", c -> update(c, "UPDATE gen_job SET delivered_ms = ?, "
                + "delivery_ref = ? WHERE id = ? AND delivered_ms IS NULL", nowMs, deliveryRef, jobId) == 1, null);
    }

    @Override
    public boolean markDeliveryFailed(long jobId, String reason) {
        long nowMs = now();
        String kept = reason == null ? "unknown" : reason.length() > 500 ? reason.substring(0, 500) : reason;
        return inTransaction("mark the delivery of job " + jobId + " failed", c -> update(c, "UPDATE gen_job SET "
                + "delivered_ms = ?, delivery_failure = ? WHERE id = ? AND delivered_ms IS NULL", nowMs, kept, jobId) == 1,
                null);
    }

    @Override
    public Optional<String> deliveryFailure(long jobId) {
        return inTransaction("read the delivery failure of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT delivery_failure FROM gen_job WHERE id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        }, null);
    }

    @Override
    public List<Job> undelivered(int limit) {
        return query("list undelivered jobs", "SELECT " + COLUMNS + FROM + "WHERE j.state IN ('DONE', 'FAILED', 'CANCELLED') "
                + "AND j.delivered_ms IS NULL ORDER BY j.finished_ms, j.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY");
    }

    @Override
    public void updateReplyTo(long jobId, String replyTo) {
        run("move the reply of job " + jobId, c -> update(c, "UPDATE gen_job SET reply_to = ? WHERE id = ?", replyTo, jobId));
    }

    @Override
    public UserLoad userLoad(String userKey, Duration window) {
        return inTransaction("read the load of " + userKey, c -> {
            boolean banned = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT banned FROM sched_user WHERE user_key = ?")) {
                ps.setString(1, userKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        banned = rs.getBoolean(1);
                    }
                }
            }
            return userLoad(c, userKey, window, banned);
        }, null);
    }

    /** @param window null: every charge of the last 400 days (admission filters by its own window) */
    private UserLoad userLoad(Connection c, String userKey, Duration window, boolean banned) throws SQLException {
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
        long since = now() - (window == null ? Duration.ofDays(400) : window).toMillis();
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
    public QueueLoad queueLoad(Duration workerSeenWithin) {
        return inTransaction("read the queue load", c -> queueLoad(c, workerSeenWithin), null);
    }

    private QueueLoad queueLoad(Connection c, Duration workerSeenWithin) throws SQLException {
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
            ps.setLong(1, now() - workerSeenWithin.toMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                workers = rs.getInt(1);
            }
        }
        boolean paused = "true".equals(settingIn(c, JobService.PAUSED_SETTING).orElse("false"));
        return new QueueLoad(queued, queuedMs, workers, paused);
    }

    @Override
    public double costCalibration(int jobs) {
        return inTransaction("read the cost calibration", c -> {
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
        }, null);
    }

    @Override
    public void setBanned(UserRef user, boolean banned) {
        ensureUser(user);
        run("ban " + user.key(), c -> update(c, "UPDATE sched_user SET banned = ? WHERE user_key = ?", banned, user.key()));
    }

    @Override
    public void workerSeen(String workerId, Double msPerIteration) {
        long nowMs = now();
        run("register worker " + workerId, c -> {
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
        run("unregister worker " + workerId, c -> update(c, "DELETE FROM sched_worker WHERE worker_id = ?", workerId));
    }

    @Override
    public Optional<String> setting(String name) {
        return inTransaction("read setting " + name, c -> settingIn(c, name), null);
    }

    private static Optional<String> settingIn(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM sched_setting WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void putSetting(String name, String value) {
        run("write setting " + name, c -> {
            int rows = update(c, "UPDATE sched_setting SET setting_value = ? WHERE name = ?", value, name);
            return rows == 0 ? update(c, "INSERT INTO sched_setting (name, setting_value) VALUES (?, ?)", name, value) : rows;
        });
        signalChange();
    }

    @Override
    public boolean compareAndSetSetting(String name, String expected, String value) {
        boolean set;
        try {
            set = inTransaction("write setting " + name, c -> expected == null
                    ? update(c, "INSERT INTO sched_setting (name, setting_value) VALUES (?, ?)", name, value) == 1
                    : update(c, "UPDATE sched_setting SET setting_value = ? WHERE name = ? AND setting_value = ?",
                            value, name, expected) == 1, null);
        } catch (StoreException e) {
            if (expected == null && e.getCause() instanceof SQLException sql && SQL_DUPLICATE.equals(sql.getSQLState())) {
                return false; // someone else wrote it first
            }
            throw e;
        }
        if (set) {
            signalChange();
        }
        return set;
    }

    @Override
    public void awaitChange(Duration max) throws InterruptedException {
        signal.await(max);
    }

    @Override
    public void signalChange() {
        signal.signal();
    }

    @Override
    public void close() {
        signal.close();
    }

    // ---- retention ---------------------------------------------------------------------------------------------

    @Override
    public boolean claimPruning(Duration every) {
        long nowMs = now();
        return inTransaction("claim the pruning pass", c -> update(c, "UPDATE sched_setting SET setting_value = ? "
                + "WHERE name = '" + PRUNE_DUE + "' AND CAST(setting_value AS BIGINT) <= ?",
                Long.toString(nowMs + every.toMillis()), nowMs) == 1, null);
    }

    @Override
    public Pruned prune(Duration keepResults, Duration forgetWorkersAfter) {
        long nowMs = now();
        long before = nowMs - keepResults.toMillis();
        return inTransaction("prune jobs finished before " + Instant.ofEpochMilli(before), c -> {
            String old = "SELECT id FROM gen_job WHERE finished_ms < ? AND state IN ('DONE', 'FAILED', 'CANCELLED')";
            int results = update(c, "DELETE FROM job_result WHERE job_id IN (" + old + ")", before);
            int jobs = update(c, "DELETE FROM gen_job WHERE finished_ms < ? AND state IN ('DONE', 'FAILED', 'CANCELLED')",
                    before);
            int workers = update(c, "DELETE FROM sched_worker WHERE last_seen_ms < ?", nowMs - forgetWorkersAfter.toMillis());
            return new Pruned(jobs, results, workers);
        }, null);
    }

    @Override
    public Stats stats() {
        return inTransaction("read the store's sizes", c -> {
            long jobs = scalarLong(c, "SELECT COUNT(*) FROM gen_job");
            long results = scalarLong(c, "SELECT COUNT(*) FROM job_result");
            long resultBytes = scalarLong(c, "SELECT COALESCE(SUM(OCTET_LENGTH(png)), 0) FROM job_result");
            long previewBytes = scalarLong(c, "SELECT COALESCE(SUM(OCTET_LENGTH(preview_png)), 0) FROM gen_job");
            Long databaseBytes = db.dialect() == Dialect.POSTGRESQL
                    ? Long.valueOf(scalarLong(c, "SELECT pg_database_size(current_database())")) : db.fileBytes();
            return new Stats(jobs, results, resultBytes, previewBytes, databaseBytes);
        }, null);
    }

    // ---- JDBC plumbing -----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction; a duplicate idempotency key turns into the existing job. */
    @SuppressWarnings("unchecked")
    private <T> T inTransaction(String what, Work<T> work, String idemKey) {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (idemKey != null && e instanceof SQLException sql && SQL_DUPLICATE.equals(sql.getSQLState())) {
                    Optional<Job> existing = findByIdemKey(idemKey);
                    if (existing.isPresent()) {
                        return (T) new EnqueueOutcome.Duplicate(existing.get());
                    }
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    private void run(String what, Work<?> work) {
        inTransaction(what, work, null);
    }

    private List<Job> query(String what, String sql, Object... params) {
        return inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(map(rs));
                    }
                }
                return jobs;
            }
        }, null);
    }

    private Optional<Job> findIn(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + FROM + "WHERE j.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private Optional<byte[]> bytes(String what, String sql, long id) {
        return inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        }, null);
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    private static long scalarLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
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

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
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

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
