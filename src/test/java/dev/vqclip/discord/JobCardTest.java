package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import dev.vqclip.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The card's edit discipline, on a hand-driven clock and scheduler. */
class JobCardTest {
    private static final Duration INTERVAL = Duration.ofSeconds(3);
    private static final String OWNER = "1200000000000000001";

    private final List<Runnable> timers = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final List<CardView> views = new ArrayList<>();
    private final List<CardTarget> targets = new ArrayList<>();
    private final List<CompletableFuture<Void>> editOutcomes = new ArrayList<>();
    private final List<PostedCard> moves = new ArrayList<>();
    private final List<PostedCard> deliveries = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private JobCard card;
    private final List<CardDeliveryException> postFailures = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Instant> editTimes = new ArrayList<>();
    private boolean everyEditFails;

    @BeforeEach
    void setUp() {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        when(scheduler.schedule(any(Runnable.class), anyLong(), any(TimeUnit.class))).thenAnswer(inv -> {
            timers.add(inv.getArgument(0));
            return mock(ScheduledFuture.class);
        });
        CardTransport transport = new CardTransport() {
            @Override
            public CompletableFuture<PostedCard> post(CardTarget target, String ownerId, CardView view) {
                calls.add("post");
                views.add(view);
                targets.add(target);
                if (!postFailures.isEmpty()) {
                    return CompletableFuture.failedFuture(postFailures.remove(0));
                }
                return CompletableFuture.completedFuture(new PostedCard("1", "2", Integer.toString(100 + calls.size())));
            }

            @Override
            public CompletableFuture<Void> edit(PostedCard posted, String ownerId, CardView view) {
                calls.add("edit " + posted.messageId());
                views.add(view);
                editTimes.add(clock.instant());
                if (everyEditFails) {
                    return CompletableFuture.failedFuture(
                            new CardDeliveryException(CardDeliveryException.Reason.TRANSIENT, "502 Bad Gateway", null));
                }
                return editOutcomes.isEmpty() ? CompletableFuture.completedFuture(null) : editOutcomes.remove(0);
            }

            @Override
            public CompletableFuture<Void> delete(PostedCard posted, String ownerId) {
                calls.add("delete " + posted.messageId());
                return CompletableFuture.completedFuture(null);
            }
        };
        card = new JobCard(new CardState("1", OWNER, "a fox", null), CardTarget.channel("1", "2", null), transport,
                clock, scheduler, INTERVAL, moves::add, deliveries::add, failures::add, new ChannelEditBudget());
    }

    private static JobEvent.Progress step(int n) {
        return new JobEvent.Progress(1, n, 100, 0.5, InMemoryImagineBackend.png(n, 8));
    }

    private void runTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void aBurstOfStepsBecomesOneEditWithTheLatestPreviewAfterTheInterval() {
        card.open(null);
        card.apply(step(1)); // queued -> running is a state change: it goes out at once
        for (int n = 2; n <= 10; n++) {
            card.apply(step(n));
        }
        assertEquals(List.of("post", "edit 101"), calls);
        clock.advance(INTERVAL);
        runTimers();
        assertEquals(List.of("post", "edit 101", "edit 101"), calls);
        CardView last = views.get(2);
        assertTrue(last.content().contains("step 10/100"), last.content());
        assertTrue(last.hasImage(), "the newest preview is uploaded");
    }

    @Test
    void anEditWithoutANewPreviewKeepsTheAttachment() {
        card.open(null);
        card.apply(step(1));
        clock.advance(INTERVAL);
        card.apply(new JobEvent.Progress(1, 2, 100, 0.4, null));
        assertFalse(views.get(views.size() - 1).hasImage());
    }

    @Test
    void theFinalImageGoesOutWithoutWaitingForTheInterval() {
        card.open(null);
        card.apply(step(1));
        card.apply(new JobEvent.Finished(1, InMemoryImagineBackend.png(99, 8), 7, 100, 0.2), "recipe", false);
        CardView last = views.get(views.size() - 1);
        assertEquals("vqclip-1.png", last.imageName());
        assertEquals(CardRenderer.buttons(JobState.DONE, false), last.buttons());
    }

    @Test
    void theDeliveryIsReportedOnceWhenTheFinalStateIsOnTheCard() {
        card.open(null);
        card.apply(step(1));
        assertTrue(deliveries.isEmpty(), "progress is not a delivery");
        card.apply(new JobEvent.Finished(1, InMemoryImagineBackend.png(99, 8), 7, 100, 0.2), "recipe", false);
        assertEquals(List.of(new PostedCard("1", "2", "101")), deliveries);
        editOutcomes.add(CompletableFuture.failedFuture(
                new CardDeliveryException(CardDeliveryException.Reason.GONE, "10008", null)));
        card.apply(new JobEvent.Cancelled(1, "discord:" + OWNER)); // a done card stays done, but is edited again
        clock.advance(INTERVAL);
        runTimers();
        assertEquals("post", calls.get(calls.size() - 1), "the deleted final card was posted again");
        assertEquals(1, deliveries.size(), "a re-posted final card is not delivered twice");
    }

