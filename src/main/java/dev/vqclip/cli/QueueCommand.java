package dev.vqclip.cli;

import dev.vqclip.app.SchedulerConfig;
import dev.vqclip.app.Server;
import dev.vqclip.app.StoreFactory;
import dev.vqclip.app.Stores;
import dev.vqclip.job.Durations;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Pruning;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.twitter.XBudget;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What is running and waiting, by user, with positions and estimated times. */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Show running and queued jobs, by user.")
final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Option(names = "--stats", description = "also show the database's size and the results, uploads and spool folders'")
    boolean stats;

    @Option(names = "--results-dir", defaultValue = "data/results", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
    Path resultsDir;

    @Option(names = "--spool-dir", defaultValue = "data/spool", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
    Path spoolDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (Stores stores = StoreFactory.open(scheduler.database(), clock)) {
            JobStore store = stores.jobs();
            SchedulerConfig rules = scheduler.config();
            JobService jobs = new JobService(store, rules.limits(), rules.cost(), rules.moderation(), new JobEvents(),
                    stores.sharedClock());
            List<QueueEntry> entries = jobs.queueView();
            int workers = store.workers().queueLoad(Duration.ofMinutes(2)).workers();
            long running = entries.stream().filter(e -> e.position() == 0).count();
            out.printf(Locale.ROOT, "%d running, %d queued, %d worker(s) seen in the last 2 min%s%n", running,
                    entries.size() - running, workers, jobs.paused() ? " (queue PAUSED)" : "");
            Map<String, int[]> byUser = new LinkedHashMap<>();
            for (QueueEntry e : entries) {
                int[] counts = byUser.computeIfAbsent(e.job().user().key() + " (" + e.job().user().displayName() + ")",
                        k -> new int[2]);
                counts[e.position() == 0 ? 0 : 1]++;
                String state = e.position() == 0
                        ? String.format(Locale.ROOT, "RUNNING %d/%d on %s", e.job().progressIter(), e.job().progressTotal(),
                                e.job().workerId())
                        : "#" + e.position();
                out.printf(Locale.ROOT, "  job %-8d %-28s eta %-10s %-24s %s%n", e.job().id(), state, Durations.human(e.eta()),
                        e.job().user().key(), truncate(e.job().promptText(), 50));
            }
            XBudget.status(store.settings(), stores.mentions(clock), clock).ifPresent(out::println);
            if (!byUser.isEmpty()) {
                out.println("by user:");
                byUser.forEach((user, c) -> out.printf(Locale.ROOT, "  %-40s %d running, %d queued%n", user, c[0], c[1]));
            }
            if (stats) {
                printStats(out, store.pruning().stats());
            }
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("queue: " + e.getMessage());
            return 2;
        }
    }

    private void printStats(PrintWriter out, Pruning.Stats s) {
        out.printf(Locale.ROOT, "database: %s; %d job(s), %d stored result(s) %s, previews %s%n",
                s.databaseBytes() == null ? "size unknown" : bytes(s.databaseBytes()), s.jobs(), s.results(),
                bytes(s.resultBytes()), bytes(s.previewBytes()));
        for (Path folder : List.of(resultsDir, Server.UPLOADS, spoolDir)) {
            long[] size = folderSize(folder);
            out.printf(Locale.ROOT, "folder %s: %d file(s), %s%n", folder, size[0], bytes(size[1]));
        }
    }

    private static long[] folderSize(Path dir) {
        long[] size = new long[2];
        if (!Files.isDirectory(dir)) {
            return size;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                size[0]++;
                size[1] += f.toFile().length();
            });
        } catch (IOException | UncheckedIOException e) {
            // a folder that vanished while being read counts what was seen
        }
        return size;
    }

    static String bytes(long n) {
        return n < 1024 ? n + " B" : n < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", n / 1024.0)
                : n < 1L << 30 ? String.format(Locale.ROOT, "%.1f MiB", n / 1048576.0)
                : String.format(Locale.ROOT, "%.2f GiB", n / 1073741824.0);
    }


    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
