package dev.vqclip.discord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The edits all cards of one channel may make: Discord allows about {@value #EDITS} message edits per 5 s per
 * channel, and a channel with many queued cards would otherwise spend them on queue positions. Queue-position
 * updates may use only {@value #QUEUED_SHARE} of the slots, so previews and state changes of running jobs go first;
 * a card that must wait keeps only its latest state, which coalesces its updates.
 */
final class ChannelEditBudget {
    static final int EDITS = 5;
    static final Duration PER = Duration.ofSeconds(5);
    static final int QUEUED_SHARE = 2;

    private final Map<String, Deque<Instant>> sent = new HashMap<>();

    /**
     * Takes a slot for an edit in {@code channelId} now and returns {@code now}, or returns when a slot frees
     * (and takes nothing).
     *
     * @param queuedUpdate a queue-position update, which yields to running jobs
     */
    synchronized Instant reserve(String channelId, boolean queuedUpdate, Instant now) {
        Deque<Instant> times = sent.computeIfAbsent(channelId, c -> new ArrayDeque<>());
        Instant start = now.minus(PER);
        while (!times.isEmpty() && !times.peekFirst().isAfter(start)) {
            times.removeFirst();
        }
        int cap = queuedUpdate ? QUEUED_SHARE : EDITS;
        if (times.size() < cap) {
            times.addLast(now);
            return now;
        }
        // a slot frees when the edit (size - cap + 1) places from the oldest leaves the window
        Iterator<Instant> it = times.iterator();
        Instant freeing = it.next();
        for (int i = 0; i < times.size() - cap; i++) {
            freeing = it.next();
        }
        return freeing.plus(PER).plusMillis(1);
    }

    /** Counts a message that was sent without asking (a new card), so later edits leave room for it. */
    synchronized void record(String channelId, Instant now) {
        sent.computeIfAbsent(channelId, c -> new ArrayDeque<>()).addLast(now);
    }
}
