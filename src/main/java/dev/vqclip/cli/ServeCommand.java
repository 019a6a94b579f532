package dev.vqclip.cli;

import dev.vqclip.app.BotDefaults;
import dev.vqclip.app.ContestWiring;
import dev.vqclip.app.DiscordWiring;
import dev.vqclip.app.UploadFolder;
import dev.vqclip.app.XWiring;
import dev.vqclip.discord.BotToken;
import dev.vqclip.discord.DiscordBot;
import dev.vqclip.discord.DiscordConfig;
import dev.vqclip.discord.DiscordEndpoints;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobWatcher;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Pruner;
import dev.vqclip.job.RecipeBounds;
import dev.vqclip.job.Retention;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.TokenBudget;
import dev.vqclip.store.Database;
import dev.vqclip.store.Dialect;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcMentionLog;
import dev.vqclip.store.JdbcShowcase;
import dev.vqclip.twitter.XBot;
import dev.vqclip.twitter.XConfig;
import dev.vqclip.web.WebServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main long-running process: store + scheduler + a local worker + the adapters whose credentials are set. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the bot: persistent queue, a local worker, and the chat adapters that have credentials.")
final class ServeCommand implements Callable<Integer> {
    /** Where attached images are kept for the workers (pruned after --keep-uploads). */
    static final Path UPLOADS = Path.of("data", "uploads");

    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Mixin
    EngineOptions engine;

    @Mixin
    WorkerOptions rendering;

    @Mixin
    RetentionOptions keep;

    @Mixin
    XOptions x;

    @Mixin
    WebOptions web;

    @Option(names = "--workers", defaultValue = "1",
            description = "local workers: 1 (default) or 0 to only queue (workers run as 'vqclip worker' elsewhere)")
    int workers;

    @Option(names = "--results-dir", defaultValue = "data/results", paramLabel = "DIR",
            description = "finished command-line jobs are written here as job-<id>.png; default ${DEFAULT-VALUE}")
    Path resultsDir;

    @Option(names = "--poll", defaultValue = "1s", paramLabel = "DURATION",
            description = "how often to look for work done by other processes when not woken; default ${DEFAULT-VALUE}")
    String poll;

    @Option(names = "--discord-token-file", paramLabel = "FILE",
            description = "read the Discord bot token from this file's first line when DISCORD_TOKEN is not set")
    Path discordTokenFile;

    @Option(names = "--discord-guild", paramLabel = "ID",
            description = "register the slash commands in this guild only (instant updates; repeatable); default: globally")
    List<String> discordGuilds = new ArrayList<>();

    @Option(names = "--bot-owner", paramLabel = "ID",
            description = "a Discord user id who may change the settings of every server with /admin ... global:True "
                    + "(repeatable); a server's administrators change only their own server's")
    List<String> botOwners = new ArrayList<>();

    @Option(names = "--bot-vqgan", defaultValue = "vqgan_imagenet_f16_16384", paramLabel = "NAME",
            description = "the VQGAN the bot renders with by default; default ${DEFAULT-VALUE}")
    String botVqgan;

    @Option(names = "--bot-models", split = ",", paramLabel = "NAME",
            description = "VQGAN models users may pick in /imagine (default: just --bot-vqgan)")
    List<String> botModels = new ArrayList<>();

    @Option(names = "--bot-clip", defaultValue = "ViT-B/32", paramLabel = "NAME", description = "default ${DEFAULT-VALUE}")
    String botClip;

    @Option(names = "--bot-size", defaultValue = "256x256", paramLabel = "WxH",
            description = "the image size the bots render when a user asks for none; default ${DEFAULT-VALUE}")
    String botSize;

    @Option(names = "--bot-iterations", defaultValue = "300", paramLabel = "N",
            description = "optimizer steps when a user asks for none; default ${DEFAULT-VALUE}")
    int botIterations;