    @Test
    void aFailedEditOfTheFinalStateIsNoDelivery() {
        card.open(null);
        editOutcomes.add(CompletableFuture.failedFuture(
                new CardDeliveryException(CardDeliveryException.Reason.TRANSIENT, "502", null)));
        card.apply(new JobEvent.Failed(1, "out of memory"));
        assertTrue(deliveries.isEmpty());
        clock.advance(INTERVAL);
        runTimers();
        assertEquals(List.of(new PostedCard("1", "2", "101")), deliveries);
    }

    @Test
    void aDeletedCardIsPostedAgainWithANoticeAndTheCurrentImage() {
        card.open(null);
        editOutcomes.add(CompletableFuture.failedFuture(
                new CardDeliveryException(CardDeliveryException.Reason.GONE, "10008", null)));
        card.apply(step(1));
        assertEquals(List.of("post", "edit 101", "post"), calls);
        CardView repost = views.get(2);
        assertTrue(repost.content().contains("deleted") && repost.hasImage(), repost.content());
        assertEquals("103", moves.get(moves.size() - 1).messageId());
    }

    @Test
    void aForbiddenChannelSendsTheCardToTheOwnersDirectMessages() {
        postFailures.add(new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN, "50013", null));
        card.open(null);
        assertEquals(List.of("post", "post"), calls);
        assertEquals(CardTarget.direct(OWNER), targets.get(1));
        assertTrue(views.get(1).content().contains("may not post"), views.get(1).content());
    }

    @Test
    void aTransientFailureIsRetriedAfterTheIntervalWithTheLatestState() {
        card.open(null);
        editOutcomes.add(CompletableFuture.failedFuture(
                new CardDeliveryException(CardDeliveryException.Reason.TRANSIENT, "502", null)));
        card.apply(step(1));
        card.apply(step(2));
        assertEquals(List.of("post", "edit 101"), calls, "no retry before the interval");
        clock.advance(INTERVAL);
        runTimers();
        assertEquals(3, calls.size());
        assertTrue(views.get(2).content().contains("step 2/100"));
    }

    @Test
    void nothingIsPostedBeforeTheCardOpens() {
        card.apply(new JobEvent.Queued(1, 3, Duration.ofMinutes(2)));
        assertTrue(calls.isEmpty());
        card.open(null);
        assertTrue(views.get(0).content().contains("position 3"), views.get(0).content());
        assertNull(views.get(0).imageName());
    }

    @Test
    void aClosedDirectMessageEndsTheRetriesAtOnceAndRecordsTheFailure() {
        postFailures.add(new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN, "50013 Missing Permissions", null));
        postFailures.add(new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN,
                "50007 Cannot send messages to this user", null));
        card.open(null);
        card.apply(step(1));
        clock.advance(Duration.ofMinutes(10));
        runTimers();
        card.apply(new JobEvent.Finished(1, InMemoryImagineBackend.png(99, 8), 7, 100, 0.2), "recipe", false);
        assertEquals(List.of("post", "post"), calls, "the channel, then the owner's DMs, then nothing");
        assertEquals(List.of("50007 Cannot send messages to this user"), failures);
        assertTrue(deliveries.isEmpty());
    }

    @Test
    void aForbiddenEditEndsTheRetriesAtOnce() {
        card.open(null);
        editOutcomes.add(CompletableFuture.failedFuture(
                new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN, "50001 Missing Access", null)));
        card.apply(step(1));
        clock.advance(Duration.ofMinutes(10));
        runTimers();
        card.apply(new JobEvent.Finished(1, InMemoryImagineBackend.png(99, 8), 7, 100, 0.2), "recipe", false);
        assertEquals(List.of("post", "edit 101"), calls);
        assertEquals(List.of("50001 Missing Access"), failures);
    }

    @Test
    void transientFailuresAreRetriedABoundedNumberOfTimesWithGrowingPauses() {
        card.open(null);
        everyEditFails = true;
        card.apply(step(1));
        for (int second = 0; second < 600; second++) {
            clock.advance(Duration.ofSeconds(1));
            runTimers();
        }
        assertEquals(JobCard.MAX_TRIES, editTimes.size(), "tries " + editTimes);
        for (int i = 2; i < editTimes.size(); i++) {
            assertTrue(Duration.between(editTimes.get(i - 1), editTimes.get(i))
                    .compareTo(Duration.between(editTimes.get(i - 2), editTimes.get(i - 1))) > 0, "backoff " + editTimes);
        }
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).contains("502 Bad Gateway") && failures.get(0).contains(JobCard.MAX_TRIES + " tries"),
                failures.get(0));
        card.apply(new JobEvent.Finished(1, InMemoryImagineBackend.png(99, 8), 7, 100, 0.2), "recipe", false);
        assertEquals(JobCard.MAX_TRIES, editTimes.size(), "a card given up on stays quiet");
    }
}
