package dev.vqclip.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store contract starts from: a fresh, migrated database per test (H2 or PostgreSQL, picked by the
 * subclass), a job store on a manual clock, and the few ways the contracts put jobs into it.
 */
abstract class StoreContractBase {
    static final Duration LEASE = Duration.ofSeconds(60);

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
    /** Where a file database lives; unused by PostgreSQL, which gets a fresh schema instead. */
    @TempDir
    Path dir;
    Database db;
    JdbcJobStore jobs;

    /** Opens (and migrates) the database this test runs on. */
    abstract Database open();

    @BeforeEach
    void openStore() {
        db = open();
        jobs = new JdbcJobStore(db, clock);
    }

    @AfterEach
    void closeStore() {
        // a skipped PostgreSQL run never opened anything
        if (jobs != null) {
            jobs.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Recipe recipe(String text) {
        return Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt(text))), 7);
    }

    static UserRef user(String id) {
        return new UserRef("discord", id, "user " + id);
    }

    Job enqueue(JobRequest request, long costMs) {
        EnqueueOutcome out = jobs.queue().enqueue(request, costMs, "k", 3, (u, q, est) -> Optional.empty());
        assertThat(out).isInstanceOf(EnqueueOutcome.Enqueued.class);
        return ((EnqueueOutcome.Enqueued) out).job();
    }

    Job enqueue(String userId, String text, long costMs, String idemKey) {
        return enqueue(new JobRequest(user(userId), recipe(text), "reply-" + text, Lane.NORMAL, null, idemKey), costMs);
    }

    Job enqueue(String userId, String text, long costMs) {
        return enqueue(userId, text, costMs, null);
    }

    Lease claimNext(String worker) {
        return jobs.queue().claimNext(worker, LEASE, 100).orElseThrow(() -> new AssertionError("nothing claimable"));
    }
}
