package dev.vqclip.bench.job;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Limits;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The fairness proof of the scheduler (reference/scheduler.md §8.4): a {@link BurstTrace} submitted through the
 * real {@link JobService} and {@link JobStore} (so admission and the SFQ tags are the product's), claimed by
 * simulated workers in simulated time, measured by {@link FairnessMetrics}. Nothing is rendered: the bench measures
 * the claim order. FIFO, the negative control, is simulated in memory over the jobs the product admitted.
 *
 * <p>Two admission settings: per-user queue limit Q raised to the burst size (and a quota no one reaches), so the
 * order alone is measured; and the default Q, which refuses most of a heavy user's burst.
 */
public final class FairnessBench {
    /** Where simulated time starts (any fixed instant: the runs are deterministic). */
    public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");

    /**
     * @param maxRunningPerUser K, the product's per-user running cap, applied to the control too
     */
    public record Settings(int users, int jobs, int workers, long seed, int maxRunningPerUser) {
        public Settings {
            if (workers < 1 || maxRunningPerUser < 1 || jobs < users) {
                throw new IllegalArgumentException("the bench needs workers >= 1, K >= 1 and at least one job per user, got "
                        + workers + " workers, K = " + maxRunningPerUser + ", " + jobs + " jobs for " + users + " users");
            }
        }
    }

    /** Opens a store with no queued jobs on the simulation's clock; the bench closes it after its run. */
    @FunctionalInterface
    public interface Stores {
        JobStore open(Clock clock);
    }

    /**
     * One line of the table. {@code wallMs} is real time spent on the run, and the latencies are real milliseconds
     * per submit and per claim, p50 and p99 (NaN and 0 for the in-memory control).
     */
    public record Row(String admission, String policy, FairnessMetrics metrics, long wallMs, double submitP50Ms,
                      double submitP99Ms, double claimP50Ms, double claimP99Ms) {
    }

    public record Report(Settings settings, BurstTrace trace, List<Row> rows) {
    }

    private FairnessBench() {
    }

    /**
     * @param userTag prefixes this run's user ids, so a shared database never mixes its users with an earlier run's
     */
    public static Report run(Settings settings, Stores stores, String userTag) {
        BurstTrace trace = BurstTrace.generate(settings.users(), settings.jobs(), settings.seed());
        Limits raised = Limits.defaults()
                .withPerUser(settings.maxRunningPerUser(), settings.jobs())
                .withQuota(Duration.ofDays(365), Duration.ofHours(24))
                .withQueueCap(Math.max(settings.jobs(), Limits.defaults().queueCap()));
        Limits defaultQ = raised.withPerUser(settings.maxRunningPerUser(), Limits.defaults().maxQueued());
        List<Row> rows = new ArrayList<>();
        rows.addAll(compare(trace, settings, raised, "Q=" + raised.maxQueued(), stores, userTag + "a"));
        rows.addAll(compare(trace, settings, defaultQ, "Q=" + defaultQ.maxQueued() + " (default)", stores, userTag + "b"));
        return new Report(settings, trace, rows);
    }

    /** The product under {@code limits}, then the FIFO control over exactly the jobs the product admitted. */
    private static List<Row> compare(BurstTrace trace, Settings settings, Limits limits, String admission, Stores stores,
                                     String userPrefix) {
        SimulatedClock clock = new SimulatedClock(START);
        BurstSimulation.Result product;
        ProductQueue.Latency latency;
        long began = System.nanoTime();
        try (JobStore store = stores.open(clock)) {
            if (!store.reads().queued().isEmpty() || !store.reads().running().isEmpty()) {
                throw new IllegalStateException("the fairness bench needs a queue with no open jobs, found "
                        + store.reads().queued().size() + " queued and " + store.reads().running().size() + " running");
            }
            JobService service = new JobService(store, limits, ProductQueue.ONE_SECOND_PER_ITERATION,
                    new Moderation(PromptPolicy.defaults()), new JobEvents(), clock);
            ProductQueue queue = new ProductQueue(service, store, userPrefix + "-");
            product = BurstSimulation.run(trace, queue, settings.workers(), clock, seq -> true);
            latency = queue.latency();
        }
        long wallMs = (System.nanoTime() - began) / 1_000_000;
        Set<Integer> admitted = new HashSet<>();
        product.admitted().forEach(o -> admitted.add(o.submission().seq()));
        BurstSimulation.Result fifo = BurstSimulation.run(trace, new FifoControl(settings.maxRunningPerUser()),
                settings.workers(), new SimulatedClock(START), admitted::contains);
        return List.of(
                new Row(admission, "SFQ (product store)", FairnessMetrics.of(product, settings.maxRunningPerUser()), wallMs,
                        latency.submitP50Ms(), latency.submitP99Ms(), latency.claimP50Ms(), latency.claimP99Ms()),
                new Row(admission, "FIFO (simulated control)", FairnessMetrics.of(
                        new BurstSimulation.Result(fifo.admitted(), product.refused()), settings.maxRunningPerUser()), 0,
                        Double.NaN, Double.NaN, Double.NaN, Double.NaN));
    }

    /** The report as an aligned text table (waits in simulated minutes), one string per line. */
    public static List<String> table(Report report) {
        String format = "%-14s %-25s %9s %22s %10s %10s %7s %7s %7s %7s %8s %12s %12s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, format, "admission", "policy", "admitted", "1st wait p50/p95/max",
                "light mean", "heavy mean", "Jain", "worst", "max/med", "drain", "wall", "submit ms", "claim ms"));
        lines.add(String.format(Locale.ROOT, format, "", "", "(refused)", "(min)", "wait (min)", "wait (min)", "window",
                "x_i", "1st wait", "(h)", "(s)", "p50 / p99", "p50 / p99"));
        for (Row row : report.rows()) {
            FairnessMetrics m = row.metrics();
            lines.add(String.format(Locale.ROOT, format, row.admission(), row.policy(),
                    m.admitted() + " (" + m.refused() + ")",
                    String.format(Locale.ROOT, "%.0f / %.0f / %.0f", m.firstWaitP50Min(), m.firstWaitP95Min(),
                            m.firstWaitMaxMin()),
                    String.format(Locale.ROOT, "%.0f", m.lightMeanWaitMin()),
                    String.format(Locale.ROOT, "%.0f", m.heavyMeanWaitMin()),
                    String.format(Locale.ROOT, "%.3f", m.jainWindow()),
                    String.format(Locale.ROOT, "%.2f", m.worstShare()),
                    String.format(Locale.ROOT, "%.2f", m.maxWaitRatio()),
                    String.format(Locale.ROOT, "%.1f", m.drainHours()),
                    row.wallMs() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", row.wallMs() / 1000.0),
                    latencies(row.submitP50Ms(), row.submitP99Ms()), latencies(row.claimP50Ms(), row.claimP99Ms())));
        }
        return lines;
    }

    private static String latencies(double p50, double p99) {
        return Double.isNaN(p50) ? "-" : String.format(Locale.ROOT, "%.1f / %.1f", p50, p99);
    }
}
