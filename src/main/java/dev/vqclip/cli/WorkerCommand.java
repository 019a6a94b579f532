package dev.vqclip.cli;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
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

    @Option(names = "--id", description = "worker id (default: host-pid-random)")
    String id;

    @Option(names = "--preview-every", defaultValue = "5s", paramLabel = "DURATION", description = "default ${DEFAULT-VALUE}")
    String previewEvery;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B",
            description = "run up to B queued jobs with the same models, size and cutouts in one optimizer pass; default ${DEFAULT-VALUE}")
    int batch;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Limits limits;
        Duration previewInterval;
        try {
            limits = scheduler.limits();
            previewInterval = SchedulerOptions.duration("--preview-every", previewEvery);
        } catch (IllegalArgumentException e) {
            err.println("worker: " + e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        String workerId = id == null || id.isBlank() ? defaultId() : id;
        try (Database db = scheduler.open(); JdbcJobStore store = new JdbcJobStore(db, clock);
             ModelRepository models = engine.repository(err);
             EngineRenderer renderer = new EngineRenderer(models, new EngineRenderer.Options(previewInterval, clock, Main.version()))) {
            // previews go through the database: the adapters live in the serving process
            Worker worker = new Worker(workerId, store, renderer, new Stamper(Watermark.standard(), "vqclip " + Main.version()),
                    new JobEvents(), limits, new Worker.Settings(Duration.ofSeconds(2), true, "vqclip " + Main.version(), batch), clock);
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
