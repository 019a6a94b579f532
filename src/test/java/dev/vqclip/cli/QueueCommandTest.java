package dev.vqclip.cli;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.EnqueueOutcome;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.Lease;
import dev.vqclip.job.UserRef;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vqclip queue --stats}: what the database and the folders hold. */
class QueueCommandTest {
    @TempDir
    Path dir;

    @Test
    void statsShowTheDatabaseAndFolderSizes() throws Exception {
        String url = Database.h2FileUrl(dir.resolve("data"));
        try (Database db = Database.open(url); JdbcJobStore store = new JdbcJobStore(db, Clock.systemUTC())) {
            EnqueueOutcome out = store.queue().enqueue(new JobRequest(new UserRef("cli", "u", "u"),
                    TinyModels.recipe("a", 2, 0, 1), "file"), 10, "k", 3, (u, q, e) -> Optional.empty());
            assertThat(out).isInstanceOf(EnqueueOutcome.Enqueued.class);
            Lease lease = store.queue().claimNext("w", Duration.ofSeconds(60), 1).orElseThrow();
            assertThat(store.leases().complete(lease, new byte[2048], 2, 0.1, 5)).isTrue();
        }
        Path results = Files.createDirectories(dir.resolve("results"));
        Files.write(results.resolve("job-1.png"), new byte[3000]);
        Files.write(results.resolve("job-2.png"), new byte[100]);
        StringWriter text = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(text, true));
        int exit = cl.execute("queue", "--db", url, "--stats", "--results-dir", results.toString(), "--spool-dir",
                dir.resolve("spool").toString());
        assertThat(exit).isZero();
        assertThat(text.toString()).containsPattern("database: [0-9.]+ (KiB|MiB); 1 job\\(s\\), 1 stored result\\(s\\) 2\\.0 KiB, "
                + "previews 0 B");
        assertThat(text.toString()).contains("folder " + results + ": 2 file(s), 3.0 KiB");
        assertThat(text.toString()).contains("folder " + dir.resolve("spool") + ": 0 file(s), 0 B");
    }
}
