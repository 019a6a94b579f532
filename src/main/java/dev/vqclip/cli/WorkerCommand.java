package dev.vqclip.cli;

import dev.vqclip.app.DatabaseConfig;
import dev.vqclip.app.EngineConfig;
import dev.vqclip.app.WorkerConfig;
import dev.vqclip.app.WorkerProcess;
import dev.vqclip.app.Workers;
import dev.vqclip.job.Limits;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** A GPU worker process for scale-out: claims from the shared database, renders, reports through it. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run one worker against a shared database (PostgreSQL: --db jdbc:postgresql://...).")
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Mixin
    EngineOptions engine;

    @Mixin
    WorkerOptions rendering;

    @Option(names = "--id", description = "worker id (default: host-pid-random)")
    String id;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Limits limits;
        DatabaseConfig database;
        EngineConfig engineConfig;
        WorkerConfig config;
        try {
            limits = scheduler.limits();
            database = scheduler.database();
            engineConfig = engine.config();
            config = rendering.config(Path.of("data", "spool"));
        } catch (IllegalArgumentException e) {
            err.println("worker: " + e.getMessage());
            return 2;
        }
        String workerId = id == null || id.isBlank() ? Workers.defaultId() : id;
        try (WorkerProcess worker = WorkerProcess.open(workerId, database, limits, engineConfig, config, Main.version(), err,
                Clock.systemUTC())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.shutdown(Duration.ofSeconds(30)), "vqclip-shutdown"));
            out.printf("worker %s on %s%n", workerId, worker.dialect());
            out.flush();
            worker.run();
            return 0;
        }
    }
}
