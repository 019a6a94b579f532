package dev.vqclip.cli;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
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
        try {
            limits = scheduler.limits();
            SchedulerOptions.duration("--preview-every", rendering.previewEvery);
        } catch (IllegalArgumentException e) {
            err.println("worker: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        String workerId = id == null || id.isBlank() ? defaultId() : id;
        try (Database db = scheduler.open(); JdbcJobStore store = JdbcJobStore.withDatabaseTime(db, clock);
             ModelRepository models = engine.repository(err);
             EngineRenderer renderer = rendering.renderer(models, clock, engine.memoryPlan())) {
            // previews go through the database: the adapters live in the serving process
            Worker worker = rendering.withTimelapses(rendering.worker(workerId, store, renderer, new JobEvents(), limits,
                    Duration.ofSeconds(2), true, clock), new JdbcShowcase(db, clock), err);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> worker.shutdown(Duration.ofSeconds(30)), "vqclip-shutdown"));
            out.printf("worker %s on %s%n", workerId, db.dialect().name().toLowerCase());
            out.flush();
            worker.run();
            return 0;
        }
    }

    static String defaultId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "host");
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 6);
    }
}
