package dev.vqclip.cli;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.optimize.MemoryPlan;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.engine.Renderer;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.Worker;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How a worker renders: shared by serve (its local worker) and worker. */
final class WorkerOptions {
    @Option(names = "--batch", defaultValue = "1", paramLabel = "B",
            description = "run up to B queued jobs with the same models, size and cutouts in one optimizer pass; default ${DEFAULT-VALUE}")
    int batch;

    @Option(names = "--preview-every", defaultValue = "5s", paramLabel = "DURATION",
            description = "a preview at least this often while a job runs; default ${DEFAULT-VALUE}")
    String previewEvery;

    @Option(names = "--spool-dir", paramLabel = "DIR",
            description = "finished images wait here until the database accepts them, and are adopted after a restart; "
                    + "default: data/spool (serve: next to --results-dir)")
    Path spoolDir;

    @Option(names = "--timelapse-frames", defaultValue = "48", paramLabel = "N",
            description = "keep up to N small previews per job and store them as an MP4 (with ffmpeg) or animated GIF (0 = off); default ${DEFAULT-VALUE}")
    int timelapseFrames;

    @Option(names = "--ffmpeg", paramLabel = "PATH|none", description = TimelapseEncoders.OPTION_HELP)
    String ffmpeg;

    /** The side of timelapse frames: small, so a run's video stays a few hundred kilobytes. */
    static final int TIMELAPSE_SIDE = 160;

    /** Gives the worker its timelapse store, unless --timelapse-frames 0 turned timelapses off. */
    Worker withTimelapses(Worker worker, Showcase showcase, PrintWriter log) {
        if (timelapseFrames < 0 || timelapseFrames == 1 || timelapseFrames > 500) {
            throw new IllegalArgumentException("--timelapse-frames must be 0 (off) or 2..500, got " + timelapseFrames);
        }
        return timelapseFrames == 0 ? worker
                : worker.withTimelapses(showcase, timelapseFrames, TIMELAPSE_SIDE, TimelapseEncoders.choose(ffmpeg, log));
    }

    EngineRenderer renderer(ModelRepository models, Clock clock, MemoryPlan memory) {
        return new EngineRenderer(models, new EngineRenderer.Options(
                SchedulerOptions.duration("--preview-every", previewEvery), clock, Main.version(), memory,
                new SafeImageFiles()));
    }

    /** @param storePreviews previews also go to the database, for adapters in another process */
    Worker worker(String id, JobStore store, Renderer renderer, JobEvents events, Limits limits, Duration idlePoll,
                  boolean storePreviews, Clock clock) {
        String software = "vqclip " + Main.version();
        return new Worker(id, store, CrashHook.wrap(renderer), new Stamper(Watermark.standard(), software), events, limits,
                new Worker.Settings(idlePoll, storePreviews, software, batch, spoolDir == null ? Path.of("data", "spool") : spoolDir),
                clock);
    }
}
