package dev.vqclip.discord;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The live cards by job id, fed by the job system's events. Events can arrive before the bot has opened the card
 * (the job system answers "accepted" and may start the job at once), so events of unknown jobs are held for a
 * short while and replayed, in order, when the card opens.
 */
final class JobCards implements Consumer<JobEvent> {
    private static final Duration EARLY_EVENTS_KEPT = Duration.ofMinutes(2);
    private static final Duration IDLE_CARD_KEPT = Duration.ofHours(6);

    private final CardTransport transport;
    private final ImagineBackend backend;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration editInterval;
    private final ChannelEditBudget budget = new ChannelEditBudget();
    private final Cache<String, JobCard> cards = Caffeine.newBuilder().expireAfterAccess(IDLE_CARD_KEPT).build();
    private final Cache<String, List<JobEvent>> early = Caffeine.newBuilder().expireAfterWrite(EARLY_EVENTS_KEPT).build();

    JobCards(CardTransport transport, ImagineBackend backend, Clock clock, ScheduledExecutorService scheduler,
             Duration editInterval) {
        this.transport = transport;
        this.backend = backend;
        this.clock = clock;
        this.scheduler = scheduler;
        this.editInterval = editInterval;
    }

    /**
     * Opens (posts) the card of a job and replays its early events.
     *
     * @param initial what the bot already knows (the queue position from the submission), or null
     * @param notice  a line shown under the card (e.g. why it is not the interaction reply), or null
     */
    synchronized JobCard open(String jobId, String ownerId, String prompt, String parentJobId, CardTarget target,
                              JobEvent initial, String notice) {
        return open(jobId, ownerId, prompt, parentJobId, target, initial, notice, Texts.ENGLISH);
    }

    /** {@link #open(String, String, String, String, CardTarget, JobEvent, String)} in the requester's language. */
    synchronized JobCard open(String jobId, String ownerId, String prompt, String parentJobId, CardTarget target,
                              JobEvent initial, String notice, Texts texts) {
        JobCard card = newCard(jobId, ownerId, prompt, parentJobId, target, texts);
        JobCard previous = cards.getIfPresent(jobId);
        if (previous != null) {
            previous.delete(); // /show brought the job back elsewhere: one card per job
        }
        cards.put(jobId, card);
        if (initial != null) {
            card.apply(initial);
        }
        List<JobEvent> pending = early.asMap().remove(jobId);
        if (pending != null) {
            pending.forEach(card::apply);
        }
        card.open(notice);
        return card;
    }

    /**
     * Takes over the existing card of a job after a restart: no new message, the card is edited by its id to
     * show the job's current state (and its final image when the job ended while the bot was away, which
     * delivers it). Events that came in since the bot subscribed are replayed after that state; a later event
     * that repeats it (the job system announces undelivered final states again) changes nothing. Returns the
     * card already open for this job when there is one.
     *
     * @param job a job of {@link ImagineBackend#openCards}: its reply address names the card message
     */
    synchronized JobCard resume(JobSummary job) {
        ReplyAddress at = job.reply();
        if (at == null || at.cardMessageId() == null) {
            throw new IllegalArgumentException("only a job whose card message exists can be resumed, job "
                    + job.jobId() + " has reply address " + at);
        }
        JobCard open = cards.getIfPresent(job.jobId());
        if (open != null) {
            return open;
        }
        // a card re-posted after a deletion goes where the old one was (DMs when it was a direct message)
        CardTarget target = at.guildId() == null ? CardTarget.direct(job.ownerId())
                : CardTarget.channel(at.guildId(), at.channelId(), null);
        JobCard card = newCard(job.jobId(), job.ownerId(), job.prompt(), job.parentJobId(), target, Texts.ENGLISH);
        cards.put(job.jobId(), card);
        card.apply(currentState(job, backend));
        List<JobEvent> pending = early.asMap().remove(job.jobId());
        if (pending != null) {
            pending.forEach(card::apply);
        }
        card.adopt(new PostedCard(at.guildId(), at.channelId(), at.cardMessageId()));
        return card;
    }

    /** The event that brings a card to a job's stored state (/show, and cards resumed after a restart). */
    static JobEvent currentState(JobSummary job, ImagineBackend backend) {
        String jobId = job.jobId();
        return switch (job.status()) {
            case QUEUED -> new JobEvent.Queued(jobId, job.position(), job.eta());
            // no preview: the card message still carries the last one
            case RUNNING -> new JobEvent.Progress(jobId, job.step(), job.totalSteps(), Double.NaN, null);
            case DONE -> backend.resultImage(jobId)
                    .<JobEvent>map(png -> new JobEvent.Finished(jobId, png, job.recipe(), job.seed(),
                            backend.timelapse(jobId).isPresent()))
                    .orElse(new JobEvent.Failed(jobId, "the image is no longer stored"));
            case FAILED -> new JobEvent.Failed(jobId, job.failure());
            case CANCELLED -> new JobEvent.Cancelled(jobId, job.ownerId());
        };
    }

    private JobCard newCard(String jobId, String ownerId, String prompt, String parentJobId, CardTarget target,
                            Texts texts) {
        return new JobCard(new CardState(jobId, ownerId, prompt, parentJobId, texts), target, transport, clock, scheduler,
                editInterval, posted -> backend.cardMoved(jobId, posted.address()),
                posted -> backend.delivered(jobId, posted.address()), reason -> backend.deliveryFailed(jobId, reason), budget);
    }

    @Override
    public synchronized void accept(JobEvent event) {
        JobCard card = cards.getIfPresent(event.jobId());
        if (card == null) {
            early.asMap().computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
        } else {
            card.apply(event);
        }
    }

    Optional<JobCard> get(String jobId) {
        return Optional.ofNullable(cards.getIfPresent(jobId));
    }

    synchronized void forget(String jobId) {
        cards.invalidate(jobId);
    }
}
