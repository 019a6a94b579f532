package dev.vqclip.discord;

import java.time.Duration;

/** What the job system reports about a job while it runs; the bot turns each into a card edit. */
public sealed interface JobEvent {
    String jobId();

    /** The job waits: 1-based position and an estimate, or null when unknown. */
    record Queued(String jobId, int position, Duration eta) implements JobEvent {
    }

    /**
     * An optimisation step finished.
     *
     * @param previewPng a PNG of the current image, or null on steps without a preview
     */
    record Progress(String jobId, int step, int totalSteps, double loss, byte[] previewPng) implements JobEvent {
        public Progress {
            if (step < 0 || totalSteps < 1 || step > totalSteps) {
                throw new IllegalArgumentException("progress step must be in 0.." + totalSteps + ", got " + step);
            }
        }
    }

    /**
     * The stamped final image (PNG; Discord takes at most 10 MiB per file) and the recipe in one line.
     *
     * @param timelapse whether the job system keeps a timelapse of the run (the card then offers 🎞)
     */
    record Finished(String jobId, byte[] png, String recipeSummary, long seed, boolean timelapse) implements JobEvent {
        public Finished {
            if (png == null || png.length == 0) {
                throw new IllegalArgumentException("a finished job needs its image (job " + jobId + ")");
            }
        }

        /** A finished job without a timelapse. */
        public Finished(String jobId, byte[] png, String recipeSummary, long seed) {
            this(jobId, png, recipeSummary, seed, false);
        }
    }

    /** @param reason shown to the user */
    record Failed(String jobId, String reason) implements JobEvent {
    }

    /** @param byUserId who cancelled it */
    record Cancelled(String jobId, String byUserId) implements JobEvent {
    }
}
