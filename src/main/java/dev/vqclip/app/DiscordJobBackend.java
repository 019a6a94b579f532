package dev.vqclip.app;

import dev.vqclip.discord.AdminActions;
import dev.vqclip.discord.AdminCommand;
import dev.vqclip.discord.Derivation;
import dev.vqclip.discord.ImagineBackend;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.JobSummary;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.discord.Usage;
import dev.vqclip.job.CancelResult;
import dev.vqclip.job.CommunityRules;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Visibility;
import dev.vqclip.job.Lane;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.BadImageException;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.ProvenanceReport;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The Discord bot's port implemented over the persistent scheduler: requests become recipes and jobs of platform
 * {@value Requester#PLATFORM}, scheduler events become card events ({@link DiscordViews}), and the card's address
 * travels with the job ({@link ReplyAddress#replyTo()}) so a restarted bot finds it again. The bot only sees Discord
 * jobs: events and lookups of jobs from other platforms are left out. What the bot says is the bot's: this class
 * only translates.
 */
public final class DiscordJobBackend implements ImagineBackend {
    private static final String PLATFORM = Requester.PLATFORM;

    private final JobService jobs;
    private final JobEvents events;
    private final ImagineRecipes recipes;
    private final ProvenanceReader provenance;
    private final LongSupplier seeds;
    private final AdminActions admin;
    private final DiscordViews views;
    /** Guild channels whose jobs stay out of the public web pages, as marked by the operator. */
    private volatile Set<String> privateChannels = Set.of();
    /** Where the workers keep timelapses (🎞); null when this bot offers none. */
    private volatile Showcase timelapses;

    /**
     * @param parser  parses prompts with the CLIP model's token budget and the operators' moderation policy
     * @param uploads where attached init/target images are kept for the workers; null refuses attachments
     */
    public DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                             ProvenanceReader provenance, UploadFolder uploads) {
        this(jobs, events, defaults, parser, provenance, uploads, new SecureRandom()::nextLong);
    }

    DiscordJobBackend(JobService jobs, JobEvents events, BotDefaults defaults, PromptParser parser,
                      ProvenanceReader provenance, UploadFolder uploads, LongSupplier seeds) {
        this.jobs = jobs;
        this.events = events;
        this.recipes = new ImagineRecipes(defaults, parser, uploads);
        this.provenance = provenance;
        this.admin = new AdminActions(jobs);
        this.views = new DiscordViews(jobs, () -> timelapses);
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
            return DiscordViews.submission(jobs.submit(new JobRequest(request.requester().user(), recipe,
                    request.reply().replyTo(), Lane.NORMAL, null, DiscordViews.idemKey(request.requestId()),
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
        return DiscordViews.submission(jobs.submit(new JobRequest(requester.user(), recipe, reply.replyTo(), Lane.NORMAL,
                parent.get().id(), DiscordViews.idemKey(requestId), visibility(reply)), community(reply.guildId())));
    }

    @Override
    public CancelResult cancel(String jobId, Requester by) {
        Optional<Job> job = discordJob(jobId);
        if (job.isEmpty()) {
            return CancelResult.NOT_FOUND;
        }
        boolean moderates = by.moderates(ReplyAddress.fromReplyTo(job.get().replyTo()).orElse(null));
        return jobs.cancel(job.get().id(), by.user(), moderates);
    }

    @Override
    public List<JobSummary> queue(String userId) {
        String key = Requester.user(userId, userId).key();
        return jobs.queueView().stream().filter(e -> e.job().user().key().equals(key))
                .map(e -> DiscordViews.summary(e.job(), e)).toList();
    }

    @Override
    public List<JobSummary> history(String userId, int limit) {
        return jobs.history(Requester.user(userId, userId), limit).stream().map(this::summary).toList();
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
            if (DiscordViews.hasCard(e.job())) {
                open.add(DiscordViews.summary(e.job(), e));
            }
        }
        for (Job job : jobs.undelivered(UNDELIVERED_LIMIT)) {
            if (DiscordViews.hasCard(job)) {
                open.add(DiscordViews.summary(job, null));
            }
        }
        return open;
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
        return DiscordViews.usage(jobs.usage(Requester.user(userId, userId)), jobs.limits());
    }

    private JobSummary summary(Job job) {
        QueueEntry entry = job.state().isFinal() ? null
                : jobs.queueView().stream().filter(e -> e.job().id() == job.id()).findFirst().orElse(null);
        return DiscordViews.summary(job, entry);
    }

    @Override
    public void cardMoved(String jobId, ReplyAddress card) {
        parseId(jobId).ifPresent(id -> jobs.updateReplyTo(id, card.replyTo()));
    }

    @Override
    public void delivered(String jobId, ReplyAddress card) {
        parseId(jobId).ifPresent(id -> jobs.markDelivered(id, card.replyTo()));
    }

    @Override
    public void deliveryFailed(String jobId, String reason) {
        parseId(jobId).ifPresent(id -> jobs.markDeliveryFailed(id, reason));
    }

    @Override
    public AutoCloseable subscribe(Consumer<JobEvent> listener) {
        return events.subscribe(e -> views.toCard(e).ifPresent(listener));
    }

    @Override
    public Optional<String> decode(byte[] image) {
        ProvenanceReport report;
        try {
            report = provenance.read(image);
        } catch (BadImageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (!report.foundAnything()) {
            return Optional.empty();
        }
        return Optional.of(DiscordViews.provenance(report, jobs::job).text());
    }

    @Override
    public String admin(AdminCommand command, String guildId, Requester by) {
        return guildId == null ? admin.global(command) : admin.server(command, community(guildId));
    }

    /** The rules of one server, layered over the global ones. */
    private static CommunityRules community(String guildId) {
        return guildId == null ? null : CommunityRules.of(PLATFORM + ":" + guildId);
    }

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
}
