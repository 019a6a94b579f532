package dev.vqclip.web;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobState;
import dev.vqclip.job.JobViews;
import dev.vqclip.job.Showcase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics through Micrometer. Counts of jobs come from the database (shared by every process), read at
 * most every {@link #REFRESH} when scraped; times and outcomes come from the job events this process hears. Every
 * project metric is named {@code vqclip_*}; JVM metrics keep their standard names.
 */
final class WebMetrics implements AutoCloseable {
    static final Duration REFRESH = Duration.ofSeconds(5);
    /** A final job not delivered within this long counts as a failed delivery. */
    static final Duration DELIVERY_GRACE = Duration.ofMinutes(2);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JobViews views;
    private final Clock clock;
    private final MultiGauge overdue;
    private final Map<Long, long[]> lastStep = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile Snapshot snapshot;

    private record Snapshot(long atMs, Map<JobState, Integer> byState, Map<String, Integer> overdue,
                            Showcase.PoolStats pool, Double heartbeatAgeSeconds) {
    }

    WebMetrics(JobViews views, JobEvents events, Clock clock, IntSupplier sseClients) {
        this.views = views;
        this.clock = clock;
        for (JobState s : JobState.values()) {
            Gauge.builder("vqclip.jobs", this, m -> m.snapshot().byState().getOrDefault(s, 0))
                    .description("jobs in the database by state").tag("state", s.name().toLowerCase()).register(registry);
        }
        Gauge.builder("vqclip.queue.length", this, m -> m.snapshot().byState().getOrDefault(JobState.QUEUED, 0))
                .description("jobs waiting to start").register(registry);
        Gauge.builder("vqclip.worker.heartbeat.age", this, m -> orNaN(m.snapshot().heartbeatAgeSeconds()))
                .description("seconds since any worker was last seen").baseUnit("seconds").register(registry);
        pool("active", Showcase.PoolStats::active);
        pool("idle", Showcase.PoolStats::idle);
        pool("total", Showcase.PoolStats::total);
        pool("waiting", Showcase.PoolStats::waiting);
        Gauge.builder("vqclip.web.sse.clients", sseClients::getAsInt).description("open live queue pages").register(registry);
        overdue = MultiGauge.builder("vqclip.delivery.failures")
                .description("finished jobs whose result no adapter confirmed delivering within " + DELIVERY_GRACE.toMinutes()
                        + " min, by platform").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        subscription = events.subscribe(this::onEvent);
    }

    private void pool(String state, ToDoubleFunction<Showcase.PoolStats> f) {
        Gauge.builder("vqclip.db.pool.connections", this, m -> f.applyAsDouble(m.snapshot().pool()))
                .description("database pool connections").tag("state", state).register(registry);
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }

    /** The Prometheus text exposition. */
    String scrape() {
        snapshot();
        return registry.scrape();
    }

    private Snapshot snapshot() {
        Snapshot s = snapshot;
        long now = clock.millis();
        if (s == null || now - s.atMs() >= REFRESH.toMillis()) {
            Showcase sc = views.showcase();
            Map<String, Integer> overdueNow = sc.overdueDeliveries(DELIVERY_GRACE);
            Double age = sc.lastWorkerSeen().map(t -> (now - t.toEpochMilli()) / 1000.0).orElse(null);
            s = new Snapshot(now, sc.jobsByState(), overdueNow, sc.pool(), age);
            snapshot = s;
            overdue.register(overdueNow.entrySet().stream()
                    .map(e -> MultiGauge.Row.of(Tags.of("platform", e.getKey()), e.getValue())).toList(), true);
        }
        return s;
    }

    private void onEvent(JobEvent event) {
        if (event instanceof JobEvent.Started st) {
            lastStep.remove(st.jobId());
            views.timing(st.jobId()).filter(t -> t.started() != null && t.created() != null).ifPresent(t ->
                    Timer.builder("vqclip.queue.wait").description("time from submit to a worker starting the job")
                            .register(registry).record(Duration.between(t.created(), t.started())));
        } else if (event instanceof JobEvent.Progress p) {
            long now = System.nanoTime();
            long[] last = lastStep.put(p.jobId(), new long[] {p.iteration(), now});
            if (last != null && p.iteration() > last[0]) {
                Timer.builder("vqclip.step").description("optimizer step time (averaged between progress reports)")
                        .register(registry).record(Duration.ofNanos((now - last[1]) / (p.iteration() - last[0])));
            }
        } else if (event.isFinal()) {
            lastStep.remove(event.jobId());
            String outcome = event instanceof JobEvent.Finished ? "done" : event instanceof JobEvent.Failed ? "failed"
                    : "cancelled";
            Counter.builder("vqclip.job.outcomes").description("jobs ended, by outcome").tag("outcome", outcome)
                    .register(registry).increment();
            if (event instanceof JobEvent.Finished) {
                views.timing(event.jobId()).filter(t -> t.started() != null && t.finished() != null).ifPresent(t ->
                        Timer.builder("vqclip.render").description("render time of finished jobs, by size")
                                .tag("size", t.width() + "x" + t.height()).register(registry)
                                .record(Duration.between(t.started(), t.finished())));
            }
        }
    }

    List<String> names() {
        return registry.getMeters().stream().map(m -> m.getId().getName()).distinct().sorted().toList();
    }

    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            // unsubscribing cannot fail in practice
        }
        gc.close();
        registry.close();
    }
}
