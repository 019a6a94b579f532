package dev.vqclip.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.TestDatabases;
import dev.vqclip.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention pass deletes old result files and uploads, keeps recent ones, and runs once per interval. */
class PrunerTest {
    @TempDir
    Path dir;

    @Test
    void oldResultFilesAndUploadsGoRecentOnesStayAndThePassRunsOncePerDay() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-22T12:00:00Z"));
        Path results = Files.createDirectories(dir.resolve("results"));
        Path uploads = Files.createDirectories(dir.resolve("uploads"));
        Path oldResult = touch(results.resolve("job-1.png"), clock.instant().minus(Duration.ofDays(91)));
        Path newResult = touch(results.resolve("job-2.png"), clock.instant().minus(Duration.ofDays(89)));
        Path notOurs = touch(results.resolve("notes.png"), clock.instant().minus(Duration.ofDays(400)));
        Path oldUpload = touch(uploads.resolve("abc.png"), clock.instant().minus(Duration.ofDays(8)));
        Path newUpload = touch(uploads.resolve("def.png"), clock.instant().minus(Duration.ofDays(6)));
        try (Database db = TestDatabases.h2(dir.resolve("db")); JdbcJobStore store = new JdbcJobStore(db, clock)) {
            Pruner pruner = new Pruner(store.pruning(), Retention.defaults(), results, uploads, clock);
            Pruner.Pass pass = pruner.runIfDue().orElseThrow();
            assertThat(pass.resultFiles()).isEqualTo(1);
            assertThat(pass.uploadFiles()).isEqualTo(1);
            assertThat(oldResult).doesNotExist();
            assertThat(oldUpload).doesNotExist();
            assertThat(newResult).exists();
            assertThat(newUpload).exists();
            assertThat(notOurs).exists();
            assertThat(new Pruner(store.pruning(), Retention.defaults(), results, uploads, clock).runIfDue())
                    .as("a second process the same day").isEmpty();
        }
    }

    @Test
    void resultsMustBeKeptAtLeastAsLongAsTheQuotaWindow() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Retention(Duration.ofHours(12), Duration.ofDays(7),
                Duration.ofDays(1)).requireCovers(Duration.ofHours(24)))
                .hasMessageContaining("--keep-results must be at least the quota window");
    }

    private static Path touch(Path file, Instant modified) throws Exception {
        Files.write(file, new byte[] {1});
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }
}
