package dev.vqclip.store;

import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionLog;
import dev.vqclip.job.MentionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The mention log over JDBC (H2 or PostgreSQL); see V20__mentions.sql. */
public final class JdbcMentionLog implements MentionLog {
    private static final String COLUMNS = "platform, post_id, author_id, author_name, conversation_id, post_text, posted_ms, "
            + "state, job_id, refusal, attempts, reply_id, replied_ms, note";

    private final Database db;
    private final Clock clock;

    public JdbcMentionLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private <T> T run(String what, Sql.Work<T> work) {
        return Sql.read(db, what, work);
    }

    @Override
    public int record(List<Mention> mentions) {
        int added = 0;
        for (Mention m : mentions) {
            added += run("store mention " + m.postId(), c -> {
                if (find(c, m.platform(), m.postId()).isPresent()) {
                    return 0;
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO mention (" + COLUMNS + ", seen_ms, updated_ms) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = bind(ps, m);
                    ps.setLong(i++, clock.millis());
                    ps.setLong(i, clock.millis());
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    if (Sql.isDuplicate(e)) {
                        return 0; // stored meanwhile: the first copy stands
                    }
                    throw e;
                }
            });
        }
        return added;
    }

    @Override
    public Optional<Mention> find(String platform, String postId) {
        return run("read mention " + postId, c -> find(c, platform, postId));
    }

    private static Optional<Mention> find(Connection c, String platform, String postId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mention WHERE platform = ? AND post_id = ?")) {
            ps.setString(1, platform);
            ps.setString(2, postId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Mention> inState(String platform, MentionState state, int limit) {
        return run("list " + state + " mentions", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM mention WHERE platform = ? AND state = ? "
                    + "ORDER BY posted_ms, post_id")) {
                ps.setString(1, platform);
                ps.setString(2, state.name());
                ps.setMaxRows(limit);
                List<Mention> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(map(rs));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean update(Mention next, MentionState expected) {
        return run("update mention " + next.postId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mention SET state = ?, job_id = ?, refusal = ?, attempts = ?, "
                    + "reply_id = ?, replied_ms = ?, note = ?, updated_ms = ? WHERE platform = ? AND post_id = ? AND state = ?")) {
                int i = 1;
                ps.setString(i++, next.state().name());
                setNullableLong(ps, i++, next.jobId());
                ps.setString(i++, next.refusal());
                ps.setInt(i++, next.attempts());
                ps.setString(i++, next.replyId());
                setNullableLong(ps, i++, next.repliedAt() == null ? null : next.repliedAt().toEpochMilli());
                ps.setString(i++, truncate(next.note(), 2000));
                ps.setLong(i++, clock.millis());
                ps.setString(i++, next.platform());
                ps.setString(i++, next.postId());
                ps.setString(i, expected.name());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean repliedInConversation(String platform, String conversationId) {
        if (conversationId == null) {
            return false;
        }
        return run("look up thread " + conversationId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mention WHERE platform = ? "
                    + "AND conversation_id = ? AND state = 'REPLIED'")) {
                ps.setString(1, platform);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    @Override
    public Optional<Instant> lastRefusalReply(String platform, String authorId) {
        return run("look up refusals to " + authorId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(replied_ms) FROM mention WHERE platform = ? "
                    + "AND author_id = ? AND refusal IS NOT NULL AND replied_ms IS NOT NULL")) {
                ps.setString(1, platform);
                ps.setString(2, authorId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long ms = rs.getLong(1);
                    return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochMilli(ms));
                }
            }
        });
    }

    @Override
    public long budgetUsed(String platform, String kind, String month) {
        return run("read the " + kind + " budget", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT used FROM mention_budget WHERE platform = ? AND kind = ? "
                    + "AND month_key = ?")) {
                ps.setString(1, platform);
                ps.setString(2, kind);
                ps.setString(3, month);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    @Override
    public void spend(String platform, String kind, String month, long units) {
        if (units < 0) {
            throw new IllegalArgumentException("units spent must be >= 0, got " + units);
        }
        run("count " + units + " " + kind, c -> {
            for (int tries = 0; ; tries++) {
                try (PreparedStatement up = c.prepareStatement("UPDATE mention_budget SET used = used + ? WHERE platform = ? "
                        + "AND kind = ? AND month_key = ?")) {
                    up.setLong(1, units);
                    up.setString(2, platform);
                    up.setString(3, kind);
                    up.setString(4, month);
                    if (up.executeUpdate() == 1) {
                        return null;
                    }
                }
                try (PreparedStatement in = c.prepareStatement("INSERT INTO mention_budget (platform, kind, month_key, used) "
                        + "VALUES (?, ?, ?, ?)")) {
                    in.setString(1, platform);
                    in.setString(2, kind);
                    in.setString(3, month);
                    in.setLong(4, units);
                    in.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (!Sql.isDuplicate(e) || tries > 0) {
                        throw e;
                    }
                    // another process created the month's row first: add to it
                }
            }
        });
    }

    private static int bind(PreparedStatement ps, Mention m) throws SQLException {
        int i = 1;
        ps.setString(i++, m.platform());
        ps.setString(i++, m.postId());
        ps.setString(i++, m.authorId());
        ps.setString(i++, truncate(m.authorName(), 100));
        ps.setString(i++, m.conversationId());
        ps.setString(i++, truncate(m.text(), 4000));
        ps.setLong(i++, m.postedAt().toEpochMilli());
        ps.setString(i++, m.state().name());
        setNullableLong(ps, i++, m.jobId());
        ps.setString(i++, truncate(m.refusal(), 2000));
        ps.setInt(i++, m.attempts());
        ps.setString(i++, m.replyId());
        setNullableLong(ps, i++, m.repliedAt() == null ? null : m.repliedAt().toEpochMilli());
        ps.setString(i++, truncate(m.note(), 2000));
        return i;
    }

    private static Mention map(ResultSet rs) throws SQLException {
        long job = rs.getLong("job_id");
        Long jobId = rs.wasNull() ? null : job;
        long replied = rs.getLong("replied_ms");
        Instant repliedAt = rs.wasNull() ? null : Instant.ofEpochMilli(replied);
        return new Mention(rs.getString("platform"), rs.getString("post_id"), rs.getString("author_id"),
                rs.getString("author_name"), rs.getString("conversation_id"), rs.getString("post_text"),
                Instant.ofEpochMilli(rs.getLong("posted_ms")), MentionState.valueOf(rs.getString("state")), jobId,
                rs.getString("refusal"), rs.getInt("attempts"), rs.getString("reply_id"), repliedAt, rs.getString("note"));
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
