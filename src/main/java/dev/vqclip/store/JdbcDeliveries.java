package dev.vqclip.store;

import static dev.vqclip.store.Sql.update;

import dev.vqclip.job.Deliveries;
import dev.vqclip.job.Job;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Delivery bookkeeping over JDBC: a job is marked handled once, delivered or given up on. */
final class JdbcDeliveries implements Deliveries {
    private final Database db;
    private final Clock clock;

    JdbcDeliveries(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public boolean markDelivered(long jobId, String deliveryRef) {
        long nowMs = clock.millis();
        return Sql.transaction(db, "mark job " + jobId + " delivered", c -> update(c, "UPDATE gen_job SET delivered_ms = ?, "
                + "delivery_ref = ? WHERE id = ? AND delivered_ms IS NULL", nowMs, deliveryRef, jobId) == 1);
    }

    @Override
    public boolean markDeliveryFailed(long jobId, String reason) {
        long nowMs = clock.millis();
        String kept = reason == null ? "unknown" : JobRows.truncate(reason, 500);
        return Sql.transaction(db, "mark the delivery of job " + jobId + " failed", c -> update(c, "UPDATE gen_job SET "
                + "delivered_ms = ?, delivery_failure = ? WHERE id = ? AND delivered_ms IS NULL", nowMs, kept, jobId) == 1);
    }

    @Override
    public Optional<String> deliveryFailure(long jobId) {
        return Sql.transaction(db, "read the delivery failure of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT delivery_failure FROM gen_job WHERE id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public List<Job> undelivered(int limit) {
        return JobRows.query(db, "list undelivered jobs", "WHERE j.state IN ('DONE', 'FAILED', 'CANCELLED') "
                + "AND j.delivered_ms IS NULL ORDER BY j.finished_ms, j.id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY");
    }

    @Override
    public void updateReplyTo(long jobId, String replyTo) {
        Sql.transaction(db, "move the reply of job " + jobId, c -> update(c, "UPDATE gen_job SET reply_to = ? WHERE id = ?",
                replyTo, jobId));
    }
}
