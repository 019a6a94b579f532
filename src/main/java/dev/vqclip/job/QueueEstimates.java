package dev.vqclip.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Queue positions and times to result, from the estimates in the store scaled by how fast the running jobs
 * actually go, shared by the workers seen recently.
 */
final class QueueEstimates {
    /** Workers count for ETAs when they were seen within this time. */
    static final Duration WORKER_SEEN_WITHIN = Duration.ofMinutes(2);

    private final JobReads reads;
    private final WorkerRegistry workers;
    private final Clock clock;

    QueueEstimates(JobReads reads, WorkerRegistry workers, Clock clock) {
        this.reads = reads;
        this.workers = workers;
        this.clock = clock;
    }

    /** Where a queued job stands: 1-based position in claim order and the estimated time until its result. */
    Optional<QueuePosition> position(long jobId) {
        Optional<Job> job = reads.find(jobId);
        if (job.isEmpty()) {
            return Optional.empty();
        }
        double pace = measuredPace(reads.running());
        if (job.get().state() == JobState.RUNNING) {
            Job j = job.get();
            double remaining = j.estGpuMs() * (1.0 - (double) j.progressIter() / Math.max(1, j.progressTotal()));
            return Optional.of(new QueuePosition(0, Duration.ofMillis(Math.round(Math.max(0, remaining) * pace))));
        }
        if (job.get().state() != JobState.QUEUED) {
            return Optional.of(new QueuePosition(0, null));
        }
        // the same estimate as queueView(), from one count instead of reading the whole queue
        JobReads.Ahead ahead = reads.aheadOf(jobId);
        int workers = Math.max(1, this.workers.queueLoad(WORKER_SEEN_WITHIN).workers());
        double aheadMs = ahead.runningMsLeft() + ahead.queuedMs();
        return Optional.of(new QueuePosition(ahead.jobs() + 1,
                Duration.ofMillis(Math.round((aheadMs / workers + job.get().estGpuMs()) * pace))));
    }

    /**
     * How the jobs running now actually go against their estimates: each one's elapsed time projected to its length,
     * over its estimate; the median over those that have made progress, 1 when none has. ETAs are scaled by it, so
     * they follow the measured speed of the workers (a busy machine, a slower GPU) from the first progress report on.
     */
    private double measuredPace(List<Job> running) {
        List<Double> paces = new ArrayList<>();
        Instant now = clock.instant();
        for (Job j : running) {
            long elapsedMs = j.startedAt() == null ? 0 : Duration.between(j.startedAt(), now).toMillis();
            if (j.progressIter() > 0 && j.progressTotal() > 0 && elapsedMs > 0 && j.estGpuMs() > 0) {
                paces.add(elapsedMs * (double) j.progressTotal() / j.progressIter() / j.estGpuMs());
            }
        }
        if (paces.isEmpty()) {
            return 1.0;
        }
        Collections.sort(paces);
        return paces.get(paces.size() / 2);
    }

    /**
     * Running jobs, then queued ones in claim order, each with its position and estimated time to result: the
     * work ahead (remaining running work plus queued estimates) shared by the workers seen recently.
     */
    List<QueueEntry> queueView() {
        QueueLoad load = workers.queueLoad(WORKER_SEEN_WITHIN);
        int workers = Math.max(1, load.workers());
        List<QueueEntry> entries = new ArrayList<>();
        double aheadMs = 0;
        List<Job> running = reads.running();
        double pace = measuredPace(running);
        for (Job r : running) {
            double remaining = r.estGpuMs() * (1.0 - (double) r.progressIter() / Math.max(1, r.progressTotal()));
            aheadMs += Math.max(0, remaining);
            entries.add(new QueueEntry(r, 0, Duration.ofMillis(Math.round(Math.max(0, remaining) * pace)), null));
        }
        int position = 0;
        for (Job q : reads.queued()) {
            position++;
            Duration eta = Duration.ofMillis(Math.round((aheadMs / workers + q.estGpuMs()) * pace));
            String why = load.paused() ? "the queue is paused" : position == 1 ? "next" : (position - 1) + " jobs ahead";
            entries.add(new QueueEntry(q, position, eta, why));
            aheadMs += q.estGpuMs();
        }
        return entries;
    }
}
