package dev.vqclip.store;

import static dev.vqclip.store.Sql.scalarLong;
import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Pruning;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Retention over JDBC: who prunes next, what goes, and how big the store is. */
final class JdbcPruning implements Pruning {
    /** The setting row whose due time decides which process runs the next pruning pass (migration V10). */
    private static final String PRUNE_DUE = "prune.due_ms";

    private final Database db;
    private final Clock clock;

    JdbcPruning(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean claimPruning(Duration every) {
        long nowMs = clock.millis();
        return Sql.transaction(db, "claim the pruning pass", c -> update(c, "UPDATE sched_setting SET setting_value = ? "
                + "WHERE name = '" + PRUNE_DUE + "' AND CAST(setting_value AS BIGINT) <= ?",
                Long.toString(nowMs + every.toMillis()), nowMs) == 1);
    }

    @Override
    public Pruned prune(Duration keepResults, Duration forgetWorkersAfter) {
        long nowMs = clock.millis();
        long before = nowMs - keepResults.toMillis();
        return Sql.transaction(db, "prune jobs finished before " + Instant.ofEpochMilli(before), c -> {
            String old = "SELECT id FROM gen_job WHERE finished_ms < ? AND state IN ('DONE', 'FAILED', 'CANCELLED')";
            int results = update(c, "DELETE FROM job_result WHERE job_id IN (" + old + ")", before);
            int jobs = update(c, "DELETE FROM gen_job WHERE finished_ms < ? AND state IN ('DONE', 'FAILED', 'CANCELLED')",
                    before);
            int workers = update(c, "DELETE FROM sched_worker WHERE last_seen_ms < ?", nowMs - forgetWorkersAfter.toMillis());
            return new Pruned(jobs, results, workers);
        });
    }

    @Override
    public Stats stats() {
        return Sql.transaction(db, "read the store's sizes", c -> {
            long jobs = scalarLong(c, "SELECT COUNT(*) FROM gen_job");
            long results = scalarLong(c, "SELECT COUNT(*) FROM job_result");
            long resultBytes = scalarLong(c, "SELECT COALESCE(SUM(OCTET_LENGTH(png)), 0) FROM job_result");
            long previewBytes = scalarLong(c, "SELECT COALESCE(SUM(OCTET_LENGTH(preview_png)), 0) FROM gen_job");
            Long databaseBytes = db.dialect() == Dialect.POSTGRESQL
                    ? Long.valueOf(scalarLong(c, "SELECT pg_database_size(current_database())")) : db.fileBytes();
            return new Stats(jobs, results, resultBytes, previewBytes, databaseBytes);
        });
    }
}
