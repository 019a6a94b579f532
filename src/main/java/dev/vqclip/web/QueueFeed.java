package dev.vqclip.web;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobViews;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live queue page. Job events (from local workers, or relayed from the database by the job watcher) mark the
 * queue changed; at most every {@code interval} the queue is rendered once and pushed to every open page as a
 * server-sent event, so a thousand viewers cost one query, and nobody polls.
 */
final class QueueFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueFeed.class);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final JobViews views;
    private final Templates templates;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean changed = new AtomicBoolean();
    private final ScheduledExecutorService pusher;
    private final AutoCloseable subscription;

    QueueFeed(JobViews views, Templates templates, JobEvents events, Duration interval) {
        this.views = views;
        this.templates = templates;
        this.subscription = events.subscribe(this::onEvent);
        this.pusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vqclip-web-queue-feed");
            t.setDaemon(true);
            return t;
        });
        pusher.scheduleWithFixedDelay(this::pushIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        pusher.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
    }

    void register(RoutesConfig routes) {
        routes.get("/queue", this::page);
        routes.sse("/queue/events", this::connect);
    }

    int clients() {
        return clients.size();
    }

    private void page(Context ctx) {
        ctx.html(templates.render("queue.jte", Map.of("queue", queue())));
    }

    private void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendEvent("queue", rows()); // what changed between loading the page and connecting
    }

    private void onEvent(JobEvent event) {
        changed.set(true);
    }

    private Views.Queue queue() {
        return Views.Queue.of(views.queue(), views.paused());
    }

    /** One line: an SSE data field may not hold raw line breaks, and HTML does not need them here. */
    private String rows() {
        return templates.render("queue_rows.jte", Map.of("queue", queue())).replaceAll("\\s*\\R\\s*", " ");
    }

    private void pushIfChanged() {
        if (clients.isEmpty() || !changed.getAndSet(false)) {
            return;
        }
        try {
            String html = rows();
            for (SseClient c : clients) {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendEvent("queue", html);
                }
            }
        } catch (RuntimeException e) { // a failing scheduled task would never run again
            changed.set(true); // e.g. the database blinked: try again on the next tick
            log.warn("the live queue could not be rendered: {}", e.toString());
        }
    }

    /** A failing scheduled task would never run again: nothing may escape. */
    private void keepAlive() {
        for (SseClient c : clients) {
            try {
                if (c.terminated()) {
                    clients.remove(c);
                } else {
                    c.sendComment("keep-alive");
                }
            } catch (RuntimeException e) {
                clients.remove(c);
            }
        }
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("unsubscribing the queue feed: {}", e.toString());
        }
        pusher.shutdownNow();
        clients.clear(); // the server's stop ends their connections

    }
}
