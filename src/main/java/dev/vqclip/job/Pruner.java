package dev.vqclip.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention pass: when the store hands this process the due pass (one process at a time), deletes finished jobs
 * and results older than {@link Retention#keepResults()}, their files in the results folder, uploads older than
 * {@link Retention#keepUploads()}, and long-gone workers.
 */
public final class Pruner implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Pruner.class);
    private static final Duration CHECK_EVERY = Duration.ofMinutes(10);

    /** What one pass removed. */
    public record Pass(Pruning.Pruned rows, int resultFiles, int uploadFiles) {
    }

    private final Pruning store;
    private final Retention retention;
    private final Path resultsDir;
    private final Path uploadsDir;
    private final Clock fileClock;
    private volatile boolean running = true;
    private final java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(1);

    /**
     * @param resultsDir results folder, or null
     * @param uploadsDir uploads folder, or null
     * @param fileClock  the local host's clock, for file times
     */
    public Pruner(Pruning store, Retention retention, Path resultsDir, Path uploadsDir, Clock fileClock) {
        this.store = store;
        this.retention = retention;
        this.resultsDir = resultsDir;
        this.uploadsDir = uploadsDir;
        this.fileClock = fileClock;
    }

    /** Runs the pass if it is due and no other process took it; empty pass otherwise. */
    public java.util.Optional<Pass> runIfDue() {
        if (!store.claimPruning(retention.every())) {
            return java.util.Optional.empty();
        }
        Pruning.Pruned rows = store.prune(retention.keepResults(), Retention.FORGET_WORKERS_AFTER);
        int results = deleteOlder(resultsDir, retention.keepResults(), "job-");
        int uploads = deleteOlder(uploadsDir, retention.keepUploads(), "");
        Pass pass = new Pass(rows, results, uploads);
        log.info("pruned {} job(s), {} stored result(s), {} result file(s), {} upload(s), {} worker row(s)",
                rows.jobs(), rows.results(), results, uploads, rows.workers());
        return java.util.Optional.of(pass);
    }

    @Override
    public void run() {
        while (running) {
            try {
                runIfDue();
            } catch (RuntimeException e) {
                log.warn("pruning failed: {}; trying again later", e.getMessage());
            }
            try {
                if (stopSignal.await(CHECK_EVERY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Ends the loop after a pass in progress; a waiting loop ends at once. */
    public void stop() {
        running = false;
        stopSignal.countDown();
    }

    private int deleteOlder(Path dir, Duration keep, String prefix) {
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        Instant before = fileClock.instant().minus(keep);
        int deleted = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(prefix) && name.endsWith(".png") && Files.isRegularFile(f)
                        && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
                    Files.deleteIfExists(f);
                    deleted++;
                }
            }
        } catch (IOException e) {
            log.warn("old files in {} could not be pruned: {}", dir, e.getMessage());
        }
        return deleted;
    }
}
