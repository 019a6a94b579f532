package dev.vqclip.discord;

import java.time.Duration;

/** The job system's answer to a submission: accepted into the queue, or refused with a reason for the user. */
public sealed interface Submission {

    /** A job id as the bot shows and takes it: the job system's positive id, in decimal. */
    static String requireJobId(String jobId) {
        if (jobId == null || !jobId.matches("[1-9][0-9]{0,18}")) {
            throw new IllegalArgumentException("a job id is a positive decimal number, got '" + jobId + "'");
        }
        return jobId;
    }

    /**
     * @param position 1-based place in the queue (0 = starting now)
     * @param eta      estimated time until the result, or null when unknown
     */
    record Accepted(String jobId, int position, Duration eta) implements Submission {
        public Accepted {
            requireJobId(jobId);
            if (position < 0) {
                throw new IllegalArgumentException("queue position must be >= 0, got " + position);
            }
        }
    }

    /** @param reason shown to the user as is (e.g. "queue full", "quota used; try again at 14:05") */
    record Refused(String reason) implements Submission {
        public Refused {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("a refusal must say why");
            }
        }
    }
}
