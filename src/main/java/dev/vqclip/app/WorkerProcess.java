package dev.vqclip.app;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.engine.ModelRepository;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code vqclip worker}: one GPU worker against a shared database. Its previews go through the database, since the
 * adapters live in the serving process. Closing it closes the renderer, the models and the database, in that order.
 */
public final class WorkerProcess implements AutoCloseable {
    /** How often an idle worker looks for work another process queued without waking it. */
    private static final Duration IDLE_POLL = Duration.ofSeconds(2);

    private final Closer closer;
    private final Worker worker;
    private final String dialect;

    private WorkerProcess(Closer closer, Worker worker, String dialect) {
        this.closer = closer;
        this.worker = worker;
        this.dialect = dialect;
    }

    /** Opens the database and the models and builds the worker; nothing runs until {@link #run()}. */
    public static WorkerProcess open(String id, DatabaseConfig database, Limits limits, EngineConfig engine,
                                     WorkerConfig config, String version, PrintWriter err, Clock clock) throws Exception {
        return Closer.start(closer -> {
            Stores stores = closer.push("database", StoreFactory.open(database, clock));
            ModelRepository models = closer.push("models", engine.repository(err));
            EngineRenderer renderer = closer.push("renderer", Workers.renderer(models, engine, config, version, clock));
            Worker worker = Workers.worker(id, stores.jobs(), stores.showcase(clock), renderer, new JobEvents(), limits,
                    IDLE_POLL, true, config, version, err, clock);
            return new WorkerProcess(closer, worker, stores.dialect());
        });
    }

    public String id() {
        return worker.id();
    }

    /** "h2" or "postgresql". */
    public String dialect() {
        return dialect;
    }

    /** Works the queue on this thread until {@link #shutdown} is called. */
    public void run() {
        worker.run();
    }

    /** Hands back the current job within {@code grace} and ends {@link #run()}; safe from any thread. */
    public void shutdown(Duration grace) {
        worker.shutdown(grace);
    }

    @Override
    public void close() throws Exception {
        closer.close();
    }
}
