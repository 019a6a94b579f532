package dev.vqclip.cli;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobWatcher;
import dev.vqclip.job.Limits;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.web.WebServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The web face alone, on the database that serve and the workers use (e.g. on a front-end machine). */
@Command(name = "web", mixinStandardHelpOptions = true,
        description = "Serve only the web pages, health checks and metrics for the shared database.")
final class WebCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Mixin
    WebOptions web;

    @Option(names = "--poll", defaultValue = "1s", paramLabel = "DURATION",
            description = "how often to look for job changes when not woken (H2); default ${DEFAULT-VALUE}")
    String poll;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Limits limits;
        Duration pollEvery;
        try {
            limits = scheduler.limits();
            pollEvery = SchedulerOptions.duration("--poll", poll);
            if (web.port == 0) {
                throw new IllegalArgumentException("--web-port 0 turns the web server off; give a port for 'vqclip web'");
            }
        } catch (IllegalArgumentException e) {
            err.println("web: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (Database db = scheduler.open(); JdbcJobStore store = new JdbcJobStore(db, clock)) {
            JobEvents events = new JobEvents();
            JobService jobs = new JobService(store, limits, scheduler.cost(), scheduler.moderation(), events, clock);
            // the workers run elsewhere: their progress reaches this process through the database
            JobWatcher watcher = new JobWatcher(store, events, clock, pollEvery).withPositions(jobs);
            Thread watcherThread = ServeCommand.daemon(watcher, "vqclip-watcher");
            WebServer server;
            try {
                server = web.start(db, jobs, events, clock, out);
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("web: " + e.getMessage());
                return 1;
            }
            watcherThread.start();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                watcher.close();
                server.close();
                stopped.countDown();
            }, "vqclip-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
