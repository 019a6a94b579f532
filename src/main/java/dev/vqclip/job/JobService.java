package dev.vqclip.job;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.vqclip.prompt.Moderation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Admission and queries over the persistent queue (DESIGN.md §4): moderation, per-user limits, the GPU-time quota
 * per rolling window, the global queue cap, then a persisted QUEUED job with its fair-queuing tag. Every job is a
 * row before the caller can answer the user.
 */
public final class JobService {
    /** While "true", submissions are refused and workers start nothing new. */
    public static final String PAUSED_SETTING = "queue.paused";

    private final JobQueue queue;
    private final JobReads reads;
    private final Deliveries deliveries;
    private final Accounts accounts;
    private final WorkerRegistry workers;
    private final Settings settings;
    private final Limits limits;
    private final CostModel cost;
    private final JobEvents events;
    /** The database is the truth; the calibration factor is hot, so it is cached briefly. */
    private final LoadingCache<Boolean, Double> calibration;
    private final RecipeBounds bounds;
    private final AdmissionRules admission;
    private final QueueEstimates estimates;
    private final List<LongConsumer> cancelHooks = new CopyOnWriteArrayList<>();

    public JobService(JobStore store, Limits limits, CostModel cost, Moderation moderation, JobEvents events, Clock clock) {
        this(store, limits, cost, moderation, events, clock, RecipeBounds.defaults());
    }

    /** @param bounds what every recipe must stay within, whichever adapter built it */
    public JobService(JobStore store, Limits limits, CostModel cost, Moderation moderation, JobEvents events, Clock clock,
                      RecipeBounds bounds) {
        this.bounds = bounds;
        this.queue = store.queue();
        this.reads = store.reads();
        this.deliveries = store.deliveries();
        this.accounts = store.accounts();
        this.workers = store.workers();
        this.settings = store.settings();
        this.limits = limits;
        this.cost = cost;
        this.events = events;
        this.admission = new AdmissionRules(moderation, settings, clock);
        this.estimates = new QueueEstimates(reads, workers, clock);
        // expiry follows the injected clock, so a simulated run (the fairness bench) refreshes it in simulated time
        this.calibration = Caffeine.newBuilder().expireAfterWrite(Duration.ofSeconds(30)).maximumSize(1)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build(k -> accounts.costCalibration(50));
    }

    /** The configured limits with the operators' run-time changes ({@link RuntimeRules}). */
    public Limits limits() {
        return RuntimeRules.limits(limits, settings);
    }

    /** Changes per-user limits and the GPU quota for every process (null keeps a value); returns the new limits. */
    public Limits setLimits(Integer maxRunning, Integer maxQueued, Duration gpuQuota) {
        return RuntimeRules.setLimits(limits, settings, maxRunning, maxQueued, gpuQuota);
    }

    /** Blocks a word in every prompt from now on; false when it already was. */
    public boolean blockWord(String word) {
        return RuntimeRules.setBlocked(settings, word, true);
    }

    /** false when the word was not blocked at run time (words from the configuration stay blocked). */
    public boolean unblockWord(String word) {
        return RuntimeRules.setBlocked(settings, word, false);
    }

    /** One community's limits: the global ones, tightened by its own. */
    public Limits limits(CommunityRules community) {
        return community.limits(limits(), settings);
    }

    /** Tightens one community's limits (null keeps a value); refuses values above the global limits. */
    public Limits setLimits(CommunityRules community, Integer maxRunning, Integer maxQueued, Duration gpuQuota) {
        return community.setLimits(limits(), settings, maxRunning, maxQueued, gpuQuota);
    }

    /** Blocks a word in one community's prompts; false when it already was. */
    public boolean blockWord(CommunityRules community, String word) {
        return community.setBlocked(settings, word, true);
    }

    /** false when the community had not blocked the word (global words stay blocked). */
    public boolean unblockWord(CommunityRules community, String word) {
        return community.setBlocked(settings, word, false);
    }

    /** Refuses (or accepts again) new jobs from one community; other communities and queued jobs go on. */
    public void setPaused(CommunityRules community, boolean paused) {
        community.setPaused(settings, paused);
    }

    public boolean paused(CommunityRules community) {
        return community.paused(settings);
    }

    /** Refuses (or accepts again) a user's new jobs from one community; false when that changed nothing. */
    public boolean setBanned(CommunityRules community, UserRef user, boolean banned) {
        return community.setBanned(settings, user, banned);
    }

    /** Moderates, applies the limits and persists the job; never throws for a user's mistake. */
    public SubmitResult submit(JobRequest request) {
        return submit(request, null);
    }

    /**
     * {@link #submit(JobRequest)} under the rules of the community the request came from as well (its pause, bans,
     * blocked words and stricter limits); null for none.
     */
    public SubmitResult submit(JobRequest request, CommunityRules community) {
        return submit(request, community, null);
    }

