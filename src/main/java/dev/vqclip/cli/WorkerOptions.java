package dev.vqclip.cli;

import dev.vqclip.app.TimelapseEncoders;
import dev.vqclip.app.WorkerConfig;
import java.nio.file.Path;
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

    /** @param defaultSpool where finished images wait when --spool-dir is not given */
    WorkerConfig config(Path defaultSpool) {
        return new WorkerConfig(batch, SchedulerOptions.duration("--preview-every", previewEvery),
                spoolDir == null ? defaultSpool : spoolDir, timelapseFrames, ffmpeg);
    }
}
