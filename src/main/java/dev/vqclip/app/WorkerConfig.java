package dev.vqclip.app;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a worker renders: shared by serve's local worker and {@code vqclip worker}.
 *
 * @param batch           up to this many queued jobs with the same models, size and cutouts share one optimizer pass
 * @param previewEvery    a preview at least this often while a job runs
 * @param spoolDir        finished images wait here until the database accepts them
 * @param timelapseFrames small previews kept per job for its timelapse; 0 turns timelapses off
 * @param ffmpeg          the ffmpeg executable, "none" for GIF only, or null to look on PATH
 */
public record WorkerConfig(int batch, Duration previewEvery, Path spoolDir, int timelapseFrames, String ffmpeg) {
    /** The side of timelapse frames: small, so a run's video stays a few hundred kilobytes. */
    public static final int TIMELAPSE_SIDE = 160;

    public WorkerConfig {
        if (batch < 1 || batch > 16) {
            throw new IllegalArgumentException("--batch must be in 1..16, got " + batch);
        }
        if (previewEvery == null || previewEvery.isNegative() || previewEvery.isZero()) {
            throw new IllegalArgumentException("--preview-every must be positive, got " + previewEvery);
        }
        if (spoolDir == null) {
            throw new IllegalArgumentException("--spool-dir must name a folder, got null");
        }
        if (timelapseFrames < 0 || timelapseFrames == 1 || timelapseFrames > 500) {
            throw new IllegalArgumentException("--timelapse-frames must be 0 (off) or 2..500, got " + timelapseFrames);
        }
    }
}
