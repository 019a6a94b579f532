package dev.vqclip.bench.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The burst of reference/scheduler.md §3: a tenth of the users ("heavy") submit 55% of the jobs within the first
 * 10 s, the other users ("light") share the rest within 60 s (100 users, 1,000 jobs: 10 × 55 and 90 × 5). True
 * durations are 30/90/180/600 s with weights 40/30/20/10%; the estimate the scheduler sees is off by up to ±20%,
 * rounded to whole seconds. Submissions are numbered in arrival order, which is also FIFO order.
 */
public record BurstTrace(List<Submission> submissions, int users) {
    static final long HEAVY_WINDOW_MS = 10_000;
    static final long LIGHT_WINDOW_MS = 60_000;
    private static final long[] DURATIONS_S = {30, 90, 180, 600};
    private static final double[] DURATION_WEIGHTS = {0.4, 0.3, 0.2, 0.1};

    /**
     * @param seq        0-based arrival order
     * @param user       0-based user index
     * @param estimateMs what the job's recipe costs in the scheduler's estimate (whole seconds)
     */
    public record Submission(int seq, int user, boolean heavy, long atMs, long durationMs, long estimateMs) {
        public Submission {
            if (seq < 0 || user < 0 || atMs < 0 || durationMs < 1 || estimateMs < 1000 || estimateMs % 1000 != 0) {
                throw new IllegalArgumentException("a submission needs seq, user, time >= 0, a duration >= 1 ms and an "
                        + "estimate of whole seconds, got " + seq + "/" + user + "/" + atMs + "/" + durationMs + "/" + estimateMs);
            }
        }
    }

    public BurstTrace {
        submissions = List.copyOf(submissions);
        for (int i = 0; i < submissions.size(); i++) {
            if (submissions.get(i).seq() != i) {
                throw new IllegalArgumentException("submissions must be numbered 0.. in order, got seq "
                        + submissions.get(i).seq() + " at index " + i);
            }
        }
    }

    /** The §3 burst shape for {@code users} users and {@code jobs} jobs, drawn from {@code seed}. */
    public static BurstTrace generate(int users, int jobs, long seed) {
        if (users < 2) {
            throw new IllegalArgumentException("a burst needs at least 2 users (heavy and light), got " + users);
        }
        int heavyUsers = Math.max(1, (int) Math.round(users * 0.1));
        int lightUsers = users - heavyUsers;
        int heavyJobs = (int) Math.round(jobs * 0.55);
        int lightJobs = jobs - heavyJobs;
        if (heavyJobs < heavyUsers || lightJobs < lightUsers) {
            throw new IllegalArgumentException("every user needs at least one job: " + jobs + " jobs for " + users
                    + " users gives " + heavyJobs + " to " + heavyUsers + " heavy and " + lightJobs + " to " + lightUsers
                    + " light users");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Submission> drawn = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            boolean heavy = u < heavyUsers;
            int count = heavy ? share(heavyJobs, heavyUsers, u) : share(lightJobs, lightUsers, u - heavyUsers);
            long window = heavy ? HEAVY_WINDOW_MS : LIGHT_WINDOW_MS;
            for (int k = 0; k < count; k++) {
                long at = random.nextLong(window);
                long durationS = DURATIONS_S[pick(random.nextDouble())];
                long estimateS = Math.max(1, Math.round(durationS * (0.8 + 0.4 * random.nextDouble())));
                drawn.add(new Submission(0, u, heavy, at, durationS * 1000, estimateS * 1000));
            }
        }
        drawn.sort(Comparator.comparingLong(Submission::atMs).thenComparingInt(Submission::user));
        List<Submission> numbered = new ArrayList<>(drawn.size());
        for (int i = 0; i < drawn.size(); i++) {
            Submission s = drawn.get(i);
            numbered.add(new Submission(i, s.user(), s.heavy(), s.atMs(), s.durationMs(), s.estimateMs()));
        }
        return new BurstTrace(numbered, users);
    }

    /** {@code total} split as evenly as possible over {@code n}: the first {@code total % n} get one more. */
    private static int share(int total, int n, int index) {
        return total / n + (index < total % n ? 1 : 0);
    }

    private static int pick(double u) {
        double acc = 0;
        for (int i = 0; i < DURATION_WEIGHTS.length; i++) {
            acc += DURATION_WEIGHTS[i];
            if (u < acc) {
                return i;
            }
        }
        return DURATION_WEIGHTS.length - 1;
    }

    public long totalWorkMs() {
        return submissions.stream().mapToLong(Submission::durationMs).sum();
    }
}
