package dev.vqclip.discord;

import dev.vqclip.job.JobState;
import dev.vqclip.prompt.Recipe;
import java.time.Duration;
import java.time.Instant;

/**
 * What the bot needs to show one job (/queue, /history, /show, the ℹ button).
 *
 * @param ownerId       the requester's Discord user id
 * @param position      queue position while QUEUED, else 0
 * @param eta           estimated time to the result while QUEUED/RUNNING, else null
 * @param waitingReason why a queued job is not running yet (e.g. "2 of your jobs are running"), or null
 * @param seed          the seed the job runs with
 * @param jobId         the job system's id, in decimal
 * @param recipe        the recipe (prompts, seed, size, iterations, models), shown behind the ℹ button; null when unknown
 * @param parentJobId   the job this one was rerolled/varied from, or null
 * @param reply         where the job's card lives
 * @param failure       the reason shown to the user when FAILED, else null
 * @param step          the last optimisation step reported (0 before the first)
 * @param totalSteps    the steps the job runs in all
 */
public record JobSummary(String jobId, String ownerId, String prompt, JobState status, int position, Duration eta,
                         String waitingReason, long seed, Recipe recipe, String parentJobId, Instant createdAt,
                         ReplyAddress reply, String failure, int step, int totalSteps) {
    public JobSummary {
        if (jobId == null || jobId.isBlank() || prompt == null || status == null || createdAt == null) {
            throw new IllegalArgumentException("a job summary needs an id, prompt, status and creation time, got "
                    + jobId + "/" + status);
        }
        Submission.requireJobId(jobId);
        Snowflakes.require("job owner id", ownerId);
        if (totalSteps < 1 || step < 0 || step > totalSteps) {
            throw new IllegalArgumentException("a job summary's progress must be a step in 0..totalSteps with "
                    + "totalSteps >= 1, got " + step + "/" + totalSteps + " for job " + jobId);
        }
    }

    /** The job system's id of this job. */
    public long id() {
        return Long.parseLong(jobId);
    }
}
