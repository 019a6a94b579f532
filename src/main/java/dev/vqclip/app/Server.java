package dev.vqclip.app;

import dev.vqclip.discord.DiscordBot;
import dev.vqclip.discord.DiscordConfig;
import dev.vqclip.discord.DiscordEndpoints;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.JobWatcher;
import dev.vqclip.job.Pruner;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.twitter.XBot;
import dev.vqclip.twitter.XConfig;
import dev.vqclip.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running bot: database, job service, local worker, watcher, pruner and the adapters, started in that order.
 *
 * <p>Design: every start step pushes its undo onto one {@link Closer}, so a step that fails closes the steps before
 * it, newest first, and {@link #close()} does the same on shutdown. {@link #stop()} is the part of shutdown that
 * may run on a signal thread: the worker hands back its job and the watcher ends, before the adapters that would
 * tell users about it are closed.
 */
public final class Server implements AutoCloseable {
    /** Where attached images are kept for the workers (pruned after --keep-uploads). */
    public static final Path UPLOADS = Path.of("data", "uploads");
    /** How long a stopping worker may take to hand back its job. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** How long a stop waits for the watcher and a pruning pass in progress to finish. */
    private static final java.time.Duration DAEMON_GRACE = java.time.Duration.ofSeconds(15);

    private final Closer closer;
    private final Worker worker;
    private final JobWatcher watcher;
    private final Pruner pruner;
    private final java.util.List<Thread> daemons = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Server(Closer closer, Worker worker, JobWatcher watcher, Pruner pruner) {
        this.closer = closer;
        this.worker = worker;
        this.watcher = watcher;
        this.pruner = pruner;
    }

    /** Starts a daemon thread that {@link #stop()} waits for, so nothing still uses the database when it closes. */
    private void startDaemon(Runnable r, String name) {
        Thread t = daemon(r, name);
        daemons.add(t);
        t.start();
    }

    /** A start step that failed in a way the operator can fix; the message says which step and why. */
    public static final class StartFailure extends Exception {
        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Starts {@code vqclip serve}; status lines go to {@code out}, download progress and timelapse notes to {@code err}. */
    public static Server serve(ServeConfig config, PrintWriter out, PrintWriter err, Clock clock) throws Exception {
        return Closer.start(closer -> serve(config, closer, out, err, clock));
    }

    private static Server serve(ServeConfig c, Closer closer, PrintWriter out, PrintWriter err, Clock clock)
            throws Exception {
        // Step 1: the store; what other processes compare (leases, finish times, quota windows) runs on its clock
        Stores stores = closer.push("database", StoreFactory.open(c.database(), clock));
        JobStore store = stores.jobs();
        Clock shared = stores.sharedClock();
        JobEvents events = new JobEvents();
        // the bots' own limits, re-checked for every submission whichever adapter built it
        JobService jobs = new JobService(store, c.scheduler().limits(), c.scheduler().cost(), c.scheduler().moderation(),
                events, shared, c.bot().defaults().recipeBounds());
        events.subscribe(new FolderDelivery(store, c.resultsDir()));
        JobWatcher watcher = new JobWatcher(store, events, shared, c.poll()).withPositions(jobs);
        // Step 2: the local worker and its renderer
        Worker worker = null;
        ModelRepository models = null;
        if (c.worker().isPresent()) {
            models = c.engine().repository(err);
            EngineRenderer renderer = closer.push("renderer",
                    Workers.renderer(models, c.engine(), c.worker().get(), c.version(), clock));
            worker = Workers.worker(Workers.defaultId(), store, stores.showcase(shared), renderer, events,
                    c.scheduler().limits(), c.poll(), false, c.worker().get(), c.version(), err, clock);
            jobs.onCancelRequested(worker::requestCancel);
            worker.adoptKeptResults(); // before the re-queue below can fail a job whose result is on disk
        }
        if (stores.ownedByOneProcess()) {
            int orphans = store.leases().requeueAllRunning();
            if (orphans > 0) {
                out.println("re-queued " + orphans + " job(s) left running by the previous process");
            }
        }
        // Step 3: the adapters
        BotWiring bots = new BotWiring(c, closer, models, err, clock);
        DiscordBot bot = null;
        if (c.discord().isPresent()) {
            try {
                bot = bots.discord(c.discord().get(), stores, jobs, events);
            } catch (RuntimeException e) {
                throw new StartFailure("the Discord bot could not start: " + e.getMessage(), e);
            }
            closer.push("Discord bot", bot);
        }
        XBot xbot = null;
        if (c.x().isPresent()) {
            try {
                xbot = XWiring.start(c.x().get(), stores.mentions(clock), jobs, events, c.bot().defaults(), bots.parser(),
                        clock);
            } catch (RuntimeException e) {
                throw new StartFailure("the X adapter could not start: " + e.getMessage(), e);
            }
            closer.push("X adapter", xbot);
        }
        WebServer web = startWeb(c.web(), stores, jobs, events, out, clock);
        if (web != null) {
            closer.push("web server", web);
        }
        // Step 4: the threads that do the work; stopping them is the first thing a shutdown does
        Pruner pruner = new Pruner(store.pruning(), c.retention(), c.resultsDir(), UPLOADS, clock);
        Server server = new Server(closer, worker, watcher, pruner);
        closer.push("worker and watcher", server, server::stop);
        if (worker != null) {
            new Thread(worker, "vqclip-worker").start();
        }
        server.startDaemon(watcher, "vqclip-watcher");
        server.startDaemon(pruner, "vqclip-pruner");
        out.printf("serving: database %s, %s, results in %s%n", stores.dialect(),
                worker == null ? "no local worker" : "local worker " + worker.id(), c.resultsDir());
        out.println(bot == null ? "chat adapters: none configured (set DISCORD_TOKEN to start the Discord bot)"
                : "chat adapters: Discord");
        out.println(xbot == null ? "X: off (set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET or --x-credentials-file)"
                : "X: answering mentions through " + c.x().map(XConfig::apiBase).orElseThrow());
        out.flush();
        return server;
    }

    /**
     * Starts {@code vqclip web}: the web face alone on a shared database, e.g. on a front-end machine. The workers
     * run elsewhere, so their progress reaches this process through the database.
     */
    public static Server web(DatabaseConfig database, SchedulerConfig scheduler, Duration poll, WebConfig webConfig,
                             PrintWriter out, Clock clock) throws Exception {
        if (!webConfig.enabled()) {
            throw new IllegalArgumentException("--web-port 0 turns the web server off; give a port for 'vqclip web'");
        }
        return Closer.start(closer -> {
            Stores stores = closer.push("database", StoreFactory.openOnLocalTime(database, clock));
            JobEvents events = new JobEvents();
            JobService jobs = new JobService(stores.jobs(), scheduler.limits(), scheduler.cost(), scheduler.moderation(),
                    events, clock);
            JobWatcher watcher = new JobWatcher(stores.jobs(), events, clock, poll).withPositions(jobs);
            closer.push("web server", startWeb(webConfig, stores, jobs, events, out, clock));
            Server server = new Server(closer, null, watcher, null);
            closer.push("watcher", server, server::stop);
            server.startDaemon(watcher, "vqclip-watcher");
            return server;
        });
    }

    private static WebServer startWeb(WebConfig config, Stores stores, JobService jobs, JobEvents events, PrintWriter out,
                                      Clock clock) throws StartFailure {
        if (!config.enabled()) {
            return null;
        }
        try {
            return WebWiring.start(config, stores, jobs, events, out, clock);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new StartFailure(e.getMessage(), e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Hands back the worker's job and ends the watcher; safe to call more than once and from a signal thread. */
    public void stop() {
        if (stopping.compareAndSet(false, true)) {
            if (worker != null) {
                worker.shutdown(STOP_GRACE);
            }
            watcher.close();
            if (pruner != null) {
                pruner.stop();
            }
            for (Thread t : daemons) {
                try {
                    t.join(DAEMON_GRACE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has run. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops the work, then closes the adapters, the renderer and the database, newest first. */
    @Override
    public void close() throws Exception {
        closer.close();
    }

    /** Builds the Discord bot and the prompt parser the bots share, loading the CLIP tokenizer at most once. */
    private static final class BotWiring {
        private final ServeConfig config;
        private final Closer closer;
        private final PrintWriter err;
        private final Clock clock;
        private ModelRepository models;
        private PromptParser parser;

        BotWiring(ServeConfig config, Closer closer, ModelRepository models, PrintWriter err, Clock clock) {
            this.config = config;
            this.closer = closer;
            this.models = models;
            this.err = err;
            this.clock = clock;
        }

        PromptParser parser() {
            if (parser == null) {
                if (models == null) {
                    // without a local worker only the tokenizer is needed; the renderer owns the worker's models
                    models = closer.push("tokenizer models", config.engine().repository(err));
                }
                parser = BotParsers.parser(models, config.bot().clip(), config.scheduler().policy());
            }
            return parser;
        }

        DiscordBot discord(DiscordSettings settings, Stores stores, JobService jobs, JobEvents events)
                throws InterruptedException {
            BotDefaults defaults = config.bot().defaults();
            DiscordConfig discord = new DiscordConfig(settings.token(System.getenv()), settings.guilds(),
                    DiscordConfig.DEFAULT_PREVIEW_INTERVAL, Map.of(), defaults.models(), DiscordEndpoints.DISCORD,
                    settings.owners());
            return DiscordWiring.start(discord, jobs, events, defaults, parser(), new UploadFolder(UPLOADS),
                    ContestWiring.contests(stores.contests(), jobs, defaults, parser(), clock), settings.privateChannels(),
                    stores.showcase(clock), clock);
        }
    }
}
