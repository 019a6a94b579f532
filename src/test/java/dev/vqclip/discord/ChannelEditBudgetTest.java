package dev.vqclip.discord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.vqclip.job.JobEvent;
import dev.vqclip.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many cards in one channel, on a hand-driven clock: the channel sees at most 5 edits per 5 s, running jobs first. */
class ChannelEditBudgetTest {
    private static final String OWNER = "1200000000000000001";
    private static final Duration INTERVAL = Duration.ofSeconds(3);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Map.Entry<Instant, Runnable>> timers = new ArrayList<>();
    private final List<Map.Entry<Instant, String>> edits = new ArrayList<>();
    /** The last content each card message was edited to. */
    private final Map<String, String> shown = new HashMap<>();
    private int messages;

    @Test
    void queuePositionsOfManyCardsAreCoalescedAndRunningPreviewsGoFirst() {
        JobCards cards = new JobCards(transport(), new InMemoryImagineBackend(), clock, scheduler(), INTERVAL);
        String running = "100";
        cards.open(running, OWNER, "the running one", null, CardTarget.channel("1", "2", null),
                new JobEvent.Progress(Long.parseLong(running), 1, 100, 0.5, null), null);
        List<String> queued = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String id = Integer.toString(i);
            queued.add(id);
            cards.open(id, OWNER, "queued " + i, null, CardTarget.channel("1", "2", null),
                    new JobEvent.Queued(Long.parseLong(id), i + 1, Duration.ofMinutes(i)), null);
        }
        assertEquals(21, messages);
        edits.clear();
        // every second the queue moves by one, and the running job makes progress
        List<Instant> runningEdits = new ArrayList<>();
        for (int second = 1; second <= 30; second++) {
            for (int i = 0; i < queued.size(); i++) {
                cards.accept(new JobEvent.Queued(Long.parseLong(queued.get(i)), Math.max(1, i + 1 - second), Duration.ofMinutes(i)));
            }
            cards.accept(new JobEvent.Progress(Long.parseLong(running), 1 + second * 3, 100, 0.4, InMemoryImagineBackend.png(second, 8)));
            advance(Duration.ofSeconds(1));
        }
        advance(Duration.ofSeconds(120));
        for (int i = 0; i < edits.size(); i++) {
            Instant start = edits.get(i).getKey();
            long inWindow = edits.stream().filter(e -> !e.getKey().isBefore(start)
                    && e.getKey().isBefore(start.plus(ChannelEditBudget.PER))).count();
            assertTrue(inWindow <= ChannelEditBudget.EDITS, inWindow + " edits in 5 s from " + start);
        }
        edits.stream().filter(e -> e.getValue().equals(running)).forEach(e -> runningEdits.add(e.getKey()));
        assertTrue(runningEdits.size() >= 30 / 3 - 1, "the running card kept its preview pace: " + runningEdits.size());
        for (int i = 0; i < queued.size(); i++) {
            String last = shown.get(messageOf(queued.get(i)));
            assertTrue(last.contains("position 1 ·"), "card " + queued.get(i) + " shows the latest position: " + last);
        }
    }

    private final Map<String, String> messageIds = new HashMap<>();

    private String messageOf(String jobId) {
        return messageIds.get(jobId);
    }

    private CardTransport transport() {
        return new CardTransport() {
            @Override
            public CompletableFuture<PostedCard> post(CardTarget target, String ownerId, CardView view) {
                String id = Integer.toString(1000 + ++messages);
                messageIds.put(view.jobId(), id);
                shown.put(id, view.content());
                return CompletableFuture.completedFuture(new PostedCard("1", "2", id));
            }

            @Override
            public CompletableFuture<Void> edit(PostedCard card, String ownerId, CardView view) {
                edits.add(Map.entry(clock.instant(), view.jobId()));
                shown.put(card.messageId(), view.content());
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Void> delete(PostedCard card, String ownerId) {
                return CompletableFuture.completedFuture(null);
            }
        };
    }

    private void advance(Duration by) {
        Instant end = clock.instant().plus(by);
        while (true) {
            Map.Entry<Instant, Runnable> next = timers.stream().filter(t -> !t.getKey().isAfter(end))
                    .min(Map.Entry.comparingByKey()).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            if (next.getKey().isAfter(clock.instant())) {
                clock.set(next.getKey());
            }
            next.getValue().run();
        }
        clock.set(end);
    }

    private ScheduledExecutorService scheduler() {
        ScheduledExecutorService scheduler = mock(ScheduledExecutorService.class);
        when(scheduler.schedule(any(Runnable.class), anyLong(), any(TimeUnit.class))).thenAnswer(inv -> {
            long millis = ((TimeUnit) inv.getArgument(2)).toMillis(inv.getArgument(1));
            Map.Entry<Instant, Runnable> timer = Map.entry(clock.instant().plusMillis(millis), inv.getArgument(0));
            timers.add(timer);
            ScheduledFuture<?> future = mock(ScheduledFuture.class);
            when(future.cancel(false)).thenAnswer(c -> timers.remove(timer));
            return future;
        });
        return scheduler;
    }

}
