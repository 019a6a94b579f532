package dev.vqclip.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vqclip.contest.ContestService;
import dev.vqclip.discord.AdminCommand;
import dev.vqclip.discord.CancelOutcome;
import dev.vqclip.discord.Derivation;
import dev.vqclip.discord.ImagineBackend;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.JobEvent;
import dev.vqclip.discord.JobStatus;
import dev.vqclip.discord.JobSummary;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.discord.Usage;
import dev.vqclip.job.CommunityRules;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Visibility;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Limits;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.job.UserRef;
import dev.vqclip.job.UserUsage;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The Discord bot's port implemented over the persistent scheduler: requests become recipes and jobs of platform
 * {@value #PLATFORM}, scheduler events become card events, and the card's address travels with the job
 * ({@link DiscordReplyTo}) so a restarted bot finds it again. The bot only sees Discord jobs: events and lookups of
 * jobs from other platforms are left out.
 */
public final class DiscordJobBackend implements ImagineBackend {
    static final String PLATFORM = "discord";

    private final JobService jobs;
    private final JobEvents events;
    private final ImagineRecipes recipes;
    private final ProvenanceReader provenance;
    private final LongSupplier seeds;
    private final DiscordAdmin admin;
    /** Guild channels whose jobs stay out of the public web pages, as marked by the operator. */
    private volatile Set<String> privateChannels = Set.of();
    /** Where the workers keep timelapses (🎞); null when this bot offers none. */
    private volatile Showcase timelapses;
    /** What the event mapping needs of a job, read once per job instead of once per step. */
    private final Cache<Long, JobFacts> facts = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    /** The event mapping's view of one job; {@code discord} false for jobs of other platforms. */
    private record JobFacts(boolean discord, String ownerId, int iterations, String summary) {
    }

    /**
     * @param parser parses prompts with the CLIP model's token budget and the operators' moderation policy
     */
    public DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                             ProvenanceReader provenance) {
        this(jobs, events, defaults, parser, provenance, null, new SecureRandom()::nextLong);
    }

    /** @param uploads where attached init/target images are kept for the workers; null refuses attachments */
    public DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                             ProvenanceReader provenance, UploadFolder uploads) {
        this(jobs, events, defaults, parser, provenance, uploads, new SecureRandom()::nextLong);
    }

    DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                      ProvenanceReader provenance, LongSupplier seeds) {
        this(jobs, events, defaults, parser, provenance, null, seeds);
    }

    DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                      ProvenanceReader provenance, UploadFolder uploads, LongSupplier seeds) {
        this.jobs = jobs;
        this.events = events;
        this.recipes = new ImagineRecipes(defaults, parser, uploads);
        this.provenance = provenance;
        this.admin = new DiscordAdmin(jobs);
        this.seeds = () -> seeds.getAsLong() & Long.MAX_VALUE; // seeds are shown and typed back: keep them positive
    }

    /** Marks guild channels private: their jobs, like direct messages, never appear on the public web pages. */
    public DiscordJobBackend withPrivateChannels(Collection<String> channelIds) {
        this.privateChannels = Set.copyOf(channelIds);
        return this;
    }

    /** Offers each finished job's timelapse, as the workers stored it, behind the card's 🎞 button. */
    public DiscordJobBackend withTimelapses(Showcase showcase) {
        this.timelapses = showcase;
        return this;
    }

    /** Public only when asked in a guild channel not marked private; a direct message is always private. */
    Visibility visibility(ReplyAddress reply) {
        return reply.guildId() != null && !privateChannels.contains(reply.channelId()) ? Visibility.PUBLIC
                : Visibility.PRIVATE;
    }

    @Override
    public int maxIterations() {
        return recipes.maxIterations();
    }

    // ---- submissions ---------------------------------------------------------------------------------------

    @Override
    public Submission submit(ImagineRequest request) {
        UploadFolder.Batch staged = recipes.uploads();
        try {
            Recipe recipe;
            try {
                recipe = recipes.recipe(request, seeds, staged);
            } catch (IllegalArgumentException refused) {
                return new Submission.Refused(refused.getMessage());
            }
            return submission(jobs.submit(new JobRequest(user(request.requester()), recipe,
                    DiscordReplyTo.encode(request.reply()), Lane.NORMAL, null, idemKey(request.requestId()),
                    visibility(request.reply())), community(request.reply().guildId()),
                    staged == null ? null : staged::keep));
        } finally {
            if (staged != null) {
                staged.close(); // what the admission did not keep (a refused or repeated request)
            }
        }
    }

    @Override
    public Submission derive(String parentJobId, Derivation how, Requester requester, ReplyAddress reply,
                             String requestId) {
        Optional<Job> parent = discordJob(parentJobId);
        if (parent.isEmpty()) {
            return new Submission.Refused("job " + parentJobId + " no longer exists");
        }
        Recipe recipe = switch (how) {
            case REROLL -> ImagineRecipes.reroll(parent.get().recipe(), seeds.getAsLong());
            case VARIATION -> ImagineRecipes.variation(parent.get().recipe(), seeds.getAsLong());
        };
        return submission(jobs.submit(new JobRequest(user(requester), recipe, DiscordReplyTo.encode(reply), Lane.NORMAL,
                parent.get().id(), idemKey(requestId), visibility(reply)), community(reply.guildId())));
    }

    /** The job system's idempotency key of a Discord request; a long click id is hashed to fit the key's column. */
    static String idemKey(String requestId) {
        if (requestId == null) {
            return null;
        }
        String key = PLATFORM + ":" + requestId;
        if (key.length() <= JobRequest.MAX_IDEM_KEY_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return PLATFORM + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Submission submission(SubmitResult result) {
        if (result instanceof SubmitResult.Refused r) {
            return new Submission.Refused(r.reason());
        }
        SubmitResult.Accepted a = (SubmitResult.Accepted) result;
        return new Submission.Accepted(Long.toString(a.job().id()), a.position(), a.eta());
    }

    @Override
    public CancelOutcome cancel(String jobId, Requester by) {
        Optional<Job> job = discordJob(jobId);
        if (job.isEmpty()) {
            return CancelOutcome.NOT_FOUND;
        }
        boolean moderates = by.moderates(DiscordReplyTo.decode(job.get().replyTo()).orElse(null));
        return switch (jobs.cancel(job.get().id(), user(by), moderates)) {
            // a running job stops at its worker's next heartbeat; its card turns "cancelled" then
            case CANCELLED, STOPPING -> CancelOutcome.CANCELLED;
            case ALREADY_FINISHED -> CancelOutcome.ALREADY_FINISHED;
            case NOT_FOUND -> CancelOutcome.NOT_FOUND;
            case NOT_ALLOWED -> CancelOutcome.NOT_ALLOWED;
        };
    }

    // ---- queries -------------------------------------------------------------------------------------------

    @Override
    public List<JobSummary> queue(String userId) {
        String key = userKey(userId);
        return jobs.queueView().stream().filter(e -> e.job().user().key().equals(key))
                .map(e -> summary(e.job(), e)).toList();
    }

    @Override
    public List<JobSummary> history(String userId, int limit) {
        return jobs.history(new UserRef(PLATFORM, userId, userId), limit).stream().map(this::summary).toList();
    }

    @Override
    public Optional<JobSummary> job(String jobId) {
        return discordJob(jobId).map(this::summary);
    }

    /** Final jobs read at startup whose delivery is still owed; the watcher announces as many again. */
    static final int UNDELIVERED_LIMIT = 10_000;

    @Override
    public List<JobSummary> openCards() {
        List<JobSummary> open = new ArrayList<>();
        for (QueueEntry e : jobs.queueView()) {
            if (hasCard(e.job())) {
                open.add(summary(e.job(), e));
            }
        }
        for (Job job : jobs.undelivered(UNDELIVERED_LIMIT)) {
            if (hasCard(job)) {
                open.add(summary(job, null));
            }
        }
        return open;
    }

    /** A Discord job whose card message was posted (a job whose card never was has nothing to take over). */
    private static boolean hasCard(Job job) {
        return PLATFORM.equals(job.user().platform())
                && DiscordReplyTo.decode(job.replyTo()).map(a -> a.cardMessageId() != null).orElse(false);
    }

    @Override
    public Optional<byte[]> resultImage(String jobId) {
        return discordJob(jobId).flatMap(j -> jobs.result(j.id()));
    }

    @Override
    public Optional<byte[]> timelapse(String jobId) {
        Showcase showcase = timelapses;
        return showcase == null ? Optional.empty()
                : discordJob(jobId).flatMap(j -> showcase.timelapse(j.id())).map(TimelapseVideo::bytes);
    }

    @Override
    public Usage usage(String userId) {
        UserUsage u = jobs.usage(new UserRef(PLATFORM, userId, userId));
        Limits l = jobs.limits();
        return new Usage(u.running(), l.maxRunning(), u.queued(), l.maxQueued(), u.gpuUsed().toMillis() / 1000.0,
                l.gpuQuota().toMillis() / 1000.0, l.quotaWindow(), u.refillAt(), u.banned());
    }

    private JobSummary summary(Job job) {
        QueueEntry entry = job.state().isFinal() ? null
                : jobs.queueView().stream().filter(e -> e.job().id() == job.id()).findFirst().orElse(null);
        return summary(job, entry);
    }

    /** @param entry the job's line in the queue view, or null when it is not queued or running */
    private static JobSummary summary(Job job, QueueEntry entry) {
        Recipe r = job.recipe();
        String prompt = job.promptText() == null ? PromptFormat.format(r.prompts()) : job.promptText();
        int total = Math.max(1, job.progressTotal() > 0 ? job.progressTotal() : r.iterations());
        int step = Math.min(Math.max(0, job.progressIter()), total);
        return new JobSummary(Long.toString(job.id()), job.user().userId(), prompt, JobStatus.valueOf(job.state().name()),
                entry == null ? 0 : entry.position(), entry == null ? null : entry.eta(),
                entry == null ? null : entry.waiting(), r.seed(), RecipeTexts.full(r),
                job.parentId() == null ? null : Long.toString(job.parentId()), job.createdAt(),
                DiscordReplyTo.decode(job.replyTo()).orElse(null), job.failure(), step, total);
    }

    // ---- the card's life -----------------------------------------------------------------------------------

    @Override
    public void cardMoved(String jobId, ReplyAddress card) {
        parseId(jobId).ifPresent(id -> jobs.updateReplyTo(id, DiscordReplyTo.encode(card)));
    }

    @Override
    public void delivered(String jobId, ReplyAddress card) {
        parseId(jobId).ifPresent(id -> jobs.markDelivered(id, DiscordReplyTo.encode(card)));
    }

    @Override
    public void deliveryFailed(String jobId, String reason) {
        parseId(jobId).ifPresent(id -> jobs.markDeliveryFailed(id, reason));
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        return events.subscribe(e -> toDiscord(e).ifPresent(listener));
    }

    /** A scheduler event as the card shows it; empty for jobs of other platforms. */
    private Optional<JobEvent> toDiscord(dev.vqclip.job.JobEvent event) {
        JobFacts job = facts(event.jobId());
        if (job == null || !job.discord()) {
            return Optional.empty();
        }
        String id = Long.toString(event.jobId());
        JobEvent mapped;
        if (event instanceof dev.vqclip.job.JobEvent.Queued q) {
            mapped = new JobEvent.Queued(id, q.position(), q.eta());
        } else if (event instanceof dev.vqclip.job.JobEvent.Started) {
            // the card turns "running" before the first step: loading the models can take a while
            mapped = new JobEvent.Progress(id, 0, Math.max(1, job.iterations()), Double.NaN, null);
        } else if (event instanceof dev.vqclip.job.JobEvent.Progress p) {
            int total = Math.max(1, p.total() > 0 ? p.total() : job.iterations());
            mapped = new JobEvent.Progress(id, Math.min(Math.max(0, p.iteration()), total), total, p.loss(),
                    p.previewPng());
        } else if (event instanceof dev.vqclip.job.JobEvent.Finished f) {
            Showcase showcase = timelapses;
            mapped = new JobEvent.Finished(id, f.png(), job.summary(), f.seed(),
                    showcase != null && showcase.timelapse(event.jobId()).isPresent());
        } else if (event instanceof dev.vqclip.job.JobEvent.Failed f) {
            mapped = new JobEvent.Failed(id, f.reason() == null ? "the job failed" : f.reason());
        } else {
            String by = ((dev.vqclip.job.JobEvent.Cancelled) event).byUserKey();
            String prefix = PLATFORM + ":";
            // cancelled by the scheduler itself (or from another platform): the card names the owner
            mapped = new JobEvent.Cancelled(id, by != null && by.startsWith(prefix) ? by.substring(prefix.length())
                    : job.ownerId());
        }
        return Optional.of(mapped);
    }

    private JobFacts facts(long jobId) {
        // contest entries have no card (they stay hidden until the ballot shows them): their events are not the bot's
        return facts.get(jobId, id -> jobs.job(id).map(j -> new JobFacts(PLATFORM.equals(j.user().platform())
                        && !ContestService.isEntryReply(j.replyTo()),
                j.user().userId(), j.recipe().iterations(), RecipeTexts.oneLine(j.recipe()))).orElse(null));
    }

    // ---- provenance and operators --------------------------------------------------------------------------

    @Override
    public Optional<String> decode(byte[] image) {
        ProvenanceReport report;
        try {
            report = provenance.read(image);
        } catch (BadImageException e) {
            throw new IllegalArgumentException("that file is not an image I can read (" + e.getMessage() + ")", e);
        }
        if (!report.foundAnything()) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder("layers: ").append(String.join(", ", report.layers())).append('\n');
        Optional<Long> jobId = report.jobId();
        if (jobId.isPresent() && jobId.get() > 0) {
            text.append("job ").append(jobId.get()).append('\n');
        } else if (report.watermark() != null) {
            text.append("a local render (no queue job)\n");
        }
        if (report.recipe().isPresent()) {
            text.append(report.recipe().get().parametersLine());
        } else if (jobId.isPresent() && jobId.get() > 0) {
            // only the robust mark survived a re-encoding: the job's recipe comes from the database
            // except for a contest entry: its ballot copy keeps only the mark, and voting is blind
            text.append(jobs.job(jobId.get()).map(j -> ContestService.isEntryReply(j.replyTo())
                            ? "a contest entry: its prompt is shown with the contest's results"
                            : RecipeTexts.full(j.recipe()))
                    .orElse("job " + jobId.get() + " is not in this bot's database"));
        } else {
            report.texts().forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        }
        return Optional.of(text.toString().strip());
    }

    @Override
    public String admin(AdminCommand command, String guildId, Requester by) {
        return guildId == null ? admin.global(command) : admin.server(command, community(guildId));
    }

    /** The rules of one server, layered over the global ones. */
    private static CommunityRules community(String guildId) {
        return guildId == null ? null : CommunityRules.of(PLATFORM + ":" + guildId);
    }

    // ---- ids -----------------------------------------------------------------------------------------------

    private Optional<Job> discordJob(String jobId) {
        return parseId(jobId).flatMap(jobs::job).filter(j -> PLATFORM.equals(j.user().platform()));
    }

    private static Optional<Long> parseId(String jobId) {
        try {
            long id = Long.parseLong(jobId);
            return id > 0 ? Optional.of(id) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static UserRef user(Requester r) {
        return new UserRef(PLATFORM, r.userId(), r.displayName());
    }

    private static String userKey(String userId) {
        return PLATFORM + ":" + userId;
    }
}
