package dev.vqclip.contest;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Recipe;
import java.util.Optional;

/**
 * The checks on an image a member made earlier and brings to a contest: its provenance must name a finished job of
 * theirs that ran under the contest's rules inside the entry window, and its pixels must be that job's image.
 */
final class EarlierImage {
    private final JobService jobs;
    private final ImageProvenance provenance;
    private final EntryTemplate template;

    EarlierImage(JobService jobs, ImageProvenance provenance, EntryTemplate template) {
        this.jobs = jobs;
        this.provenance = provenance;
        this.template = template;
    }

    /** The job the image comes from; a {@link ContestRefusal} naming the first check it fails. */
    Job check(Contest c, UserRef member, byte[] image) {
        long jobId = provenance.jobId(image).filter(id -> id > 0).orElseThrow(() -> new ContestRefusal(
                "provenance: I found no vqclip job in that image (it may have been re-encoded or made elsewhere)"));
        Job job = jobs.job(jobId).orElseThrow(() -> new ContestRefusal(
                "provenance: the image names job " + jobId + ", which this bot never ran"));
        if (!job.user().key().equals(member.key())) {
            throw new ContestRefusal("author: job " + jobId + " was requested by someone else; only your own images "
                    + "can enter");
        }
        if (job.state() != JobState.DONE || job.finishedAt() == null) {
            throw new ContestRefusal("provenance: job " + jobId + " has not finished (" + job.state() + ")");
        }
        if (job.finishedAt().isBefore(c.createdAt()) || job.finishedAt().isAfter(c.entryEnd())) {
            throw new ContestRefusal("entry window: job " + jobId + " finished at " + job.finishedAt()
                    + ", outside this contest's entry window (" + c.createdAt() + " to " + c.entryEnd() + ")");
        }
        Recipe r = job.recipe();
        Optional<String> broken = c.rules().violation(r)
                .or(() -> r.clip().equals(template.clip()) && r.drawer().equals("vqgan") ? Optional.empty()
                        : Optional.of("model: contest entries use CLIP " + template.clip() + " and the vqgan drawer"));
        if (broken.isPresent()) {
            throw new ContestRefusal("rules: job " + jobId + " did not run under the contest's rules (" + broken.get()
                    + ")");
        }
        byte[] original = jobs.result(jobId).orElseThrow(() -> new ContestRefusal(
                "provenance: job " + jobId + "'s image is no longer stored, so I cannot compare yours with it"));
        if (!Pictures.samePixels(image, original)) {
            throw new ContestRefusal("altered: the image carries job " + jobId + "'s mark but its pixels differ from "
                    + "what the job rendered; submit the original file from the job's card");
        }
        return job;
    }
}
