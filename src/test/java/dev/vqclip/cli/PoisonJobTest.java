package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.app.CrashHook;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Limits;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose render takes its process down (the crash hook halts the JVM, as a native crash would) is tried at most
 * max-attempts times across restarts, then FAILED with a reason the user sees, while the other jobs finish.
 */
class PoisonJobTest {
    @TempDir
    Path dir;

    @Test
    void aJobThatKillsItsProcessFailsAfterThreeRestartsAndTheOthersFinish() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data"));
        Path results = dir.resolve("results");
        List<Long> healthy = new ArrayList<>();
        long poison;
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            JobService jobs = new JobService(store, Limits.defaults(), CostModel.defaults(),
                    new Moderation(PromptPolicy.defaults()), new JobEvents(), Clock.systemUTC());
            poison = submit(jobs, "p", "a poison pill");
            for (int i = 0; i < 3; i++) {
                healthy.add(submit(jobs, "u" + i, "a quiet harbour " + i));
            }
        }
        Path log = dir.resolve("serve.log");
        String[] serve = {"serve", "--db", url, "--results-dir", results.toString(), "--models-dir",
                dir.resolve("models").toString(), "--lease", "5s", "--heartbeat", "1s", "--poll", "200ms", "--web-port", "0"};
        int crashes = 0;
        for (int start = 0; start < 6; start++) {
            Process p = ChildJvm.start(log, List.of("-D" + CrashHook.PROPERTY + "=poison"), serve);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (p.isAlive() && count(results) < healthy.size() && System.nanoTime() < deadline) {
                p.waitFor(200, TimeUnit.MILLISECONDS);
            }
            if (!p.isAlive()) {
                assertThat(p.exitValue()).as("the crash hook's status").isEqualTo(CrashHook.STATUS);
                crashes++;
                continue;
            }
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
            break;
        }
        assertThat(crashes).as("processes the poison job took down").isEqualTo(3);
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            Job failed = store.reads().find(poison).orElseThrow();
            assertThat(failed.state()).isEqualTo(JobState.FAILED);
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.failure()).contains("stopped the rendering process 3 times");
            assertThat(failed.deliveredAt()).as("the failure reached the user").isNotNull();
            for (long id : healthy) {
                Job job = store.reads().find(id).orElseThrow();
                assertThat(job.state()).as("job %d (%s)", id, job.failure()).isEqualTo(JobState.DONE);
                assertThat(job.attempts()).isEqualTo(1);
            }
        }
        System.out.printf("poison job test: %d crashes, then FAILED; %d other jobs DONE%n", crashes, healthy.size());
    }

    private static long submit(JobService jobs, String user, String prompt) {
        SubmitResult r = jobs.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, user, user),
                TinyModels.recipe(prompt, 6, 0, 3), "file"));
        assertThat(r).isInstanceOf(SubmitResult.Accepted.class);
        return ((SubmitResult.Accepted) r).job().id();
    }

    private static int count(Path results) throws Exception {
        if (!Files.isDirectory(results)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(results)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".png")).count();
        }
    }
}
