package dev.vqclip.discord;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's card: an ordinary channel message, posted once and then edited by message id. Events only mark the
 * card dirty; at most one request is in flight, and progress edits are at least {@code editInterval} apart, so a
 * burst of steps collapses into one edit showing the latest preview (Discord allows roughly 5 edits per 5 s per
 * channel). State changes (running, done, failed, cancelled) go out as soon as no request is in flight.
 * A deleted card (10008) is posted again and a forbidden channel falls back to the owner's DMs. Where that is not
 * possible (closed DMs 50007, missing access 50001 or permissions 50013 on an edit or in DMs) the card stops at once;
 * anything else is retried {@value #MAX_TRIES} times with doubling pauses, then the card stops too. A card that stops
 * reports why, so the job's delivery is recorded as failed (its image stays reachable through /show); the job itself
 * is never touched by a delivery problem.
 */
final class JobCard {
    private static final Logger LOG = LoggerFactory.getLogger(JobCard.class);
    /** Tries of one request before the card gives up. */
    static final int MAX_TRIES = 5;
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(2);

    private final CardState state;
    private final CardTransport transport;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Duration editInterval;
    private final Consumer<PostedCard> onMoved;
    private final Consumer<PostedCard> onDelivered;
    private final Consumer<String> onGaveUp;
    private final ChannelEditBudget budget;
    private final CompletableFuture<PostedCard> firstPosted = new CompletableFuture<>();

    private CardTarget target;
    private PostedCard posted;
    private boolean dirty;
    private boolean urgent;
    private boolean inFlight;
    private boolean deleted;
    /** Events before {@link #open} only fold into the state; the first post happens on open. */
    private boolean opened;
    private int sentImageVersion;
    private Instant lastSentAt;
    /** After a failed request nothing is sent before this instant. */
    private Instant retryAt = Instant.MIN;
    private ScheduledFuture<?> timer;
    /** The final state reached Discord once; later re-posts (after a deletion) are not reported again. */
    private boolean deliveryReported;
    /** Failed tries in a row. */
    private int failures;
    /** Discord refused for good, or too many tries failed: nothing more is sent. */
    private boolean gaveUp;

    JobCard(CardState state, CardTarget target, CardTransport transport, Clock clock,
            ScheduledExecutorService scheduler, Duration editInterval, Consumer<PostedCard> onMoved,
            Consumer<PostedCard> onDelivered, Consumer<String> onGaveUp, ChannelEditBudget budget) {
        this.state = state;
        this.target = target;
        this.transport = transport;
        this.clock = clock;
        this.scheduler = scheduler;
        this.editInterval = editInterval;
        this.onMoved = onMoved;
        this.onDelivered = onDelivered;
        this.onGaveUp = onGaveUp;
        this.budget = budget;
    }

    String jobId() {
        return state.jobId;
    }

    String ownerId() {
        return state.ownerId;
    }

    /** Completes when the card message first exists (to tell the user where it is). */
    CompletableFuture<PostedCard> firstPosted() {
        return firstPosted;
    }

    synchronized PostedCard posted() {
        return posted;
    }

    synchronized boolean isFinal() {
        return state.status.isFinal();
    }

    /** Posts the card now (its first rendering). */
    synchronized void open(String notice) {
        state.notice = notice;
        opened = true;
        dirty = true;
        urgent = true;
        pump();
    }

    /**
     * Takes over a card message posted before a restart: it is edited (not posted again) to show the current
     * state, and posted anew only when it was deleted meanwhile.
     */
    synchronized void adopt(PostedCard existing) {
        if (opened) {
            throw new IllegalStateException("card of job " + state.jobId + " is already open");
        }
        posted = existing;
        firstPosted.complete(existing);
        sentImageVersion = -1; // what the old message shows is unknown: the first edit carries the current image
        opened = true;
        dirty = true;
        urgent = true;
        pump();
    }

    synchronized void apply(JobEvent event) {
        apply(event, null, false);
    }

    /**
     * @param recipeLine    for a {@link JobEvent.Finished}: the recipe in one line under the image, or null
     * @param keptTimelapse for a {@link JobEvent.Finished}: whether the card offers the run's timelapse
     */
    synchronized void apply(JobEvent event, String recipeLine, boolean keptTimelapse) {
        if (deleted) {
            return;
        }
        if (event instanceof JobEvent.Finished) {
            state.result(recipeLine, keptTimelapse);
        }
        boolean changed = state.apply(event, clock.instant());
        dirty = true;
        urgent |= changed;
        pump();
    }

    /** The owner deleted the card with its button: stop editing it and remove the message. */
    synchronized CompletableFuture<Void> delete() {
        deleted = true;
        cancelTimer();
        return posted == null ? CompletableFuture.completedFuture(null) : transport.delete(posted, state.ownerId);
    }

    private void pump() {
        if (!opened || inFlight || !dirty || deleted || gaveUp) {
            return;
        }
        Instant now = clock.instant();
        Instant earliest = retryAt;
        if (posted != null && !urgent && lastSentAt != null && lastSentAt.plus(editInterval).isAfter(earliest)) {
            earliest = lastSentAt.plus(editInterval);
        }
        if (!now.isBefore(earliest) && posted != null) {
            // the channel's edits are shared by its cards: a queue position waits behind running jobs
            earliest = budget.reserve(posted.channelId(), state.status == JobState.QUEUED, now);
        }
        if (now.isBefore(earliest)) {
            if (timer == null) {
                timer = scheduler.schedule(this::timerFired, Duration.between(now, earliest).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            return;
        }
        cancelTimer();
        int imageVersion = state.imageVersion;
        CardView view = CardRenderer.render(state, imageVersion != sentImageVersion);
        boolean finalView = state.status.isFinal();
        dirty = false;
        urgent = false;
        inFlight = true;
        if (posted == null) {
            CardTarget to = target;
            if (!to.isDirect()) {
                budget.record(to.channelId(), now);
            }
            transport.post(to, state.ownerId, view).whenComplete((card, error) -> posted(to, card, imageVersion, finalView, error));
        } else {
            PostedCard card = posted;
            transport.edit(card, state.ownerId, view).whenComplete((ok, error) -> edited(card, imageVersion, finalView, error));
        }
    }

    private synchronized void posted(CardTarget to, PostedCard card, int imageVersion, boolean finalView,
                                     Throwable error) {
        inFlight = false;
        lastSentAt = clock.instant();
        if (error == null) {
            failures = 0;
            posted = card;
            sentImageVersion = imageVersion;
            if (deleted) {
                transport.delete(card, state.ownerId);
                return;
            }
            firstPosted.complete(card);
            onMoved.accept(card);
            reportDelivery(card, finalView);
        } else if (reason(error) != CardDeliveryException.Reason.TRANSIENT && !to.isDirect()) {
            LOG.info("job {}: may not post in channel {}, sending the card to the owner's DMs", state.jobId, to.channelId());
            target = CardTarget.direct(state.ownerId);
            state.notice = state.texts.get("card.forbidden", "<#" + to.channelId() + ">");
            failures = 0;
            retryNow();
        } else {
            failed("posting the card", error);
        }
        pump();
    }

    private synchronized void edited(PostedCard card, int imageVersion, boolean finalView, Throwable error) {
        inFlight = false;
        lastSentAt = clock.instant();
        if (error == null) {
            failures = 0;
            sentImageVersion = imageVersion;
            reportDelivery(card, finalView);
        } else if (reason(error) == CardDeliveryException.Reason.GONE) {
            LOG.info("job {}: card {} was deleted, posting a new one", state.jobId, card.messageId());
            posted = null;
            target = CardTarget.channel(card.guildId(), card.channelId(), null);
            state.notice = state.texts.get("card.redrawn");
            sentImageVersion = -1; // the new message needs the current image
            failures = 0;
            retryNow();
        } else {
            failed("editing card " + card.messageId(), error);
        }
        pump();
    }

    /** A refusal ends the card at once; anything else is tried again after a pause that doubles, a few times. */
    private void failed(String what, Throwable error) {
        failures++;
        String why = cause(error).getMessage();
        if (reason(error) == CardDeliveryException.Reason.FORBIDDEN) {
            giveUp(what, why);
        } else if (failures >= MAX_TRIES) {
            giveUp(what, "gave up after " + failures + " tries: " + why);
        } else {
            Duration pause = editInterval.multipliedBy(1L << (failures - 1));
            pause = pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
            LOG.warn("job {}: {} failed ({} of {} tries), trying again in {}: {}", state.jobId, what, failures,
                    MAX_TRIES, pause, why);
            dirty = true;
            urgent = true;
            retryAt = clock.instant().plus(pause);
        }
    }

    private void giveUp(String what, String why) {
        LOG.warn("job {}: {} failed for good, the card stops ({}); the result stays reachable through /show",
                state.jobId, what, why);
        gaveUp = true;
        cancelTimer();
        onGaveUp.accept(why);
    }

    /** The job system marks the job delivered once its final state (with the final image) is on Discord. */
    private void reportDelivery(PostedCard card, boolean finalView) {
        if (finalView && !deliveryReported) {
            deliveryReported = true;
            onDelivered.accept(card);
        }
    }

    private void retryNow() {
        dirty = true;
        urgent = true;
        retryAt = Instant.MIN;
    }

    private synchronized void timerFired() {
        timer = null;
        pump();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static CardDeliveryException.Reason reason(Throwable error) {
        return cause(error) instanceof CardDeliveryException d ? d.reason() : CardDeliveryException.Reason.TRANSIENT;
    }

    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
