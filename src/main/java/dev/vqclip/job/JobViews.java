package dev.vqclip.job;

import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.DecodeJson;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
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
    private final ProvenanceReader reader;
    private final Clock clock;

    /** @param reader the bomb-safe provenance reader that {@code vqclip decode} uses, with its size caps */
    public JobViews(JobService jobs, Showcase showcase, ProvenanceReader reader, Clock clock) {
        this.jobs = jobs;
        this.showcase = showcase;
        this.reader = reader;
        this.clock = clock;
    }

    /**
     * What an uploaded image carries: {@code json} as {@code vqclip decode} prints it and the public job it names, or
     * {@code error} saying why the bytes are not a readable image.
     */
    public record Decoded(String json, Long publicJobId, String error) {
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
        return publicJob(id).flatMap(j -> jobs.preview(id));
    }

    public Optional<TimelapseVideo> publicTimelapse(long id) {
        return publicJob(id).flatMap(j -> showcase.timelapse(id));
    }

    /** The recipe of a finished public job as {@code vqclip decode} prints it for its image. */
    public Optional<String> publicRecipe(long id) {
        return publicResult(id).flatMap(png -> {
            Decoded d = decode(png, "job-" + id + ".png");
            return Optional.ofNullable(d.json());
        });
    }

    /** Reads an image's provenance; the bytes are only decoded, never kept. */
    public Decoded decode(byte[] image, String name) {
        try {
            ProvenanceReport report = reader.read(image);
            Long job = report.jobId().filter(id -> id > 0 && publicJob(id).isPresent()).orElse(null);
            return new Decoded(DecodeJson.pretty(report, name), job, null);
        } catch (BadImageException e) {
            return new Decoded(null, null, e.getMessage());
        }
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
