package dev.vqclip.cli;

import dev.vqclip.app.DatabaseConfig;
import dev.vqclip.app.SchedulerConfig;
import dev.vqclip.app.Server;
import dev.vqclip.app.WebConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatabaseConfig database;
        SchedulerConfig rules;
        Duration pollEvery;
        WebConfig config;
        try {
            rules = scheduler.config();
            pollEvery = SchedulerOptions.duration("--poll", poll);
            config = web.config();
            if (!config.enabled()) {
                throw new IllegalArgumentException("--web-port 0 turns the web server off; give a port for 'vqclip web'");
            }
            database = scheduler.database();
        } catch (IllegalArgumentException e) {
            err.println("web: " + e.getMessage());
            return 2;
        }
        try (Server server = Server.web(database, rules, pollEvery, config, out, Clock.systemUTC())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                awaitQuietly(closed); // let call() close the web server and the database before the JVM halts
            }, "vqclip-shutdown"));
            server.awaitStop();
            return 0;
        } catch (Server.StartFailure e) {
            err.println("web: " + e.getMessage());
            return 1;
        } finally {
            closed.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
