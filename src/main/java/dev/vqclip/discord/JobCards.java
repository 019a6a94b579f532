package dev.vqclip.discord;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vqclip.job.JobEvent;
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
    private final Cache<String, List<Pending>> early = Caffeine.newBuilder().expireAfterWrite(EARLY_EVENTS_KEPT).build();

    /**
     * An event on its way to a card, with what a finished card shows that the event does not carry (read from the
     * job system once, when the event arrives): the recipe line (null when unknown) and whether a timelapse was kept.
     */
    private record Pending(JobEvent event, String recipeLine, boolean timelapse) {
        void applyTo(JobCard card) {
            card.apply(event, recipeLine, timelapse);
        }
    }

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
            pending(initial).applyTo(card);
        }
        List<Pending> pending = early.asMap().remove(jobId);
        if (pending != null) {
            pending.forEach(p -> p.applyTo(card));
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
        pending(currentState(job, backend)).applyTo(card);
        List<Pending> pending = early.asMap().remove(job.jobId());
        if (pending != null) {
            pending.forEach(p -> p.applyTo(card));
        }
        card.adopt(new PostedCard(at.guildId(), at.channelId(), at.cardMessageId()));
        return card;
    }

    /** The event that brings a card to a job's stored state (/show, and cards resumed after a restart). */
    static JobEvent currentState(JobSummary job, ImagineBackend backend) {
        long id = job.id();
        return switch (job.status()) {
            case QUEUED -> new JobEvent.Queued(id, job.position(), job.eta());
            // no preview: the card message still carries the last one
            case RUNNING -> new JobEvent.Progress(id, job.step(), job.totalSteps(), Double.NaN, null);
            case DONE -> backend.resultImage(job.jobId())
                    .<JobEvent>map(png -> new JobEvent.Finished(id, png, job.seed(), job.totalSteps(), Double.NaN))
                    .orElse(new JobEvent.Failed(id, "the image is no longer stored"));
            case FAILED -> new JobEvent.Failed(id, job.failure());
            case CANCELLED -> new JobEvent.Cancelled(id, null);
        };
    }

    private JobCard newCard(String jobId, String ownerId, String prompt, String parentJobId, CardTarget target,
                            Texts texts) {
        return new JobCard(new CardState(jobId, ownerId, prompt, parentJobId, texts), target, transport, clock, scheduler,
                editInterval, posted -> backend.cardMoved(jobId, posted.address()),
                posted -> backend.delivered(jobId, posted.address()), reason -> backend.deliveryFailed(jobId, reason), budget);
    }

    @Override
    public void accept(JobEvent event) {
        String jobId = Long.toString(event.jobId());
        Pending p = pending(event); // outside the lock: it may read the job system
        synchronized (this) {
            JobCard card = cards.getIfPresent(jobId);
            if (card == null) {
                early.asMap().computeIfAbsent(jobId, id -> new ArrayList<>()).add(p);
            } else {
                p.applyTo(card);
            }
        }
    }

    /** The event with what its card shows beside it; a finished job's recipe and timelapse are read here. */
    private Pending pending(JobEvent event) {
        if (!(event instanceof JobEvent.Finished)) {
            return new Pending(event, null, false);
        }
        String jobId = Long.toString(event.jobId());
        String recipeLine = backend.job(jobId).map(JobSummary::recipe).map(RecipeTexts::oneLine).orElse(null);
        return new Pending(event, recipeLine, backend.timelapse(jobId).isPresent());
    }

    Optional<JobCard> get(String jobId) {
        return Optional.ofNullable(cards.getIfPresent(jobId));
    }

    synchronized void forget(String jobId) {
        cards.invalidate(jobId);
    }
}
