package dev.vqclip.cli;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcMentionLog;
import dev.vqclip.twitter.XBudget;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What is running and waiting, by user, with positions and estimated times. */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Show running and queued jobs, by user.")
final class QueueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Clock clock = Clock.systemUTC();
        try (Database db = scheduler.open(); JdbcJobStore store = new JdbcJobStore(db, clock)) {
            JobService jobs = new JobService(store, scheduler.limits(), scheduler.cost(), scheduler.moderation(),
                    new JobEvents(), clock);
            List<QueueEntry> entries = jobs.queueView();
            int workers = store.queueLoad(Duration.ofMinutes(2)).workers();
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
                out.printf(Locale.ROOT, "  job %-8d %-28s eta %-8s %-24s %s%n", e.job().id(), state, human(e.eta()),
                        e.job().user().key(), truncate(e.job().promptText(), 50));
            }
            XBudget.status(store, new JdbcMentionLog(db, clock), clock).ifPresent(out::println);
            if (!byUser.isEmpty()) {
                out.println("by user:");
                byUser.forEach((user, c) -> out.printf(Locale.ROOT, "  %-40s %d running, %d queued%n", user, c[0], c[1]));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("queue: " + e.getMessage());
            return 2;
        }
    }

    static String human(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = d.toSeconds();
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + (s % 60) + "s" : (s / 3600) + "h" + (s % 3600 / 60) + "m";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
