package dev.vqclip.job;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays what workers in other processes do to this process's {@link JobEvents}: it compares the open (and
 * recently finished) jobs in the store with what it saw last time and publishes the difference. It wakes on the
 * store's change signal (PostgreSQL NOTIFY) and polls at least every {@code poll} (H2). Jobs run by a local worker
 * are reported by that worker directly; the bus drops the duplicates.
 */
public final class JobWatcher implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWatcher.class);

    private record Seen(JobState state, int attempts, int iteration, Integer previewIter) {
    }

    private final JobReads reads;
    private final Deliveries deliveries;
    private final Changes changes;
    private final JobEvents events;
    private final Clock clock;
    private final Duration poll;
    private final Map<Long, Seen> seen = new HashMap<>();
    private final Map<Long, Integer> positions = new HashMap<>();
    private JobService service;
    private volatile boolean running = true;
    private long lastPollMs;

    public JobWatcher(JobStore store, JobEvents events, Clock clock, Duration poll) {
        this.reads = store.reads();
        this.deliveries = store.deliveries();
        this.changes = store.changes();
        this.events = events;
        this.clock = clock;
        this.poll = poll;
    }

    /** Also announce queue positions as they move (the service computes positions and ETAs). */
    public JobWatcher withPositions(JobService jobService) {
        this.service = jobService;
        return this;
    }

    @Override
    public void run() {
        // after a restart, final states that were never delivered are announced again (delivery is at-least-once)
        for (Job job : deliveries.undelivered(10_000)) {
            announceFinal(job);
        }
        lastPollMs = clock.millis();
        while (running) {
            try {
                pollOnce();
                changes.awaitChange(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("job watcher poll failed: {}", e.getMessage());
                try {
                    changes.awaitChange(poll);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One comparison of the store with what was seen; public for tests. */
    public synchronized void pollOnce() {
        long since = lastPollMs - poll.toMillis() * 2; // overlap: a finish committed during the last poll is not missed
        lastPollMs = clock.millis();
        Set<Long> present = new HashSet<>();
        for (Job job : reads.openOrFinishedSince(since)) {
            present.add(job.id());
            Seen before = seen.get(job.id());
            Seen now = new Seen(job.state(), job.attempts(), job.progressIter(), job.previewIter());
            if (now.equals(before)) {
                continue;
            }
            seen.put(job.id(), now);
            publishChange(job, before);
        }
        seen.keySet().removeIf(id -> !present.contains(id) && seen.get(id).state().isFinal());
        if (service != null) {
            announcePositions();
        }
    }

    /** A waiting user sees their place move up as jobs ahead start. */
    private void announcePositions() {
        Map<Long, Integer> now = new HashMap<>();
        for (QueueEntry e : service.queueView()) {
            if (e.position() > 0) {
                now.put(e.job().id(), e.position());
                Integer before = positions.get(e.job().id());
                if (before != null && before != e.position()) {
                    events.publish(new JobEvent.Queued(e.job().id(), e.position(), e.eta()));
                }
            }
        }
        positions.clear();
        positions.putAll(now);
    }

    private void publishChange(Job job, Seen before) {
        switch (job.state()) {
            case QUEUED -> {
                if (before != null && before.state() == JobState.RUNNING) {
                    events.publish(new JobEvent.Queued(job.id(), 0, null)); // its worker vanished; it waits again
                }
            }
            case RUNNING -> {
                if (before == null || before.state() != JobState.RUNNING || before.attempts() != job.attempts()) {
                    events.publish(new JobEvent.Started(job.id(), job.workerId(), job.attempts()));
                }
                boolean newPreview = job.previewIter() != null
                        && (before == null || !job.previewIter().equals(before.previewIter()));
                byte[] png = newPreview ? reads.preview(job.id()).orElse(null) : null;
                int iteration = newPreview ? Math.max(job.previewIter(), job.progressIter()) : job.progressIter();
                if (iteration > 0 || png != null) {
                    events.publish(new JobEvent.Progress(job.id(), iteration, job.progressTotal(),
                            job.progressLoss() == null ? Double.NaN : job.progressLoss(), png));
                }
            }
            default -> {
                if (before == null || !before.state().isFinal()) {
                    announceFinal(job);
                }
            }
        }
    }

    private void announceFinal(Job job) {
        switch (job.state()) {
            case DONE -> {
                Optional<byte[]> png = reads.result(job.id());
                if (png.isPresent()) {
                    events.publish(new JobEvent.Finished(job.id(), png.get(), job.recipe().seed(), job.progressIter(),
                            job.progressLoss() == null ? Double.NaN : job.progressLoss()));
                }
            }
            case FAILED -> events.publish(new JobEvent.Failed(job.id(), job.failure()));
            case CANCELLED -> events.publish(new JobEvent.Cancelled(job.id(), job.cancelledBy()));
            default -> { }
        }
    }

    @Override
    public void close() {
        running = false;
        changes.signalChange();
    }
}
