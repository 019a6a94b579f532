package dev.vqclip.discord;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import java.time.Instant;

/**
 * Everything a job card shows, folded from the job's events. Owned and guarded by one {@link JobCard}; the
 * preview and final images are versioned so an edit re-uploads an image only when it changed.
 */
final class CardState {
    final String jobId;
    final String ownerId;
    final String prompt;
    final String parentJobId;
    /** The requester's language: the card speaks it. */
    final Texts texts;
    JobState status = JobState.QUEUED;
    int position;
    Instant readyAt;
    int step;
    int totalSteps;
    double loss = Double.NaN;
    byte[] image;
    String imageName;
    int imageVersion;
    String recipeSummary;
    /** A finished job whose run was kept as a timelapse: the card offers 🎞. */
    boolean timelapse;
    long seed;
    String failure;
    String cancelledBy;
    String notice;

    CardState(String jobId, String ownerId, String prompt, String parentJobId) {
        this(jobId, ownerId, prompt, parentJobId, Texts.ENGLISH);
    }

    CardState(String jobId, String ownerId, String prompt, String parentJobId, Texts texts) {
        this.texts = texts;
        this.jobId = jobId;
        this.ownerId = Snowflakes.require("card owner id", ownerId);
        this.prompt = prompt;
        this.parentJobId = parentJobId;
    }

    /**
     * What a finished card shows beside the image, which the job's events do not carry: the recipe in one line (null
     * when unknown) and whether a timelapse was kept. Set before the {@link JobEvent.Finished} is applied.
     */
    void result(String recipeLine, boolean keptTimelapse) {
        recipeSummary = recipeLine;
        timelapse = keptTimelapse;
    }

    /** Folds one event in; returns true when the card's state (not just its progress) changed. */
    boolean apply(JobEvent event, Instant now) {
        JobState before = status;
        if (event instanceof JobEvent.Queued q) {
            if (status != JobState.QUEUED) {
                return false; // a late queue update must not move a card backwards
            }
            position = q.position();
            readyAt = q.eta() == null ? null : now.plus(q.eta());
        } else if (event instanceof JobEvent.Started) {
            if (status.isFinal()) {
                return false;
            }
            status = JobState.RUNNING; // loading the models can take a while: the card says so before step 1
            step = 0;
            totalSteps = Math.max(1, totalSteps);
            loss = Double.NaN;
        } else if (event instanceof JobEvent.Progress p) {
            if (status.isFinal()) {
                return false;
            }
            status = JobState.RUNNING;
            totalSteps = Math.max(1, p.total() > 0 ? p.total() : totalSteps);
            step = Math.min(Math.max(0, p.iteration()), totalSteps);
            loss = p.loss();
            if (p.previewPng() != null) {
                image = p.previewPng();
                imageName = "preview-" + jobId + ".png";
                imageVersion++;
            }
        } else if (event instanceof JobEvent.Finished f) {
            if (status == JobState.DONE) {
                return false; // announced again after a restart (delivery is at-least-once): the image is shown
            }
            status = JobState.DONE;
            step = totalSteps;
            seed = f.seed();
            if (f.png().length <= ImageInput.MAX_BYTES) {
                image = f.png();
                imageName = "vqclip-" + jobId + ".png";
                imageVersion++;
            } else {
                failure = "the image is " + f.png().length / (1024 * 1024)
                        + " MiB, over Discord's 10 MiB limit; ask an operator for the file";
            }
        } else if (event instanceof JobEvent.Failed f) {
            if (status == JobState.FAILED) {
                return false;
            }
            status = JobState.FAILED;
            failure = f.reason() == null ? "the job failed" : f.reason();
        } else if (event instanceof JobEvent.Cancelled c) {
            if (status.isFinal()) {
                return false;
            }
            status = JobState.CANCELLED;
            cancelledBy = canceller(c.byUserKey());
        }
        return before != status;
    }

    /** The Discord user who cancelled; the owner when the job system or another platform's user did. */
    private String canceller(String userKey) {
        String prefix = Requester.PLATFORM + ":";
        return userKey != null && userKey.startsWith(prefix) ? userKey.substring(prefix.length()) : ownerId;
    }
}