    /**
     * {@link #submit(JobRequest, CommunityRules)} that runs {@code onAdmitted} once moderation and admission accept
     * the job, before it is committed (and so before any worker can claim it): the adapter stores what the job
     * reads (its uploaded images) then, and nothing for a refused request. When it throws, nothing is queued and
     * the exception propagates. Null for nothing to do.
     */
    public SubmitResult submit(JobRequest request, CommunityRules community, Runnable onAdmitted) {
        Optional<String> outOfBounds = bounds.violation(request.recipe());
        if (outOfBounds.isPresent()) {
            return new SubmitResult.Refused(outOfBounds.get());
        }
        if (community != null && community.paused(settings)) {
            return new SubmitResult.Refused("this server's moderators paused image requests here; try again later");
        }
        if (community != null && community.banned(settings, request.user())) {
            return new SubmitResult.Refused("you are not allowed to queue images on this server; ask its moderators "
                    + "if this is a mistake");
        }
        Optional<String> blocked = admission.moderate(request.recipe(), community == null ? List.of() : community.blockedWords(settings));
        if (blocked.isPresent()) {
            return new SubmitResult.Refused("this prompt is not allowed here (" + blocked.get() + ")");
        }
        long estMs = cost.estimateMs(request.recipe(), calibration.get(Boolean.TRUE));
        Limits now = community == null ? limits() : community.limits(limits(), settings);
        EnqueueOutcome outcome = queue.enqueue(request, estMs, BatchKeys.of(request.recipe()), now.maxAttempts(),
                (user, queue, est) -> {
                    Optional<String> refusal = admission.admit(now, user, queue, est);
                    if (refusal.isEmpty() && onAdmitted != null) {
                        onAdmitted.run();
                    }
                    return refusal;
                });
        if (outcome instanceof EnqueueOutcome.Refused r) {
            return new SubmitResult.Refused(r.reason());
        }
        if (outcome instanceof EnqueueOutcome.Duplicate d) {
            return accepted(d.job(), true);
        }
        Job job = ((EnqueueOutcome.Enqueued) outcome).job();
        SubmitResult.Accepted accepted = accepted(job, false);
        events.publish(new JobEvent.Queued(job.id(), accepted.position(), accepted.eta()));
        return accepted;
    }

    private SubmitResult.Accepted accepted(Job job, boolean duplicate) {
        QueuePosition p = position(job.id()).orElse(new QueuePosition(0, null));
        return new SubmitResult.Accepted(job, p.position(), p.eta(), duplicate);
    }

    /** Where a queued job stands: 1-based position in claim order and the estimated time until its result. */
    public Optional<QueuePosition> position(long jobId) {
        return estimates.position(jobId);
    }

    /**
     * Running jobs, then queued ones in claim order, each with its position and estimated time to result: the
     * work ahead (remaining running work plus queued estimates) shared by the workers seen recently.
     */
    public List<QueueEntry> queueView() {
        return estimates.queueView();
    }

    /**
     * Lets a worker in this process stop a running job at its next optimizer step, instead of at its next heartbeat
     * (workers elsewhere learn of the cancel request from their heartbeat).
     */
    public void onCancelRequested(LongConsumer hook) {
        cancelHooks.add(hook);
    }

    /** Cancels a job for its owner or a moderator. */
    public CancelResult cancel(long jobId, UserRef by, boolean moderator) {
        Optional<Job> job = reads.find(jobId);
        if (job.isEmpty()) {
            return CancelResult.NOT_FOUND;
        }
        if (!moderator && !job.get().user().key().equals(by.key())) {
            return CancelResult.NOT_ALLOWED;
        }
        if (job.get().state().isFinal()) {
            return CancelResult.ALREADY_FINISHED;
        }
        Optional<JobState> state = queue.cancel(jobId, by.key());
        if (state.isPresent() && state.get() == JobState.CANCELLED) {
            events.publish(new JobEvent.Cancelled(jobId, by.key()));
            return CancelResult.CANCELLED;
        }
        if (state.isPresent() && state.get() == JobState.RUNNING) {
            cancelHooks.forEach(h -> h.accept(jobId));
            return CancelResult.STOPPING;
        }
        return CancelResult.ALREADY_FINISHED;
    }

    /** A user's standing for /info: running, queued, GPU time charged in the window and when it refills. */
    public UserUsage usage(UserRef user) {
        Limits limits = limits();
        UserLoad load = accounts.userLoad(user.key(), limits.quotaWindow());
        Instant refill = load.charges().isEmpty() ? null : load.charges().get(0).at().plus(limits.quotaWindow());
        return new UserUsage(load.running(), load.queued(), Duration.ofMillis(load.chargedMs()), refill, load.banned());
    }

    public void setPaused(boolean paused) {
        settings.putSetting(PAUSED_SETTING, Boolean.toString(paused));
    }

    public boolean paused() {
        return settings.setting(PAUSED_SETTING).map(Boolean::parseBoolean).orElse(false);
    }

    public void setBanned(UserRef user, boolean banned) {
        accounts.setBanned(user, banned);
    }

    public Optional<Job> job(long jobId) {
        return reads.find(jobId);
    }

    public List<Job> history(UserRef user, int limit) {
        return reads.byUser(user.key(), limit);
    }

    public Optional<byte[]> result(long jobId) {
        return reads.result(jobId);
    }

    /** The latest preview of a running job, as its worker stored it (possibly in another process). */
    public Optional<byte[]> preview(long jobId) {
        return reads.preview(jobId);
    }

    /** Final jobs whose delivery no adapter confirmed (the process stopped in between), oldest first. */
    public List<Job> undelivered(int limit) {
        return deliveries.undelivered(limit);
    }

    /** Records an adapter's delivery; false when the job was already handled, so it is delivered at most once more. */
    public boolean markDelivered(long jobId, String deliveryRef) {
        return deliveries.markDelivered(jobId, deliveryRef);
    }

    /** Records that an adapter gave up delivering the job, with the reason; false when it was already handled. */
    public boolean markDeliveryFailed(long jobId, String reason) {
        return deliveries.markDeliveryFailed(jobId, reason);
    }

    /** Points the job's reply at the message its adapter moved the status card to. */
    public void updateReplyTo(long jobId, String replyTo) {
        deliveries.updateReplyTo(jobId, replyTo);
    }

    /** Named values an adapter keeps across restarts (a read cursor, a budget), shared by every process. */
    public Settings settings() {
        return settings;
    }
}
