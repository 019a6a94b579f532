package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Taking over a card after a restart: the existing message is edited, never posted again. */
class JobCardsResumeTest {
    private static final String OWNER = "1200000000000000001";
    private static final ReplyAddress CARD = new ReplyAddress("1", "2", "555");

    private final List<String> calls = new ArrayList<>();
    private final List<CardView> views = new ArrayList<>();
    private final ImagineBackend backend = mock(ImagineBackend.class);
    private JobCards cards;

    @BeforeEach
    void setUp() {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        when(scheduler.schedule(any(Runnable.class), anyLong(), any(TimeUnit.class)))
                .thenAnswer(inv -> mock(ScheduledFuture.class));
        CardTransport transport = new CardTransport() {
            @Override
            public CompletableFuture<PostedCard> post(CardTarget target, String ownerId, CardView view) {
                calls.add("post");
                views.add(view);
                return CompletableFuture.completedFuture(new PostedCard("1", "2", "777"));
            }

            @Override
            public CompletableFuture<Void> edit(PostedCard card, String ownerId, CardView view) {
                calls.add("edit " + card.messageId());
                views.add(view);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> delete(PostedCard card, String ownerId) {
                calls.add("delete " + card.messageId());
                return CompletableFuture.completedFuture(null);
            }
        };
        cards = new JobCards(transport, backend, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
                scheduler, Duration.ofSeconds(3));
    }

    private static JobSummary summary(JobState status, int step, ReplyAddress reply) {
        return new JobSummary("1", OWNER, "a fox", status, 0, null, null, 7, InMemoryImagineBackend.recipe("a fox").withSeed(7), null,
                Instant.EPOCH, reply, null, step, 100);
    }

    @Test
    void aRunningJobsCardIsEditedInPlaceWithItsStoredProgress() {
        JobCard card = cards.resume(summary(JobState.RUNNING, 30, CARD));
        assertEquals(List.of("edit 555"), calls);
        assertTrue(views.get(0).content().contains("step 30/100"), views.get(0).content());
        assertEquals(new PostedCard("1", "2", "555"), card.firstPosted().join());
        assertEquals(card, cards.get("1").orElseThrow(), "the job's events now reach this card");
    }

    @Test
    void eventsThatCameBeforeTheTakeOverAreAppliedAfterTheStoredState() {
        cards.accept(new JobEvent.Progress(1, 40, 100, 0.3, InMemoryImagineBackend.png(40, 8)));
        cards.resume(summary(JobState.RUNNING, 30, CARD));
        assertEquals(List.of("edit 555"), calls);
        assertTrue(views.get(0).content().contains("step 40/100"), views.get(0).content());
        assertTrue(views.get(0).hasImage(), "the held preview goes out with the first edit");
    }

    @Test
    void aJobThatFinishedWhileTheBotWasAwayIsDeliveredOnceWithItsStoredImage() {
        byte[] png = InMemoryImagineBackend.png(99, 8);
        when(backend.resultImage("1")).thenReturn(Optional.of(png));
        cards.resume(summary(JobState.DONE, 100, CARD));
        assertEquals(List.of("edit 555"), calls);
        assertEquals("vqclip-1.png", views.get(0).imageName());
        verify(backend).delivered("1", CARD);
        // the job system announces the undelivered final state again: it is already on the card
        cards.accept(new JobEvent.Finished(1, png, 7, 100, 0.2));
        assertTrue(views.stream().skip(1).noneMatch(CardView::hasImage), "the image is not uploaded again");
        verify(backend).delivered(any(), any());
    }

    @Test
    void aJobWithoutACardMessageCannotBeTakenOver() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cards.resume(summary(JobState.RUNNING, 30, new ReplyAddress("1", "2", null))));
        assertTrue(e.getMessage().contains("card message"), e.getMessage());
        assertTrue(calls.isEmpty());
    }
}
