package dev.vqclip.cli;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.FolderDelivery;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobWatcher;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.Dialect;
import dev.vqclip.store.JdbcJobStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    @Option(names = "--workers", defaultValue = "1",
            description = "local workers: 1 (default) or 0 to only queue (workers run as 'vqclip worker' elsewhere)")
    int workers;

    @Option(names = "--results-dir", defaultValue = "data/results", paramLabel = "DIR",
            description = "finished command-line jobs are written here as job-<id>.png; default ${DEFAULT-VALUE}")
    Path resultsDir;

    @Option(names = "--preview-every", defaultValue = "5s", paramLabel = "DURATION",
            description = "a preview at least this often while a job runs; default ${DEFAULT-VALUE}")
    String previewEvery;

    @Option(names = "--poll", defaultValue = "1s", paramLabel = "DURATION",
            description = "how often to look for work done by other processes when not woken; default ${DEFAULT-VALUE}")
    String poll;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 0 || workers > 1) {
            err.println("serve: --workers must be 0 or 1 (one optimizer per process; run 'vqclip worker' per extra GPU), got "
                    + workers);
            return 2;
        }
        Limits limits;
        Duration previewInterval;
        Duration pollEvery;
        try {
            limits = scheduler.limits();
            previewInterval = SchedulerOptions.duration("--preview-every", previewEvery);
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
                renderer = new EngineRenderer(models, new EngineRenderer.Options(previewInterval, clock, Main.version()));
                worker = new Worker(WorkerCommand.defaultId(), store, renderer,
                        new Stamper(Watermark.standard(), "vqclip " + Main.version()), events, limits,
                        new Worker.Settings(pollEvery, false, "vqclip " + Main.version()), clock);
                workerThread = new Thread(worker, "vqclip-worker");
                workerThread.start();
            }
            watcherThread.start();
            out.printf("serving: database %s, %s, results in %s%n", db.dialect().name().toLowerCase(),
                    worker == null ? "no local worker" : "local worker " + worker.id(), resultsDir);
            out.println("chat adapters: none configured (set DISCORD_TOKEN to start the Discord bot)");
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Worker w = worker;
            Thread hook = new Thread(() -> {
                if (w != null) {
                    w.shutdown(Duration.ofSeconds(30));
                }
                watcher.close();
                stopped.countDown();
            }, "vqclip-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            stopped.await();
            if (renderer != null) {
                renderer.close();
            }
            return 0;
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
