package dev.vqclip.job;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process event bus. Events come from local workers directly and from {@link JobWatcher} (jobs run by
 * workers in other processes); the bus drops what a subscriber already saw from the other source: progress that
 * does not move forward, and a second final event of the same job.
 */
public final class JobEvents {
    private static final Logger log = LoggerFactory.getLogger(JobEvents.class);

    private final List<Consumer<JobEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Cache<Long, Integer> lastIteration = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Cache<Long, Boolean> ended = Caffeine.newBuilder().maximumSize(100_000).build();

    /** @return closing it unsubscribes */
    public AutoCloseable subscribe(Consumer<JobEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    public void publish(JobEvent event) {
        synchronized (this) {
            if (ended.getIfPresent(event.jobId()) != null) {
                return;
            }
            if (event.isFinal()) {
                ended.put(event.jobId(), true);
            } else if (event instanceof JobEvent.Progress p) {
                Integer last = lastIteration.getIfPresent(p.jobId());
                if (last != null && (p.iteration() < last || (p.iteration() == last && p.previewPng() == null))) {
                    return;
                }
                lastIteration.put(p.jobId(), p.iteration());
            } else if (event instanceof JobEvent.Started || event instanceof JobEvent.Queued) {
                lastIteration.invalidate(event.jobId()); // a re-leased job starts counting again
            }
        }
        for (Consumer<JobEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("an event subscriber failed on {} of job {}: {}", event.getClass().getSimpleName(), event.jobId(),
                        e.toString());
            }
        }
    }
}
