package dev.vqclip.bench.job;

import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobQueue;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobStore;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Leases;
import dev.vqclip.job.Limits;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The product's queue as the fairness bench drives it: submissions go through {@link JobService#submit}
 * (moderation, limits, SFQ tags frozen at enqueue), workers claim with {@link JobQueue#claimNext} exactly as
 * {@link Worker} does and report with {@link Leases#complete}. Nothing is rendered: the bench measures the
 * claim order, and a job "runs" for its drawn duration in simulated time.
 */
final class ProductQueue implements ClaimOrder {
    /** 500 ms per cost unit: a 256×256, cutn-32 step is two units, so one iteration is one estimated GPU-second. */
    static final CostModel ONE_SECOND_PER_ITERATION = new CostModel(500);
    private static final byte[] NO_IMAGE = new byte[0];

    private final JobService service;
    private final JobQueue queue;
    private final Leases leases;
    private final String userPrefix;
    private final Map<Long, Integer> seqByJob = new HashMap<>();
    private final Map<Integer, Lease> leaseByWorker = new HashMap<>();
    private int queued;
    /** Real time per call, in ns: what the queue operations cost, as opposed to the simulated job time. */
    private final List<Long> submitNanos = new ArrayList<>();
    private final List<Long> claimNanos = new ArrayList<>();

    /** @param userPrefix keeps this run's users apart from earlier runs' in a shared database */
    ProductQueue(JobService service, JobStore store, String userPrefix) {
        this.service = service;
        this.queue = store.queue();
        this.leases = store.leases();
        this.userPrefix = userPrefix;
    }

    @Override
    public boolean submit(BurstTrace.Submission s) {
        UserRef user = new UserRef("bench", userPrefix + "u" + s.user(), null);
        JobRequest request = new JobRequest(user, recipe(s), "bench");
        long began = System.nanoTime();
        SubmitResult result = service.submit(request);
        submitNanos.add(System.nanoTime() - began);
        if (result instanceof SubmitResult.Accepted a) {
            seqByJob.put(a.job().id(), s.seq());
            queued++;
            return true;
        }
        return false;
    }

    /** A recipe whose estimated cost is the submission's estimate (at calibration 1). */
    static Recipe recipe(BurstTrace.Submission s) {
        Recipe r = Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("bench job " + s.seq()))), s.seq());
        return new Recipe(r.prompts(), r.targetImages(), r.noisePrompts(), r.seed(), 256, 256,
                (int) (s.estimateMs() / 1000), 32, r.cutPow(), r.cutMethod(), r.lr(), r.optimizer(), r.initImage(),
                r.initNoise(), r.initWeight(), r.vqgan(), r.clip(), r.drawer(), 0);
    }

    @Override
    public OptionalInt claim(int worker) {
        Limits limits = service.limits();
        long began = System.nanoTime();
        // no heartbeats run in simulated time and nobody reaps, so the lease length only matters to a real worker
        Optional<Lease> claimed = queue.claimNext("bench-w" + worker, limits.lease(), limits.maxRunning());
        claimNanos.add(System.nanoTime() - began);
        return claimed.map(lease -> {
            Integer seq = seqByJob.get(lease.jobId());
            if (seq == null) {
                throw new IllegalStateException("claimed job " + lease.jobId() + " was not submitted by this run; "
                        + "the database must hold no other queued jobs");
            }
            leaseByWorker.put(worker, lease);
            queued--;
            return OptionalInt.of(seq);
        }).orElse(OptionalInt.empty());
    }

    @Override
    public void complete(int worker, long durationMs) {
        Lease lease = leaseByWorker.remove(worker);
        if (lease == null || !leases.complete(lease, NO_IMAGE, 0, Double.NaN, durationMs)) {
            throw new IllegalStateException("worker " + worker + " could not complete its job " + lease);
        }
    }

    @Override
    public int queued() {
        return queued;
    }

    /** Wall-clock cost of the product's calls during the run (not deterministic, unlike everything else). */
    Latency latency() {
        return new Latency(millis(submitNanos, 50), millis(submitNanos, 99), millis(claimNanos, 50), millis(claimNanos, 99));
    }

    private static double millis(List<Long> nanos, double p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        return FairnessMetrics.percentile(sorted, p);
    }

    /** Real milliseconds per {@link JobService#submit} and per {@link JobQueue#claimNext}, p50 and p99. */
    record Latency(double submitP50Ms, double submitP99Ms, double claimP50Ms, double claimP99Ms) {
    }
}
