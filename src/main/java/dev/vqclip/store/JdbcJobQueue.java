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
 * start-time fair queuing: tags are computed at enqueue under the user's row lock, so a claim ({@link JdbcClaims})
 * is one indexed scan ordered by {@code lane DESC, vstart, id}.
 */
final class JdbcJobQueue implements JobQueue {
    private final Database db;
    private final Clock clock;
    private final Changes changes;
    private final JdbcClaims claims;

    JdbcJobQueue(Database db, Clock clock, Changes changes) {
        this.db = db;
        this.clock = clock;
        this.changes = changes;
        this.claims = new JdbcClaims(db, clock);
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
        return claims.candidates(limit, maxRunningPerUser);
    }

    @Override
    public List<Job> batchCandidates(String batchKey, long maxVstart, int limit) {
        return claims.batchCandidates(batchKey, maxVstart, limit);
    }

    @Override
    public Optional<Lease> claimNext(String workerId, Duration lease, int maxRunningPerUser) {
        return claims.claimNext(workerId, lease, maxRunningPerUser);
    }

    @Override
    public Optional<Lease> claim(long jobId, String workerId, Duration lease, int maxRunningPerUser) {
        return claims.claim(jobId, workerId, lease, maxRunningPerUser);
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
