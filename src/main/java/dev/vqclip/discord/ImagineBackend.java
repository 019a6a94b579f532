package dev.vqclip.discord;

import dev.vqclip.job.CancelResult;
import dev.vqclip.job.JobEvent;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The port from the Discord bot to the job system. The composition root implements it over
 * {@code job.JobService} (moderation, quotas, queue, persistence) and {@code provenance} (decode); tests
 * implement it in memory. Methods may block (database); the bot never calls them on JDA's gateway thread.
 */
public interface ImagineBackend {

    /** The most iterations a job may ask for; /imagine offers exactly this range. */
    int maxIterations();

    /** Validates, moderates and queues a job; the job is persisted before this returns Accepted. */
    Submission submit(ImagineRequest request);

    /**
     * A new job derived from a finished one (🔁 reroll, 🎲 variations), linked to its parent.
     *
     * @param requestId the click's identity (the card message's id and the button's custom id), so the same click
     *                  delivered twice, or a double click on the card's button, queues one job; null when unknown
     */
    Submission derive(String parentJobId, Derivation how, Requester requester, ReplyAddress reply, String requestId);

    /** Cancels a queued or running job; only its owner or a moderator of the server its card is in may. */
    CancelResult cancel(String jobId, Requester by);

    /** The user's queued and running jobs, in queue order. */
    List<JobSummary> queue(String userId);

    /** The user's most recent jobs, newest first, at most {@code limit}. */
    List<JobSummary> history(String userId, int limit);

    Optional<JobSummary> job(String jobId);

    /**
     * The cards a starting bot takes over: jobs that are queued or running, or final but never delivered, and
     * whose card message exists ({@code reply().cardMessageId()} is set). Their events keep coming after a restart
     * (final ones are announced again), and the bot edits these messages instead of posting new cards.
     */
    List<JobSummary> openCards();

    /** The final (stamped) PNG of a DONE job. */
    Optional<byte[]> resultImage(String jobId);

    /** The timelapse of a finished job's run (🎞): an MP4 or an animated GIF, or empty when none was kept. */
    Optional<byte[]> timelapse(String jobId);

    Usage usage(String userId);

    /** Records where a job's card now is (posted, reposted after deletion, or brought back by /show). */
    void cardMoved(String jobId, ReplyAddress card);

    /**
     * The job's final state (done with its image, failed or cancelled) is now shown on its card; the job system
     * records the delivery so it is not delivered again after a restart. Called once per card.
     */
    void delivered(String jobId, ReplyAddress card);

    /**
     * The job's card could not be delivered and the bot stopped trying ({@code reason}: Discord's refusal, e.g.
     * "50007 Cannot send messages to this user", or the last error after the retries); the job system records the
     * delivery as failed so it is not tried again after a restart. The result stays reachable through /show.
     */
    void deliveryFailed(String jobId, String reason);

    /**
     * Reads the provenance a vqclip image carries (LSB payload, PNG chunks, or the robust mark's job id), as the
     * /decode reply shows it ({@link DecodedProvenance#text()}).
     *
     * @throws IllegalArgumentException when the bytes are no image, with the reason
     */
    Optional<String> decode(byte[] image);

    /**
     * Runs an operator command and returns what to tell the operator. The bot has checked the operator's right:
     * a server's administrators act on their own server's settings only (layered over the global ones), bot owners
     * on the global ones.
     *
     * @param guildId the server whose settings change, or null for the global settings
     */
    String admin(AdminCommand command, String guildId, Requester by);

    /**
     * Subscribes to the events of the jobs that have a card here (Discord jobs, contest entries excepted), a
     * {@link JobEvent.Progress} always with its total. Events of one job arrive in order; the listener must not
     * block long: a finished job's card reads its recipe and timelapse through this port.
     *
     * @return closing it unsubscribes
     */
    AutoCloseable subscribe(Consumer<JobEvent> listener);
}
