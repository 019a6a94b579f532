package dev.vqclip.web;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobViews;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web face (DESIGN.md §5): read-only pages over {@link JobViews} on Javalin (Jetty 12), health checks and
 * Prometheus metrics. Close it to stop the server.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");
    static final String CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'self'; script-src 'self'; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /**
     * @param heartbeatWithin /readyz wants a worker heartbeat at least this recent
     * @param maxUploadBytes  the /decode upload cap
     */
    public record Settings(String bind, int port, int perPage, Duration heartbeatWithin, long maxUploadBytes,
                           Duration queuePush) {
        public Settings {
            if (bind == null || !HOST.matcher(bind).matches()) {
                throw new IllegalArgumentException("--web-bind must be a host name or IP address, got '" + bind + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--web-port must be 0..65535, got " + port);
            }
            if (perPage < 1 || perPage > 100) {
                throw new IllegalArgumentException("gallery pages hold 1..100 images, got " + perPage);
            }
            if (heartbeatWithin == null || heartbeatWithin.isNegative() || heartbeatWithin.isZero()) {
                throw new IllegalArgumentException("the readiness heartbeat window must be positive, got " + heartbeatWithin);
            }
            if (maxUploadBytes < 1024 || maxUploadBytes > (64L << 20)) {
                throw new IllegalArgumentException("the decode upload cap must be 1 KiB..64 MiB, got " + maxUploadBytes);
            }
            if (queuePush == null || queuePush.toMillis() < 50) {
                throw new IllegalArgumentException("the queue push interval must be at least 50 ms, got " + queuePush);
            }
        }

        /** Loopback on 8080 with the standard limits; the decode cap is Discord's attachment cap, as for /decode. */
        public static Settings standard(String bind, int port) {
            return new Settings(bind, port, 24, Duration.ofMinutes(2), 10L << 20, Duration.ofMillis(500));
        }
    }

    private final Javalin app;
    private final QueueFeed feed;
    private final WebMetrics metrics;

    private WebServer(Javalin app, QueueFeed feed, WebMetrics metrics) {
        this.app = app;
        this.feed = feed;
        this.metrics = metrics;
    }

    /** Starts serving; port 0 in the settings picks a free port (see {@link #port()}). */
    public static WebServer start(Settings settings, JobViews views, JobEvents events, Clock clock,
                                  List<PageModule> modules) {
        Templates templates = new Templates();
        QueueFeed feed = new QueueFeed(views, templates, events, settings.queuePush());
        WebMetrics metrics = new WebMetrics(views, events, clock, feed::clients);
        Pages pages = new Pages(views, templates, settings.perPage(), settings.maxUploadBytes());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = settings.maxUploadBytes() + 65_536;
            // the whole upload stays in memory (never written to disk), and no more than the cap is accepted
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize((int) settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes() + 65_536, SizeUnit.BYTES);
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/web/static";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Cache-Control", "public, max-age=3600");
            });
            config.routes.before(WebServer::safetyHeaders);
            pages.register(config.routes);
            feed.register(config.routes);
            config.routes.get("/healthz", ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok\n"));
            config.routes.get("/readyz", ctx -> ready(ctx, views.readiness(settings.heartbeatWithin())));
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            for (PageModule m : modules) {
                m.register(config.routes, templates);
            }
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, templates, e.getStatus(), e.getMessage()));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, templates, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.warn("web request {} failed", ctx.path(), e);
                error(ctx, templates, 500, "something went wrong on our side; try again in a moment");
            });
            config.routes.error(404, "html", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    error(ctx, templates, 404, "there is no page here");
                }
            });
        });
        try {
            app.start(settings.bind(), settings.port());
        } catch (RuntimeException e) {
            feed.close();
            metrics.close();
            throw new IllegalStateException("the web server could not listen on " + settings.bind() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        return new WebServer(app, feed, metrics);
    }

    public int port() {
        return app.port();
    }

    /** Every response: no sniffing, no framing, a strict content policy (scripts and styles from this site only). */
    private static void safetyHeaders(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }

    private static void ready(Context ctx, JobViews.Readiness r) {
        StringBuilder b = new StringBuilder();
        b.append("database: ").append(r.database() == null ? "ok" : "unreachable (" + r.database() + ")").append('\n');
        b.append("worker heartbeat: ").append(r.lastWorkerSeen() == null ? "none seen"
                : Duration.between(r.lastWorkerSeen(), r.at()).toSeconds() + " s ago").append(" (wanted within ")
                .append(r.heartbeatWithin().toSeconds()).append(" s)\n");
        ctx.status(r.ready() ? 200 : 503).contentType("text/plain; charset=utf-8").result((r.ready() ? "ready\n" : "not ready\n") + b);
    }

    private static void error(Context ctx, Templates templates, int status, String message) {
        ctx.status(status);
        String accept = ctx.header("Accept");
        if (accept != null && accept.contains("text/html")) {
            ctx.html(templates.render("error.jte", Map.of("status", status, "message", message)));
        } else {
            ctx.contentType("text/plain; charset=utf-8").result(status + ": " + message + "\n");
        }
    }

    @Override
    public void close() {
        feed.close();
        app.stop();
        metrics.close();
    }
}
