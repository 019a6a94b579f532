package dev.vqclip.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reply channel of jobs submitted from the command line (platform {@value #PLATFORM}): each finished image is
 * written once to {@code dir/job-<id>.png}, then the delivery is recorded. Delivery is at-least-once across a
 * crash (the file is written before the record), and idempotent: a file that already exists is never rewritten,
 * and such a repeat is counted and logged.
 */
public final class FolderDelivery implements Consumer<JobEvent> {
    public static final String PLATFORM = "cli";
    private static final Logger log = LoggerFactory.getLogger(FolderDelivery.class);

    private final JobReads reads;
    private final Deliveries deliveries;
    private final Path dir;
    private final AtomicInteger repeats = new AtomicInteger();

    public FolderDelivery(JobStore store, Path dir) {
        this.reads = store.reads();
        this.deliveries = store.deliveries();
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("results folder " + dir + " cannot be created", e);
        }
    }

    public static Path fileOf(Path dir, long jobId) {
        return dir.resolve("job-" + jobId + ".png");
    }

    @Override
    public void accept(JobEvent event) {
        if (!event.isFinal()) {
            return;
        }
        Job job = reads.find(event.jobId()).orElse(null);
        if (job == null || !PLATFORM.equals(job.user().platform()) || job.deliveredAt() != null) {
            return;
        }
        Path file = fileOf(dir, job.id());
        if (event instanceof JobEvent.Finished f) {
            try {
                Files.write(file, f.png(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                log.info("delivered job {} to {}", job.id(), file);
            } catch (FileAlreadyExistsException e) {
                repeats.incrementAndGet();
                log.warn("job {} was already delivered to {}; not writing it again", job.id(), file);
            } catch (IOException e) {
                log.error("job {}: result could not be written to {}: {}", job.id(), file, e.getMessage());
                return; // not recorded as delivered: the next start tries again
            }
        }
        deliveries.markDelivered(job.id(), event instanceof JobEvent.Finished ? file.toString() : job.state().name());
    }

    /** Deliveries that found their file already written (a repeat after a crash). */
    public int repeats() {
        return repeats.get();
    }
}
