package dev.vqclip.store;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.job.Visibility;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** {@link Showcase} over the job tables (migration V50 adds visibility and timelapses). */
public final class JdbcShowcase implements Showcase {
    private final Database db;
    private final Clock clock;

    public JdbcShowcase(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public List<Job> gallery(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > 200) {
            throw new IllegalArgumentException("a gallery page starts at >= 0 and holds 1..200 jobs, got offset " + offset
                    + " and limit " + limit);
        }
        return read("read the gallery", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.COLUMNS + JobRows.FROM
                    + "WHERE j.state = 'DONE' AND j.visibility = 'PUBLIC' ORDER BY j.finished_ms DESC, j.id DESC "
                    + "OFFSET " + offset + " ROWS FETCH FIRST " + limit + " ROWS ONLY")) {
                List<Job> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(JobRows.map(rs));
                    }
                }
                return jobs;
            }
        });
    }

    @Override
    public int galleryCount() {
        return read("count the gallery", c -> (int) scalar(c,
                "SELECT COUNT(*) FROM gen_job WHERE state = 'DONE' AND visibility = 'PUBLIC'"));
    }

    @Override
    public Optional<Visibility> visibility(long jobId) {
        return read("read the visibility of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT visibility FROM gen_job WHERE id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(Visibility.valueOf(rs.getString(1))) : Optional.<Visibility>empty();
                }
            }
        });
    }

    @Override
    public Set<Long> openPublicJobs() {
        return read("list open public jobs", c -> {
            Set<Long> ids = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM gen_job WHERE state IN ('QUEUED', 'RUNNING') "
                    + "AND visibility = 'PUBLIC'"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        });
    }

    @Override
    public boolean storeTimelapse(Lease lease, TimelapseVideo video) {
        return write("store the timelapse of job " + lease.jobId(), c -> {
            try (PreparedStatement check = c.prepareStatement(
                    "SELECT id FROM gen_job WHERE id = ? AND lease_token = ? AND state = 'RUNNING' FOR UPDATE")) {
                check.setLong(1, lease.jobId());
                check.setLong(2, lease.token());
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM job_timelapse WHERE job_id = ?")) {
                del.setLong(1, lease.jobId());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO job_timelapse (job_id, content_type, frames, video) VALUES (?, ?, ?, ?)")) {
                ins.setLong(1, lease.jobId());
                ins.setString(2, video.contentType());
                ins.setInt(3, video.frames());
                ins.setBytes(4, video.bytes());
                return ins.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<TimelapseVideo> timelapse(long jobId) {
        return read("read the timelapse of job " + jobId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT content_type, frames, video FROM job_timelapse WHERE job_id = ?")) {
                ps.setLong(1, jobId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new TimelapseVideo(rs.getString(1), rs.getInt(2), rs.getBytes(3)))
                            : Optional.<TimelapseVideo>empty();
                }
            }
        });
    }

    @Override
    public Map<JobState, Integer> jobsByState() {
        return read("count jobs by state", c -> {
            Map<JobState, Integer> counts = new EnumMap<>(JobState.class);
            for (JobState s : JobState.values()) {
                counts.put(s, 0);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM gen_job GROUP BY state");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(JobState.valueOf(rs.getString(1)), rs.getInt(2));
                }
            }
            return counts;
        });
    }

    @Override
    public Optional<Instant> lastWorkerSeen() {
        return read("read the last worker heartbeat", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(last_seen_ms) FROM sched_worker");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                long ms = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(ms));
            }
        });
    }

    @Override
    public Map<String, Integer> overdueDeliveries(Duration grace) {
        long before = clock.millis() - grace.toMillis();
        return read("count undelivered jobs", c -> {
            Map<String, Integer> byPlatform = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT user_key FROM gen_job WHERE state IN ('DONE', 'FAILED', "
                    + "'CANCELLED') AND delivered_ms IS NULL AND finished_ms < ?")) {
                ps.setLong(1, before);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String key = rs.getString(1);
                        byPlatform.merge(key.substring(0, Math.max(0, key.indexOf(':'))), 1, Integer::sum);
                    }
                }
            }
            return byPlatform;
        });
    }

    @Override
    public PoolStats pool() {
        int[] n = db.poolCounts();
        return new PoolStats(n[0], n[1], n[2], n[3]);
    }

    @Override
    public void ping() {
        read("reach the database", c -> scalar(c, "SELECT 1"));
    }

    private <T> T read(String what, Sql.Work<T> work) {
        return Sql.read(db, what, work);
    }

    private <T> T write(String what, Sql.Work<T> work) {
        return Sql.transaction(db, what, work);
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
