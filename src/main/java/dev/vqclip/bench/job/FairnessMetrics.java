package dev.vqclip.bench.job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fairness figures of one burst run (reference/scheduler.md §8.4).
 *
 * <p>Jain window: Jain's index J = (Σx)² / (n·Σx²) of x_i = GPU time user i received in the contention window ÷
 * its max-min fair share of what was served in that window (water-filling over each user's outstanding demand,
 * capped at K running jobs for the window's length). The window runs from the last submission over half the
 * remaining drain time: measured from t = 0 it would mostly measure arrival order. J is 1 when every user got
 * exactly its fair share and 1/n when one user got everything.
 *
 * @param admitted          jobs admitted
 * @param refused           submissions admission refused
 * @param firstWaitP50Min   per-user first-job wait (first submission to first start), median, minutes
 * @param worstShare        the least-served user's service ÷ fair share in the window (1 = fair)
 * @param maxWaitRatio      max ÷ median of the per-user first-job waits
 * @param drainHours        from the first submission until the last job finished
 */
public record FairnessMetrics(int admitted, int refused, double firstWaitP50Min, double firstWaitP95Min,
                              double firstWaitMaxMin, double lightMeanWaitMin, double heavyMeanWaitMin, double jainWindow,
                              double worstShare, double maxWaitRatio, double drainHours) {
    private static final double MS_PER_MIN = 60_000.0;

    static FairnessMetrics of(BurstSimulation.Result result, int maxRunningPerUser) {
        List<BurstSimulation.Outcome> jobs = result.admitted();
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no job was admitted, so there is nothing to measure");
        }
        Map<Integer, Long> firstSubmit = new HashMap<>();
        Map<Integer, Long> firstStart = new HashMap<>();
        double lightWait = 0;
        double heavyWait = 0;
        int light = 0;
        int heavy = 0;
        long lastSubmit = 0;
        long drainEnd = 0;
        for (BurstSimulation.Outcome o : jobs) {
            int user = o.submission().user();
            firstSubmit.merge(user, o.submission().atMs(), Math::min);
            firstStart.merge(user, o.startMs(), Math::min);
            if (o.submission().heavy()) {
                heavyWait += o.waitMs();
                heavy++;
            } else {
                lightWait += o.waitMs();
                light++;
            }
            lastSubmit = Math.max(lastSubmit, o.submission().atMs());
            drainEnd = Math.max(drainEnd, o.endMs());
        }
        double[] firstWaits = firstSubmit.keySet().stream().sorted()
                .mapToDouble(u -> (firstStart.get(u) - firstSubmit.get(u)) / MS_PER_MIN).toArray();
        Arrays.sort(firstWaits);
        double median = percentile(firstWaits, 50);
        double max = firstWaits[firstWaits.length - 1];
        double[] x = windowShares(jobs, lastSubmit, drainEnd, maxRunningPerUser);
        return new FairnessMetrics(jobs.size(), result.refused(), median, percentile(firstWaits, 95), max,
                light == 0 ? Double.NaN : lightWait / light / MS_PER_MIN,
                heavy == 0 ? Double.NaN : heavyWait / heavy / MS_PER_MIN, x.length == 0 ? Double.NaN : jain(x),
                Arrays.stream(x).min().orElse(Double.NaN), median > 0 ? max / median : Double.NaN,
                (drainEnd - jobs.get(0).submission().atMs()) / 3_600_000.0);
    }

    /** x_i = service in the contention window ÷ max-min fair share, for every user with work left at its start. */
    static double[] windowShares(List<BurstSimulation.Outcome> jobs, long lastSubmit, long drainEnd, int maxRunningPerUser) {
        long from = lastSubmit;
        long to = lastSubmit + (drainEnd - lastSubmit) / 2;
        if (to <= from) {
            return new double[0]; // everything finished by the last submission: there was no contention
        }
        Map<Integer, Double> demand = new HashMap<>();
        Map<Integer, Double> service = new HashMap<>();
        for (BurstSimulation.Outcome o : jobs) {
            // every job runs to completion, so the work left at the window's start is what runs after it
            double left = overlap(o.startMs(), o.endMs(), from, Long.MAX_VALUE);
            if (left > 0) {
                demand.merge(o.submission().user(), left, Double::sum);
                service.merge(o.submission().user(), overlap(o.startMs(), o.endMs(), from, to), Double::sum);
            }
        }
        List<Integer> users = new ArrayList<>(demand.keySet());
        users.sort(null);
        double[] caps = new double[users.size()];
        double served = 0;
        for (int i = 0; i < caps.length; i++) {
            caps[i] = Math.min(demand.get(users.get(i)), (double) maxRunningPerUser * (to - from));
            served += service.get(users.get(i));
        }
        double[] fair = waterFill(caps, served);
        double[] x = new double[caps.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = service.get(users.get(i)) / fair[i];
        }
        return x;
    }

    /**
     * Max-min fair split of {@code capacity} over users who can use at most {@code caps[i]} each (water-filling:
     * raise one common level; a user whose cap is below it gets its cap, the rest get the level).
     */
    static double[] waterFill(double[] caps, double capacity) {
        double[] sorted = caps.clone();
        Arrays.sort(sorted);
        double left = capacity;
        double level = Double.POSITIVE_INFINITY;
        for (int i = 0; i < sorted.length; i++) {
            double even = left / (sorted.length - i);
            if (sorted[i] >= even) {
                level = even;
                break;
            }
            left -= sorted[i];
        }
        double[] shares = new double[caps.length];
        for (int i = 0; i < caps.length; i++) {
            shares[i] = Math.min(caps[i], level);
        }
        return shares;
    }

    /** Jain's fairness index (R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984): (Σx)² / (n·Σx²). */
    public static double jain(double[] x) {
        if (x.length == 0) {
            throw new IllegalArgumentException("Jain's index needs at least one value");
        }
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("Jain's index needs finite values >= 0, got " + v);
            }
            sum += v;
            squares += v * v;
        }
        return squares == 0 ? 1.0 : sum * sum / (x.length * squares); // all zero: everyone got the same
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double overlap(long start, long end, long from, long to) {
        return Math.max(0, Math.min(end, to) - Math.max(start, from));
    }
}
