package dev.vqclip.job;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.TestDatabases;
import dev.vqclip.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work done by a worker in another process reaches this process's subscribers through the database. */
class JobWatcherTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
    final List<JobEvent> seen = new ArrayList<>();
    Database db;
    JdbcJobStore store;
    JobService jobs;
    JobWatcher watcher;

    @BeforeEach
    void open() {
        db = TestDatabases.h2(dir);
        store = new JdbcJobStore(db, clock);
        JobEvents events = new JobEvents();
        events.subscribe(seen::add);
        jobs = new JobService(store, Limits.defaults(), CostModel.defaults(), new Moderation(PromptPolicy.defaults()),
                new JobEvents(), clock);
        watcher = new JobWatcher(store, events, clock, Duration.ofSeconds(1)).withPositions(jobs);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    long submit(String user) {
        return ((SubmitResult.Accepted) jobs.submit(new JobRequest(new UserRef("discord", user, user),
                TinyModels.recipe("a " + user, 10, 2, 1), "r"))).job().id();
    }

    @Test
    void startProgressPreviewAndResultOfARemoteWorkerAreRelayedOnce() {
        long id = submit("1");
        long second = submit("2");
        watcher.pollOnce();
        assertThat(seen).isEmpty();
        // "another process": the remote worker's effects are its database writes
        Lease lease = store.queue().claimNext("remote-1", Duration.ofSeconds(60), 1).orElseThrow();
        store.leases().heartbeat(lease, 4, 0.75, Duration.ofSeconds(60));
        store.leases().storePreview(lease, 4, new byte[] {7, 7});
        watcher.pollOnce();
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isEqualTo(new JobEvent.Started(id, "remote-1", 1));
        assertThat(seen.get(1)).isInstanceOfSatisfying(JobEvent.Progress.class, p -> {
            assertThat(p.iteration()).isEqualTo(4);
            assertThat(p.previewPng()).containsExactly(7, 7);
            assertThat(p.loss()).isEqualTo(0.75);
        });
        // the job behind it moved up from #2 to #1
        assertThat(seen.get(2)).isInstanceOfSatisfying(JobEvent.Queued.class, q -> {
            assertThat(q.jobId()).isEqualTo(second);
            assertThat(q.position()).isEqualTo(1);
        });
        watcher.pollOnce();
        assertThat(seen).hasSize(3); // nothing changed, nothing new
        store.leases().complete(lease, new byte[] {1, 2}, 10, 0.5, 900);
        clock.advance(Duration.ofMillis(300));
        watcher.pollOnce();
        watcher.pollOnce();
        List<JobEvent> finals = seen.stream().filter(JobEvent::isFinal).toList();
        assertThat(finals).hasSize(1);
        assertThat(finals.get(0)).isInstanceOfSatisfying(JobEvent.Finished.class, f -> {
            assertThat(f.jobId()).isEqualTo(id);
            assertThat(f.png()).containsExactly(1, 2);
        });
    }

    @Test
    void aRestartAnnouncesFinalStatesThatWereNeverDelivered() throws InterruptedException {
        long id = submit("1");
        Lease lease = store.queue().claimNext("w", Duration.ofSeconds(60), 1).orElseThrow();
        store.leases().fail(lease, "the loss became NaN at iteration 3; try a lower learning rate", 100);
        JobEvents events = new JobEvents();
        List<JobEvent> afterRestart = new ArrayList<>();
        events.subscribe(afterRestart::add);
        JobWatcher fresh = new JobWatcher(store, events, clock, Duration.ofMillis(1));
        store.changes().signalChange();
        Thread t = new Thread(fresh);
        t.start();
        fresh.close();
        t.join(10_000);
        assertThat(afterRestart).contains(new JobEvent.Failed(id, "the loss became NaN at iteration 3; try a lower learning rate"));
    }
}
