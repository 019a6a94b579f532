package dev.vqclip.cli;

import dev.vqclip.app.DatabaseConfig;
import dev.vqclip.app.SchedulerConfig;
import dev.vqclip.app.StoreFactory;
import dev.vqclip.app.Stores;
import dev.vqclip.app.Workers;
import dev.vqclip.engine.Renderer;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Durations;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.job.TimelapseEncoder;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.Recipe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code imagine --via-queue}: the job goes through the persistent queue like a chat request (user
 * {@code cli:<login>}), and this process waits for it. When no worker was seen recently, this process works the
 * queue itself (in fair order, so other users' earlier jobs may run first) until its job is done.
 */
final class QueuedImagine {
    private final String db;
    private final Path out;
    private final PrintWriter err;
    private final PrintWriter stdout;
    private Path video;
    private TimelapseEncoder videoEncoder = TimelapseEncoder.GIF;
    private boolean detached;

    QueuedImagine(String db, Path out, PrintWriter err, PrintWriter stdout) {
        this.db = db;
        this.out = out;
        this.err = err;
        this.stdout = stdout;
    }

    /** Also write the job's timelapse to this file (null: none). */
    QueuedImagine withVideo(Path file, TimelapseEncoder encoder) {
        this.video = file;
        this.videoEncoder = encoder == null ? TimelapseEncoder.GIF : encoder;
        return this;
    }

    /** Submit only: print the job id once it is durably queued, and leave the rendering to the workers. */
    QueuedImagine detached(boolean detach) {
        this.detached = detach;
        return this;
    }

    int run(Recipe recipe, Renderer renderer) {
        Clock clock = Clock.systemUTC();
        try (Stores stores = StoreFactory.open(DatabaseConfig.of(DatabaseConfig.urlOrDefault(db)), clock)) {
            JobStore store = stores.jobs();
            Showcase showcase = stores.showcase(clock);
            SchedulerConfig rules = SchedulerConfig.defaults();
            JobEvents events = new JobEvents();
            JobService jobs = new JobService(store, rules.limits(), rules.cost(), rules.moderation(), events,
                    stores.sharedClock());
            String login = System.getProperty("user.name", "local").replaceAll("[^A-Za-z0-9_.@-]", "_");
            SubmitResult submitted = jobs.submit(new JobRequest(new UserRef(FolderDelivery.PLATFORM, login, login), recipe,
                    "file:" + out.toAbsolutePath()));
            if (submitted instanceof SubmitResult.Refused r) {
                err.println("imagine: refused: " + r.reason());
                return 2;
            }
            SubmitResult.Accepted accepted = (SubmitResult.Accepted) submitted;
            long id = accepted.job().id();
            if (detached) {
                stdout.println("job " + id); // the enqueue committed: the job survives any crash from here on
                stdout.flush();
                return 0;
            }
            err.printf(Locale.ROOT, "queued as job %d (position %d, eta %s)%n", id, accepted.position(),
                    Durations.human(accepted.eta()));
            Worker local = null;
            while (true) {
                Job job = store.reads().find(id).orElseThrow();
                if (job.state().isFinal()) {
                    int code = finish(store, job);
                    if (code == 0 && video != null) {
                        ImagineCommand.writeVideo(showcase.timelapse(id), video, stdout, err);
                    }
                    return code;
                }
                if (store.workers().queueLoad(Duration.ofSeconds(30)).workers() == 0) {
                    if (local == null) {
                        err.println("no worker is running: rendering the queue in this process");
                        local = Workers.fallback(stores, renderer, events, rules.limits(), ImagineCommand.VIDEO_FRAMES,
                                videoEncoder, Main.version(), clock);
                    }
                    if (local.runOnce()) {
                        continue;
                    }
                }
                store.changes().awaitChange(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int finish(JobStore store, Job job) {
        switch (job.state()) {
            case DONE -> {
                try {
                    Files.write(out, store.reads().result(job.id()).orElseThrow());
                } catch (IOException e) {
                    err.println("imagine: cannot write " + out + ": " + e.getMessage());
                    return 1;
                }
                store.deliveries().markDelivered(job.id(), out.toString());
                // the render time, on whichever device the worker had: "GPU-s" would be wrong for a CPU worker
                stdout.printf(Locale.ROOT, "wrote %s (job %d, %d iterations, loss %.4f, %.1f s rendering)%n", out, job.id(),
                        job.progressIter(), job.progressLoss() == null ? Double.NaN : job.progressLoss(),
                        job.actualGpuMs() == null ? 0 : job.actualGpuMs() / 1000.0);
                return 0;
            }
            case CANCELLED -> {
                err.println("imagine: job " + job.id() + " was cancelled");
                return 1;
            }
            default -> {
                err.println("imagine: job " + job.id() + " failed: " + job.failure());
                return 1;
            }
        }
    }
}