    @Option(names = "--private-channel", paramLabel = "ID",
            description = "a Discord channel whose images stay off the public web gallery (repeatable; direct messages always do)")
    List<String> privateChannels = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return serve();
        } finally {
            closed.countDown();
        }
    }

    private Integer serve() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 0 || workers > 1) {
            err.println("serve: --workers must be 0 or 1 (one optimizer per process; run 'vqclip worker' per extra GPU), got "
                    + workers);
            return 2;
        }
        Limits limits;
        Duration pollEvery;
        Retention retention;
        Optional<XConfig> xConfig;
        RecipeBounds bounds;
        try {
            xConfig = x.config(System.getenv());
            bounds = botDefaults().recipeBounds();
            limits = scheduler.limits();
            retention = keep.retention(limits.quotaWindow());
            SchedulerOptions.duration("--preview-every", rendering.previewEvery);
            pollEvery = SchedulerOptions.duration("--poll", poll);
        } catch (IllegalArgumentException e) {
            err.println("serve: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (Database db = scheduler.open(); JdbcJobStore store = JdbcJobStore.withDatabaseTime(db, clock)) {
            JobEvents events = new JobEvents();
            // what other processes compare (leases, finish times, quota windows) runs on the database's clock
            Clock shared = store.clock();
            JobService jobs = new JobService(store, limits, scheduler.cost(), scheduler.moderation(), events, shared,
                    bounds);
            FolderDelivery folder = new FolderDelivery(store, resultsDir);
            events.subscribe(folder);
            JobWatcher watcher = new JobWatcher(store, events, shared, pollEvery).withPositions(jobs);
            Thread watcherThread = daemon(watcher, "vqclip-watcher");
            Worker worker = null;
            Thread workerThread = null;
            ModelRepository models = null;
            EngineRenderer renderer = null;
            if (workers == 1) {
                if (rendering.spoolDir == null) {
                    rendering.spoolDir = resultsDir.toAbsolutePath().resolveSibling("spool");
                }
                models = engine.repository(err);
                renderer = rendering.renderer(models, clock, engine.memoryPlan());
                worker = rendering.worker(WorkerCommand.defaultId(), store, renderer, events, limits, pollEvery, false, clock);
                rendering.withTimelapses(worker, new JdbcShowcase(db, shared), err);
                jobs.onCancelRequested(worker::requestCancel);
                workerThread = new Thread(worker, "vqclip-worker");
                worker.adoptKeptResults(); // before the re-queue below can fail a job whose result is on disk
            }
            if (db.dialect() == Dialect.H2) {
                // one process owns an H2 database: whatever RUNNING it finds belongs to a dead incarnation
                int orphans = store.leases().requeueAllRunning();
                if (orphans > 0) {
                    out.println("re-queued " + orphans + " job(s) left running by the previous process");
                }
            }
            DiscordBot bot;
            try {
                bot = startDiscord(db, jobs, events, models, err, clock);
            } catch (RuntimeException e) {
                err.println("serve: the Discord bot could not start: " + e.getMessage());
                if (renderer != null) {
                    renderer.close();
                }
                return 1;
            }
            XBot xbot = null;
            if (xConfig.isPresent()) {
                try {
                    xbot = XWiring.start(xConfig.get(), new JdbcMentionLog(db, clock), jobs, events, botDefaults(),
                            botParser(models, err), clock);
                } catch (RuntimeException e) {
                    err.println("serve: the X adapter could not start: " + e.getMessage());
                    if (bot != null) {
                        bot.close();
                    }
                    if (renderer != null) {
                        renderer.close();
                    }
                    return 1;
                }
            }
            WebServer webServer;
            try {
                webServer = web.start(db, jobs, events, clock, out);
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("serve: " + e.getMessage());
                if (xbot != null) {
                    xbot.close();
                }
                if (bot != null) {
                    bot.close();
                }
                if (renderer != null) {
                    renderer.close();
                }
                return 1;
            }
            if (workerThread != null) {
                workerThread.start();
            }
            watcherThread.start();
            Pruner pruner = new Pruner(store.pruning(), retention, resultsDir, UPLOADS, clock);
            daemon(pruner, "vqclip-pruner").start();
            out.printf("serving: database %s, %s, results in %s%n", db.dialect().name().toLowerCase(),
                    worker == null ? "no local worker" : "local worker " + worker.id(), resultsDir);
            out.println(bot == null ? "chat adapters: none configured (set DISCORD_TOKEN to start the Discord bot)"
                    : "chat adapters: Discord");
            out.println(xbot == null ? "X: off (set X_API_KEY, X_API_SECRET, X_ACCESS_TOKEN, X_ACCESS_SECRET or --x-credentials-file)"
                    : "X: answering mentions through " + xConfig.get().apiBase());
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Worker w = worker;
            AtomicBoolean stopping = new AtomicBoolean();
            Runnable stop = () -> {
                if (stopping.compareAndSet(false, true)) {
                    if (w != null) {
                        w.shutdown(Duration.ofSeconds(30));
                    }
                    watcher.close();
                    stopped.countDown();
                }
            };
            // SIGTERM and Ctrl-C stop serve and close the database before the JVM's shutdown hooks run (H2's among
            // them); the hook covers other exits
            StopSignals.install(stop);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stop.run();
                awaitQuietly(closed); // the JVM halts when this hook returns: let call() close the database first
            }, "vqclip-shutdown"));
            stopped.await();
            if (webServer != null) {
                webServer.close();
            }
            if (xbot != null) {
                xbot.close();
            }
            if (bot != null) {
                bot.close();
            }
            if (renderer != null) {
                renderer.close();
            }
            return 0;
        }
    }

    private final CountDownLatch closed = new CountDownLatch(1);

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the Discord bot when a token is configured; null when none is. */
    private DiscordBot startDiscord(Database db, JobService jobs, JobEvents events, ModelRepository models, PrintWriter err, Clock clock)
            throws InterruptedException {
        boolean hasToken = System.getenv(BotToken.ENVIRONMENT_VARIABLE) != null || discordTokenFile != null;
        if (!hasToken) {
            return null;
        }
        BotToken token = BotToken.fromEnvironmentOrFile(System.getenv(), discordTokenFile);
        BotDefaults defaults = botDefaults();
        List<String> offered = defaults.models();
        PromptParser parser = botParser(models, err);
        DiscordConfig config = new DiscordConfig(token, discordGuilds, DiscordConfig.DEFAULT_PREVIEW_INTERVAL, Map.of(),
                offered, DiscordEndpoints.DISCORD, botOwners);
        return DiscordWiring.start(config, jobs, events, defaults, parser, new UploadFolder(UPLOADS),
                ContestWiring.contests(db, jobs, defaults, parser, clock), privateChannels,
                new JdbcShowcase(db, clock), clock);
    }

    /** What the bots render when a user asks for nothing in particular. */
    private BotDefaults botDefaults() {
        List<String> offered = new ArrayList<>(List.of(botVqgan));
        botModels.stream().filter(m -> !offered.contains(m)).forEach(offered::add);
        BotDefaults s = BotDefaults.standard(offered);
        if (!botSize.matches("\\d{1,4}x\\d{1,4}")) {
            throw new IllegalArgumentException("--bot-size must look like 256x256, got '" + botSize + "'");
        }
        int w = Integer.parseInt(botSize.substring(0, botSize.indexOf('x')));
        int h = Integer.parseInt(botSize.substring(botSize.indexOf('x') + 1));
        return new BotDefaults(botVqgan, botClip, offered, w, h, botIterations, s.cutn(), s.cutPow(), s.cutMethod(),
                s.previewEvery(), Math.max(s.maxSide(), Math.max(w, h)), Math.max(s.maxIterations(), botIterations));
    }

    /** The prompt parser with the CLIP model's token budget and the operators' moderation policy. */
    private PromptParser botParser(ModelRepository models, PrintWriter err) {
        ModelRepository tokenizerSource = models != null ? models : engine.repository(err);
        ModelRepository.LoadedClip clip = tokenizerSource.clip(botClip);
        int context = clip.model().config().contextLength();
        return new PromptParser(PromptPolicy.defaults().withBlockedWords(scheduler.blockedWords)
                .withBlockedPatterns(scheduler.blockedPatterns), new TokenBudget(clip.tokenizer()::countTokens, context - 2, false));
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
