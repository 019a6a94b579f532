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
        JobCard card = new JobCard(new CardState(jobId, ownerId, prompt, parentJobId), target, transport, clock,
                scheduler, editInterval, posted -> backend.cardMoved(jobId, posted.address()),
                posted -> backend.delivered(jobId, posted.address()));
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
