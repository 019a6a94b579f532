package dev.vqclip.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What read-only faces (the web pages, metrics, health checks) may see of the queue. It enforces visibility: a job
 * that is not PUBLIC is never returned with its prompt, image, preview or timelapse.
 */
public final class JobViews {
    private final JobService jobs;
    private final Showcase showcase;
    private final Clock clock;

    public JobViews(JobService jobs, Showcase showcase, Clock clock) {
        this.jobs = jobs;
        this.showcase = showcase;
        this.clock = clock;
    }

    /** One page of the gallery; {@code page} counts from 1. */
    public record GalleryPage(List<Job> jobs, int page, int pages, int total) {
    }

    /** One line of the public queue view; {@code shown} is false for a private job (show neither prompt nor preview). */
    public record QueueLine(QueueEntry entry, boolean shown) {
    }

    /**
     * @param database       null when reachable, else why not
     * @param lastWorkerSeen the most recent worker heartbeat, or null when no worker is registered
     */
    public record Readiness(String database, Instant lastWorkerSeen, Duration heartbeatWithin, Instant at) {
        public boolean ready() {
            return database == null && lastWorkerSeen != null
                    && !lastWorkerSeen.isBefore(at.minus(heartbeatWithin));
        }
    }

    /** A job's times and size, without its content: what metrics may know of any job, public or not. */
    public record Timing(JobState state, int width, int height, Instant created, Instant started, Instant finished) {
    }

    public Optional<Timing> timing(long id) {
        return jobs.job(id).map(j -> new Timing(j.state(), j.recipe().width(), j.recipe().height(), j.createdAt(),
                j.startedAt(), j.finishedAt()));
    }

    public GalleryPage gallery(int page, int perPage) {
        if (page < 1 || perPage < 1 || perPage > 100) {
            throw new IllegalArgumentException("gallery pages count from 1 with 1..100 images each, got page " + page
                    + " of " + perPage);
        }
        int total = showcase.galleryCount();
        int pages = Math.max(1, (total + perPage - 1) / perPage);
        List<Job> shown = page > pages ? List.of() : showcase.gallery((page - 1) * perPage, perPage);
        return new GalleryPage(shown, page, pages, total);
    }

    /** The job when it is public; empty when it does not exist or is private (the two look alike from outside). */
    public Optional<Job> publicJob(long id) {
        if (showcase.visibility(id).orElse(Visibility.PRIVATE) != Visibility.PUBLIC) {
            return Optional.empty();
        }
        return jobs.job(id);
    }

    public Optional<byte[]> publicResult(long id) {
        return publicJob(id).flatMap(j -> jobs.result(id));
    }

    public Optional<byte[]> publicPreview(long id) {
        return publicJob(id).flatMap(j -> jobs.store().preview(id));
    }

    public Optional<TimelapseVideo> publicTimelapse(long id) {
        return publicJob(id).flatMap(j -> showcase.timelapse(id));
    }

    public Optional<QueuePosition> position(long id) {
        return jobs.position(id);
    }

    public List<QueueLine> queue() {
        List<QueueEntry> entries = jobs.queueView();
        Set<Long> open = entries.isEmpty() ? Set.of() : showcase.openPublicJobs();
        List<QueueLine> lines = new ArrayList<>(entries.size());
        for (QueueEntry e : entries) {
            lines.add(new QueueLine(e, open.contains(e.job().id())));
        }
        return lines;
    }

    public boolean paused() {
        return jobs.paused();
    }

    /** Ready when the database answers and a worker heartbeat was seen within {@code heartbeatWithin}. */
    public Readiness readiness(Duration heartbeatWithin) {
        Instant now = clock.instant();
        try {
            showcase.ping();
            return new Readiness(null, showcase.lastWorkerSeen().orElse(null), heartbeatWithin, now);
        } catch (RuntimeException e) {
            return new Readiness(String.valueOf(e.getMessage()), null, heartbeatWithin, now);
        }
    }

    public Showcase showcase() {
        return showcase;
    }
}
