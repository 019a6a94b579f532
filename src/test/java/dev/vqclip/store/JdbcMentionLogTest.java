package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mention log on H2 and on PostgreSQL (V20 migrations of both dialects). */
class JdbcMentionLogTest {
    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void onH2() {
        try (Database db = TestDatabases.h2(dir)) {
            exercise(new JdbcMentionLog(db, clock));
        }
    }

    @Test
    void onPostgres() {
        try (Database db = TestDatabases.postgres()) {
            exercise(new JdbcMentionLog(db, clock));
        }
    }

    private void exercise(JdbcMentionLog log) {
        Mention a = Mention.fresh("x", "101", "11", "@alice", "101", "@bot a lighthouse", T0.minusSeconds(60));
        Mention b = Mention.fresh("x", "102", "22", "@bob", "102", "@bot a fox", T0.minusSeconds(30));
        assertThat(log.record(List.of(a, b))).isEqualTo(2);
        assertThat(log.record(List.of(a, b.skipped("read twice")))).as("unique by post id: the first copy stands").isZero();
        assertThat(log.inState("x", MentionState.NEW, 10)).extracting(Mention::postId).containsExactly("101", "102");

        assertThat(log.update(a.queued(7), MentionState.NEW)).isTrue();
        assertThat(log.update(a.queued(8), MentionState.NEW)).as("only from the expected state").isFalse();
        Mention attempt = log.find("x", "101").orElseThrow().replying();
        assertThat(log.update(attempt, MentionState.QUEUED)).isTrue();
        assertThat(log.find("x", "101").orElseThrow().attempts()).isEqualTo(1);
        assertThat(log.repliedInConversation("x", "101")).isFalse();
        assertThat(log.update(attempt.replied("900", T0), MentionState.REPLYING)).isTrue();
        Mention done = log.find("x", "101").orElseThrow();
        assertThat(done.state()).isEqualTo(MentionState.REPLIED);
        assertThat(done.jobId()).isEqualTo(7L);
        assertThat(done.replyId()).isEqualTo("900");
        assertThat(done.repliedAt()).isEqualTo(T0);
        assertThat(log.repliedInConversation("x", "101")).isTrue();

        assertThat(log.lastRefusalReply("x", "22")).isEmpty();
        Mention refused = b.refused("blocked word");
        assertThat(log.update(refused, MentionState.NEW)).isTrue();
        assertThat(log.update(refused.replying(), MentionState.REFUSED)).isTrue();
        assertThat(log.update(refused.replying().replied("901", T0.plusSeconds(5)), MentionState.REPLYING)).isTrue();
        assertThat(log.lastRefusalReply("x", "22")).contains(T0.plusSeconds(5).truncatedTo(ChronoUnit.MILLIS));
        assertThat(log.lastRefusalReply("x", "11")).as("an image reply is no refusal").isEmpty();

        assertThat(log.budgetUsed("x", "reads", "2026-12")).isZero();
        log.spend("x", "reads", "2026-12", 5);
        log.spend("x", "reads", "2026-12", 3);
        log.spend("x", "reads", "2027-01", 1);
        assertThat(log.budgetUsed("x", "reads", "2026-12")).isEqualTo(8);
        assertThat(log.budgetUsed("x", "posts", "2026-12")).isZero();
        assertThat(log.budgetUsed("x", "reads", "2027-01")).isEqualTo(1);
    }
}
