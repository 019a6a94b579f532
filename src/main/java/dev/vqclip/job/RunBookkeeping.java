package dev.vqclip.job;

import dev.vqclip.engine.RenderListener;
import dev.vqclip.engine.RenderResult;
import dev.vqclip.engine.StepEvent;
import dev.vqclip.provenance.ProvenanceException;
import dev.vqclip.provenance.Stamper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Worker} does for each job besides rendering it: renews the lease, reports progress, and ends the
 * job exactly once under its lease (DONE with the stamped PNG, FAILED with a reason, CANCELLED, or handed back).
 * Kept apart so the worker reads as its claim-render loop.
 */
final class RunBookkeeping {
    // the worker's logger: operators filter on it, and these lines are the worker's account of a job
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** Where timelapses go and how big they get: at most {@code maxFrames} frames of at most {@code maxSide} pixels. */
    record TimelapseSettings(Showcase sink, int maxFrames, int maxSide, TimelapseEncoder encoder) {
        TimelapseSettings {
            new Timelapse(maxFrames, maxSide); // the same rules, checked now rather than at the first job
            Objects.requireNonNull(encoder, "timelapse encoder");
        }
    }

    private final String workerId;
    private final JobStore store;
    private final Stamper stamper;
    private final JobEvents events;
    private final Limits limits;
    private final Worker.Settings settings;
    private final ResultCommit results;
    private volatile TimelapseSettings timelapses;

    RunBookkeeping(String workerId, JobStore store, Stamper stamper, JobEvents events, Limits limits,
                   Worker.Settings settings, ResultCommit results) {
        this.workerId = workerId;
        this.store = store;
        this.stamper = stamper;
        this.events = events;
        this.limits = limits;
        this.settings = settings;
        this.results = results;
    }

    void keepTimelapses(TimelapseSettings t) {
        this.timelapses = t;
    }

    /** A fresh record of a claimed job, with a timelapse when the worker keeps them. */
    RunningJob start(Lease lease) {
        TimelapseSettings t = timelapses;
        return new RunningJob(lease, t == null ? null : new Timelapse(t.maxFrames(), t.maxSide()));
    }

    /** The render's listener: step and preview events of {@code cur}. */
    RenderListener progress(Job job, RunningJob cur) {
        return new Progress(job, cur);
    }

    /**
     * Renews the lease. A refused renewal (the job moved on) or one that kept failing for a whole lease stops the
     * render at its next step: past that point another worker may own the job (self-fencing).
     */
    void heartbeat(RunningJob cur, Double msPerIteration) {
        try {
            Heartbeat reply = store.leases().heartbeat(cur.lease, cur.iteration, cur.loss, limits.lease());
            if (reply == Heartbeat.CANCEL_REQUESTED) {
                cur.stop(RunningJob.Stop.USER);
            } else if (reply == Heartbeat.LOST) {
                cur.stop(RunningJob.Stop.LEASE_LOST);
            } else {
                cur.leaseConfirmedNanos = System.nanoTime();
            }
            store.workers().workerSeen(workerId, msPerIteration);
        } catch (RuntimeException e) {
            long unconfirmedMs = (System.nanoTime() - cur.leaseConfirmedNanos) / 1_000_000;
            if (unconfirmedMs > limits.lease().toMillis()) {
                log.warn("job {}: no heartbeat got through for {} ms (longer than the lease); stopping: {}",
                        cur.lease.jobId(), unconfirmedMs, e.getMessage());
                cur.stop(RunningJob.Stop.LEASE_LOST);
            } else {
                // a database hiccup: the lease has slack for several missed beats
                log.warn("heartbeat of job {} failed: {}", cur.lease.jobId(), e.getMessage());
            }
        }
    }

    /** Stamps the image, stores the timelapse, then commits the result under the lease. */
    void finished(Job job, RunningJob cur, RenderResult result, long gpuMs) {
        Lease lease = cur.lease;
        byte[] png;
        try {
            png = stamper.stamp(result.image(), RecipePayloads.of(result.recipe(), result.iterations(), result.modelHashes(),
                    job.id(), settings.version()), job.id());
        } catch (ProvenanceException e) {
            failed(job, lease, "the finished image could not be stamped: " + e.getMessage(), gpuMs);
            return;
        }
        storeTimelapse(job, cur, result.image());
        results.commit(job, lease, png, result, gpuMs);
    }

    /** A render that stopped before its end: cancelled by the user, handed back at shutdown, or fenced off. */
    void ended(Job job, RunningJob cur, long gpuMs) {
        switch (cur.stop.get()) {
            case USER -> {
                if (store.leases().cancelled(cur.lease, gpuMs)) {
                    events.publish(new JobEvent.Cancelled(job.id(), store.reads().find(job.id()).map(Job::cancelledBy).orElse(null)));
                }
            }
            case SHUTDOWN -> {
                if (store.leases().release(cur.lease)) {
                    log.info("job {} handed back to the queue at shutdown", job.id());
                }
            }
            default -> log.warn("job {}: worker {} lost its lease; the work is discarded", job.id(), workerId);
        }
    }

    void failed(Job job, Lease lease, String reason, long gpuMs) {
        if (store.leases().fail(lease, reason, gpuMs)) {
            events.publish(new JobEvent.Failed(job.id(), reason));
        }
    }

    /** Before completion, so whoever hears of the finished job finds its timelapse. A failure costs only the video. */
    private void storeTimelapse(Job job, RunningJob cur, BufferedImage finalImage) {
        TimelapseSettings t = timelapses;
        if (t == null || cur.timelapse == null) {
            return;
        }
        try {
            Optional<TimelapseVideo> video;
            try {
                video = cur.timelapse.finish(finalImage, t.encoder());
            } catch (RuntimeException e) {
                if (t.encoder() == TimelapseEncoder.GIF) {
                    throw e;
                }
                log.warn("job {}: {}; storing an animated GIF instead", job.id(), e.getMessage());
                video = cur.timelapse.finish(finalImage, TimelapseEncoder.GIF);
            }
            video.ifPresent(v -> t.sink().storeTimelapse(cur.lease, v));
        } catch (RuntimeException e) {
            log.warn("job {}: the timelapse could not be stored: {}", job.id(), e.toString());
        }
    }

    /** Step and preview events of the running job. */
    private final class Progress implements RenderListener {
        private final Job job;
        private final RunningJob cur;

        Progress(Job job, RunningJob cur) {
            this.job = job;
            this.cur = cur;
        }

        @Override
        public void onStep(StepEvent step) {
            cur.iteration = step.iteration() + 1;
            cur.loss = step.loss();
            events.publish(new JobEvent.Progress(job.id(), step.iteration() + 1, step.total(), step.loss(), null));
        }

        @Override
        public void onPreview(int iteration, BufferedImage preview) {
            if (cur.timelapse != null) {
                cur.timelapse.add(preview);
            }
            byte[] png = png(preview);
            // the preview is the image decoded during step `iteration`, reported with that step's count
            int done = Math.max(iteration + 1, cur.iteration);
            if (settings.storePreviews()) {
                store.leases().storePreview(cur.lease, done, png);
            }
            events.publish(new JobEvent.Progress(job.id(), done, job.progressTotal(),
                    cur.loss == null ? Double.NaN : cur.loss, png));
        }
    }

    private static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("a preview could not be encoded as PNG", e);
        }
    }
}
