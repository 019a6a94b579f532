package dev.vqclip.store;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.job.UserRef;
import dev.vqclip.job.Visibility;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web's read side and timelapse storage (migration V50) on both databases. */
class JdbcShowcaseTest {
    @TempDir
    Path dir;

    @Test
    void onH2() {
        try (Database db = TestDatabases.h2(dir)) {
            check(db);
        }
    }

    @Test
    void onPostgres() {
        try (Database db = TestDatabases.postgres()) {
            check(db);
        }
    }

    private static long enqueue(JdbcJobStore store, String user, Visibility v) {
        JobRequest r = new JobRequest(new UserRef("discord", user, user), TinyModels.recipe("p " + user, 5, 1, 1), "x",
                Lane.NORMAL, null, null, v);
        return ((dev.vqclip.job.EnqueueOutcome.Enqueued) store.queue().enqueue(r, 1000, "k", 3, (u, q, e) -> Optional.empty()))
                .job().id();
    }

    private static void check(Database db) {
        Clock clock = Clock.systemUTC();
        try (JdbcJobStore store = new JdbcJobStore(db, clock)) {
            JdbcShowcase showcase = new JdbcShowcase(db, clock);
            long pub = enqueue(store, "1", Visibility.PUBLIC);
            long priv = enqueue(store, "2", Visibility.PRIVATE);
            long open = enqueue(store, "3", Visibility.PUBLIC);
            assertThat(showcase.visibility(pub)).hasValue(Visibility.PUBLIC);
            assertThat(showcase.visibility(priv)).hasValue(Visibility.PRIVATE);
            assertThat(showcase.visibility(999)).isEmpty();
            assertThat(showcase.openPublicJobs()).containsExactlyInAnyOrder(pub, open);

            TimelapseVideo video = new TimelapseVideo("image/gif", 3, new byte[] {'G', 'I', 'F', '8', '9', 'a'});
            for (long id : new long[] {pub, priv}) {
                Lease lease = store.queue().claim(id, "w", Duration.ofMinutes(1), 5).orElseThrow();
                assertThat(showcase.storeTimelapse(lease, video)).isTrue();
                assertThat(showcase.storeTimelapse(lease, video)).as("replacing on a retry").isTrue();
                assertThat(store.leases().complete(lease, new byte[] {1}, 5, 0.1, 10)).isTrue();
                assertThat(showcase.storeTimelapse(lease, video)).as("fenced after completion").isFalse();
            }
            assertThat(showcase.timelapse(pub).orElseThrow().frames()).isEqualTo(3);
            assertThat(showcase.timelapse(open)).isEmpty();

            List<Job> gallery = showcase.gallery(0, 10);
            assertThat(gallery).extracting(Job::id).containsExactly(pub);
            assertThat(showcase.galleryCount()).isEqualTo(1);
            assertThat(showcase.jobsByState()).containsEntry(JobState.DONE, 2).containsEntry(JobState.QUEUED, 1)
                    .containsEntry(JobState.FAILED, 0);
            assertThat(showcase.overdueDeliveries(Duration.ofMillis(-1000))).containsEntry("discord", 2);
            assertThat(showcase.overdueDeliveries(Duration.ofHours(1))).isEmpty();
            assertThat(showcase.lastWorkerSeen()).isEmpty();
            store.workers().workerSeen("w", null);
            assertThat(showcase.lastWorkerSeen()).isPresent();
            assertThat(showcase.pool().total()).isGreaterThan(0);
            showcase.ping();
        }
    }
}
