package dev.vqclip.cli;

import dev.vqclip.app.BotDefaults;
import dev.vqclip.app.DiscordWiring;
import dev.vqclip.app.UploadFolder;
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
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.TokenBudget;
import dev.vqclip.store.Database;
import dev.vqclip.store.Dialect;
import dev.vqclip.store.JdbcJobStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main long-running process: store + scheduler + a local worker + the adapters whose credentials are set. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the bot: persistent queue, a local worker, and the chat adapters that have credentials.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Mixin
    EngineOptions engine;

    @Mixin
    WorkerOptions rendering;

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

    @Option(names = "--bot-vqgan", defaultValue = "vqgan_imagenet_f16_16384", paramLabel = "NAME",
            description = "the VQGAN the bot renders with by default; default ${DEFAULT-VALUE}")
    String botVqgan;

    @Option(names = "--bot-models", split = ",", paramLabel = "NAME",
            description = "VQGAN models users may pick in /imagine (default: just --bot-vqgan)")
    List<String> botModels = new ArrayList<>();

    @Option(names = "--bot-clip", defaultValue = "ViT-B/32", paramLabel = "NAME", description = "default ${DEFAULT-VALUE}")
    String botClip;

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
        try {
            limits = scheduler.limits();
            SchedulerOptions.duration("--preview-every", rendering.previewEvery);
            pollEvery = SchedulerOptions.duration("--poll", poll);
        } catch (IllegalArgumentException e) {
            err.println("serve: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (Database db = scheduler.open(); JdbcJobStore store = new JdbcJobStore(db, clock)) {
            JobEvents events = new JobEvents();
            JobService jobs = new JobService(store, limits, scheduler.cost(), scheduler.moderation(), events, clock);
            if (db.dialect() == Dialect.H2) {
                // one process owns an H2 database: whatever RUNNING it finds belongs to a dead incarnation
                int orphans = store.requeueAllRunning();
                if (orphans > 0) {
                    out.println("re-queued " + orphans + " job(s) left running by the previous process");
                }
            }
            FolderDelivery folder = new FolderDelivery(store, resultsDir);
            events.subscribe(folder);
            JobWatcher watcher = new JobWatcher(store, events, clock, pollEvery).withPositions(jobs);
            Thread watcherThread = daemon(watcher, "vqclip-watcher");
            Worker worker = null;
            Thread workerThread = null;
            ModelRepository models = null;
            EngineRenderer renderer = null;
            if (workers == 1) {
                models = engine.repository(err);
                renderer = rendering.renderer(models, clock, engine.memoryPlan());
                worker = rendering.worker(WorkerCommand.defaultId(), store, renderer, events, limits, pollEvery, false, clock);
                jobs.onCancelRequested(worker::requestCancel);
                workerThread = new Thread(worker, "vqclip-worker");
            }
            DiscordBot bot;
            try {
                bot = startDiscord(jobs, events, models, err, clock);
            } catch (RuntimeException e) {
                err.println("serve: the Discord bot could not start: " + e.getMessage());
                if (renderer != null) {
                    renderer.close();
                }
                return 1;
            }
            if (workerThread != null) {
                workerThread.start();
            }
            watcherThread.start();
            out.printf("serving: database %s, %s, results in %s%n", db.dialect().name().toLowerCase(),
                    worker == null ? "no local worker" : "local worker " + worker.id(), resultsDir);
            out.println(bot == null ? "chat adapters: none configured (set DISCORD_TOKEN to start the Discord bot)"
                    : "chat adapters: Discord");
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Worker w = worker;
            Thread hook = new Thread(() -> {
                if (w != null) {
                    w.shutdown(Duration.ofSeconds(30));
                }
                watcher.close();
                stopped.countDown();
                awaitQuietly(closed); // the JVM halts when this hook returns: let call() close the database first
            }, "vqclip-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
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
    private DiscordBot startDiscord(JobService jobs, JobEvents events, ModelRepository models, PrintWriter err, Clock clock)
            throws InterruptedException {
        boolean hasToken = System.getenv(BotToken.ENVIRONMENT_VARIABLE) != null || discordTokenFile != null;
        if (!hasToken) {
            return null;
        }
        BotToken token = BotToken.fromEnvironmentOrFile(System.getenv(), discordTokenFile);
        List<String> offered = new ArrayList<>(List.of(botVqgan));
        botModels.stream().filter(m -> !offered.contains(m)).forEach(offered::add);
        BotDefaults s = BotDefaults.standard(offered);
        BotDefaults defaults = new BotDefaults(botVqgan, botClip, offered, s.width(), s.height(), s.iterations(), s.cutn(),
                s.cutPow(), s.cutMethod(), s.previewEvery(), s.maxSide(), s.maxIterations());
        ModelRepository tokenizerSource = models != null ? models : engine.repository(err);
        ModelRepository.LoadedClip clip = tokenizerSource.clip(botClip);
        int context = clip.model().config().contextLength();
        PromptParser parser = new PromptParser(PromptPolicy.defaults().withBlockedWords(scheduler.blockedWords)
                .withBlockedPatterns(scheduler.blockedPatterns), new TokenBudget(clip.tokenizer()::countTokens, context - 2, false));
        DiscordConfig config = new DiscordConfig(token, discordGuilds, DiscordConfig.DEFAULT_PREVIEW_INTERVAL, Map.of(),
                offered, DiscordEndpoints.DISCORD);
        return DiscordWiring.start(config, jobs, events, defaults, parser, new UploadFolder(Path.of("data", "uploads")), clock);
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
