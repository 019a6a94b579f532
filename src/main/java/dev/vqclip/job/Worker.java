package dev.vqclip.job;

import dev.vqclip.engine.BatchItem;
import dev.vqclip.engine.BatchOutcome;
import dev.vqclip.engine.Renderer;
import dev.vqclip.provenance.Stamper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker per GPU (or one CPU worker): keeps its renderer's models warm, claims jobs in fair order with a
 * lease, heartbeats while rendering, and ends each job exactly once — DONE with the stamped PNG, FAILED with a
 * reason for the user, or CANCELLED. A result is only accepted with the current lease token (scheduler.md §4).
 */
public final class Worker implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** The logging MDC key that holds the ids of the jobs a worker renders (comma-separated). */
    public static final String MDC_JOB = "job";

    /**
     * @param idlePoll      longest wait for new work when the queue looked empty (a change signal ends it early)
     * @param storePreviews also write previews to the store, for adapters in other processes
     * @param version       software version stamped into images
     * @param spoolDir      finished images wait here for their DONE commit (adopted after a restart); null: memory only
     */
    public record Settings(Duration idlePoll, boolean storePreviews, String version, int maxBatch, Path spoolDir) {
        public Settings {
            if (idlePoll == null || idlePoll.isNegative() || idlePoll.isZero()) {
                throw new IllegalArgumentException("idle poll must be positive, got " + idlePoll);
            }
            if (maxBatch < 1 || maxBatch > 16) {
                throw new IllegalArgumentException("batch size must be in 1..16, got " + maxBatch);
            }
        }

        public Settings(Duration idlePoll, boolean storePreviews, String version, int maxBatch) {
            this(idlePoll, storePreviews, version, maxBatch, null);
        }

        public Settings(Duration idlePoll, boolean storePreviews, String version) {
            this(idlePoll, storePreviews, version, 1);
        }
    }

    private final String id;
    private final JobStore store;
    private final Renderer renderer;
    private final JobEvents events;
    private final Limits limits;
    private final Settings settings;
    private final Clock clock;
    private final ScheduledExecutorService heartbeats;
    private final ResultCommit results;
    private final RunBookkeeping runs;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<List<RunningJob>> inFlight = new AtomicReference<>(List.of());
    private volatile Thread thread;
    private volatile long lastReapMs;
    private volatile Double msPerIteration;

    public Worker(String id, JobStore store, Renderer renderer, Stamper stamper, JobEvents events, Limits limits,
                  Settings settings, Clock clock) {
        this.id = id;
        this.store = store;
        this.renderer = renderer;
        this.events = events;
        this.limits = limits;
        this.settings = settings;
        this.clock = clock;
        this.results = new ResultCommit(id, store, new ResultSpool(settings.spoolDir()), events, limits, running::get);
        this.runs = new RunBookkeeping(id, store, stamper, events, limits, settings, results);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vqclip-heartbeat-" + id);
            t.setDaemon(true);
            return t;
        });
    }

    public String id() {
        return id;
    }

    /**
     * Keeps each job's previews (at most {@code maxFrames}, scaled to {@code maxSide} pixels) and stores them as a
     * timelapse in {@code sink} before the job is marked done; call before {@link #run()}.
     */
    public Worker withTimelapses(Showcase sink, int maxFrames, int maxSide) {
        return withTimelapses(sink, maxFrames, maxSide, TimelapseEncoder.GIF);
    }

    /** As above, encoded by {@code encoder}; when it fails for a job, that job's timelapse is a GIF instead. */
    public Worker withTimelapses(Showcase sink, int maxFrames, int maxSide, TimelapseEncoder encoder) {
        runs.keepTimelapses(new RunBookkeeping.TimelapseSettings(sink, maxFrames, maxSide, encoder));
        return this;
    }

    /** Claims and renders until {@link #close()}. */
    @Override
    public void run() {
        thread = Thread.currentThread();
        store.workers().workerSeen(id, null);
        adoptKeptResults();
        try {
            while (running.get()) {
                try {
                    reapWhenDue();
                    if (!claimAndProcess()) {
                        store.workers().workerSeen(id, msPerIteration);
                        store.changes().awaitChange(settings.idlePoll());
                    }
                } catch (RuntimeException e) {
                    // the database is unreachable for a moment: keep the worker, retry after the idle poll
                    log.warn("worker {}: {}; retrying", id, e.getMessage());
                    store.changes().awaitChange(settings.idlePoll());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                store.workers().workerGone(id);
            } catch (RuntimeException e) {
                log.warn("worker {} could not unregister: {}", id, e.getMessage());
            }
        }
    }

    /** Claims and renders one job if one is claimable; for tests and the one-shot CLI path. */
    public boolean runOnce() {
        reapWhenDue();
        return claimAndProcess();
    }

    /**
     * Claims the fair head and, when batching, up to B−1 queued jobs with the same batch key whose fair tag is
     * within two head-job costs of the head's, so a heavy user's backlog cannot ride along ahead of others
     * (scheduler.md §5); renders them in one optimizer pass.
     */
    private boolean claimAndProcess() {
        if (store.settings().setting(JobService.PAUSED_SETTING).map(Boolean::parseBoolean).orElse(false)) {
            return false; // an operator paused the queue: running jobs finish, nothing new starts
        }
        // operators may change the per-user running limit at run time (RuntimeRules)
        int maxRunning = RuntimeRules.limits(limits, store.settings()).maxRunning();
        Optional<Lease> head = store.queue().claimNext(id, limits.lease(), maxRunning);
        if (head.isEmpty()) {
            return false;
        }
        List<Lease> batch = new ArrayList<>(List.of(head.get()));
        if (settings.maxBatch() > 1) {
            Job first = store.reads().find(head.get().jobId()).orElseThrow();
            for (Job mate : store.queue().batchCandidates(first.batchKey(), first.vstart() + 2 * first.estGpuMs(),
                    settings.maxBatch() * 2)) {
                if (batch.size() >= settings.maxBatch()) {
                    break;
                }
                store.queue().claim(mate.id(), id, limits.lease(), maxRunning).ifPresent(batch::add);
            }
        }
        process(batch);
        return true;
    }

    /** Any process may reap expired leases; workers do it once per heartbeat period. */
    private void reapWhenDue() {
        long now = clock.millis();
        if (now - lastReapMs < limits.heartbeat().toMillis()) {
            return;
        }
        lastReapMs = now;
        for (Job job : store.leases().reapExpired()) {
            store.reads().find(job.id()).ifPresent(this::announceReaped);
        }
    }

    private void announceReaped(Job job) {
        switch (job.state()) {
            case FAILED -> events.publish(new JobEvent.Failed(job.id(), job.failure()));
            case CANCELLED -> events.publish(new JobEvent.Cancelled(job.id(), job.cancelledBy()));
            case QUEUED -> events.publish(new JobEvent.Queued(job.id(), 0, null));
            default -> { }
        }
    }

    /**
     * Renders the claimed jobs in one optimizer pass (one job is a batch of one); each ends on its own and is
     * charged its share of the time. The jobs' ids are in the logging MDC ({@value #MDC_JOB}) meanwhile.
     */
    private void process(List<Lease> leases) {
        List<Job> jobs = new ArrayList<>();
        List<RunningJob> curs = new ArrayList<>();
        List<BatchItem> items = new ArrayList<>();
        List<ScheduledFuture<?>> beats = new ArrayList<>();
        for (Lease lease : leases) {
            Job job = store.reads().find(lease.jobId()).orElseThrow();
            RunningJob cur = runs.start(lease);
            jobs.add(job);
            curs.add(cur);
            items.add(new BatchItem(job.recipe(), runs.progress(job, cur), cur.token));
            events.publish(new JobEvent.Started(job.id(), id, job.attempts()));
            log.info("worker {} runs job {} (attempt {}, lease token {})", id, job.id(), job.attempts(), lease.token());
            long beatMs = limits.heartbeat().toMillis();
            beats.add(heartbeats.scheduleAtFixedRate(() -> runs.heartbeat(cur, msPerIteration), beatMs, beatMs,
                    TimeUnit.MILLISECONDS));
        }
        inFlight.set(curs);
        String ids = jobs.stream().map(j -> Long.toString(j.id())).collect(Collectors.joining(","));
        long startNanos = System.nanoTime();
        try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_JOB, ids)) {
            if (jobs.size() > 1) {
                log.info("worker {} runs jobs {} in one batch", id, ids);
            }
            List<BatchOutcome> outcomes = renderer.renderBatch(items);
            long gpuMs = elapsedMs(startNanos);
            long shareMs = Math.max(1, gpuMs / leases.size());
            beats.forEach(b -> b.cancel(false));
            for (int k = 0; k < outcomes.size(); k++) {
                Job job = jobs.get(k);
                RunningJob cur = curs.get(k);
                BatchOutcome outcome = outcomes.get(k);
                if (outcome instanceof BatchOutcome.Rendered r) {
                    msPerIteration = gpuMs / (double) Math.max(1, r.result().iterations());
                    runs.finished(job, cur, r.result(), shareMs);
                } else if (outcome instanceof BatchOutcome.Cancelled) {
                    runs.ended(job, cur, shareMs);
                } else {
                    runs.failed(job, cur.lease, ((BatchOutcome.Failed) outcome).error().getMessage(), shareMs);
                }
            }
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            beats.forEach(b -> b.cancel(false));
            log.error("jobs {} failed inside worker {}", ids, id, e);
            long shareMs = Math.max(1, elapsedMs(startNanos) / leases.size());
            for (int k = 0; k < jobs.size(); k++) {
                runs.failed(jobs.get(k), curs.get(k).lease, "the renderer failed (" + e.getClass().getSimpleName()
                        + "); the job was not finished", shareMs);
            }
        } finally {
            inFlight.set(List.of());
        }
    }

    /** Offers results an earlier run rendered but could not commit; the store takes each only under its lease. */
    public void adoptKeptResults() {
        results.adoptKept();
    }

    private static long elapsedMs(long startNanos) {
        return Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** A cancel request from this process: the job stops at its next optimizer step (the store already knows). */
    public void requestCancel(long jobId) {
        inFlight.get().stream().filter(c -> c.lease.jobId() == jobId).forEach(c -> c.stop(RunningJob.Stop.USER));
    }

    /**
     * Graceful shutdown: stop claiming, let the current job finish for up to {@code grace}, then stop it and hand
     * it back to the queue (it keeps its fair tag, so it runs next).
     */
    public void shutdown(Duration grace) {
        running.set(false);
        store.changes().signalChange();
        Thread t = thread;
        if (t != null) {
            try {
                if (grace.toMillis() > 0) {
                    t.join(grace.toMillis()); // join(0) would wait forever
                }
                inFlight.get().forEach(c -> c.stop(RunningJob.Stop.SHUTDOWN));
                t.join(Math.max(1000, limits.lease().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        heartbeats.shutdownNow();
    }

    /** Stops the job in progress (handing it back to the queue) and the worker. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
