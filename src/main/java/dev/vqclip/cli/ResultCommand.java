package dev.vqclip.cli;

import dev.vqclip.app.StoreFactory;
import dev.vqclip.app.Stores;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The image of a queued job (e.g. one submitted with {@code imagine --via-queue --detach}), or where it stands. */
@Command(name = "result", mixinStandardHelpOptions = true,
        description = "Write the stamped PNG of a finished queue job, or say where the job stands. Exit 0: written; "
                + "3: still queued or running; 4: failed or cancelled (with the reason); 2: no such job.")
final class ResultCommand implements Callable<Integer> {
    static final int WRITTEN = 0;
    static final int UNKNOWN = 2;
    static final int NOT_YET = 3;
    static final int ENDED_WITHOUT_IMAGE = 4;

    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Parameters(index = "0", paramLabel = "ID", description = "the job id ('job <id>' from imagine --detach)")
    long id;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "where to write the PNG; default job-<id>.png")
    Path out;

    @Option(names = "--wait", arity = "0..1", fallbackValue = "forever", paramLabel = "DURATION",
            description = "wait for the job to end (at most DURATION, e.g. 10m; without one, as long as it takes)")
    String waitFor;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Duration max;
        try {
            max = waitFor == null ? Duration.ZERO
                    : "forever".equals(waitFor) ? Duration.ofDays(3650) : SchedulerOptions.duration("--wait", waitFor);
        } catch (IllegalArgumentException e) {
            err.println("result: " + e.getMessage());
            return 2;
        }
        try (Stores stores = StoreFactory.open(scheduler.database(), Clock.systemUTC())) {
            JobStore store = stores.jobs();
            long deadline = System.nanoTime() + Math.min(max.toNanos(), Long.MAX_VALUE / 4);
            Optional<Job> job = store.reads().find(id);
            while (job.isPresent() && !job.get().state().isFinal() && System.nanoTime() < deadline) {
                store.changes().awaitChange(Duration.ofMillis(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
                job = store.reads().find(id);
            }
            if (job.isEmpty()) {
                err.println("result: there is no job " + id + " in " + stores.redactedUrl());
                return UNKNOWN;
            }
            return report(store, job.get(), stdout, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int report(JobStore store, Job job, PrintWriter stdout, PrintWriter err) {
        switch (job.state()) {
            case QUEUED -> {
                stdout.printf(Locale.ROOT, "job %d is queued (%d ahead of it)%n", job.id(), store.reads().aheadOf(job.id()).jobs());
                return NOT_YET;
            }
            case RUNNING -> {
                stdout.printf(Locale.ROOT, "job %d is running: %d/%d iterations on %s%n", job.id(), job.progressIter(),
                        job.progressTotal(), job.workerId());
                return NOT_YET;
            }
            case DONE -> {
                Path file = out != null ? out : Path.of("job-" + job.id() + ".png");
                try {
                    Files.write(file, store.reads().result(job.id()).orElseThrow());
                } catch (IOException e) {
                    err.println("result: cannot write " + file + ": " + e.getMessage());
                    return 1;
                }
                stdout.printf(Locale.ROOT, "wrote %s (job %d, %d iterations)%n", file, job.id(), job.progressIter());
                return WRITTEN;
            }
            case CANCELLED -> {
                stdout.printf(Locale.ROOT, "job %d was cancelled%s%n", job.id(),
                        job.cancelledBy() == null ? "" : " by " + job.cancelledBy());
                return ENDED_WITHOUT_IMAGE;
            }
            default -> {
                stdout.printf(Locale.ROOT, "job %d failed: %s%n", job.id(), job.failure());
                return ENDED_WITHOUT_IMAGE;
            }
        }
    }
}
