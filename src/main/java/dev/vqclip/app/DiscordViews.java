package dev.vqclip.app;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vqclip.contest.ContestService;
import dev.vqclip.discord.DecodedProvenance;
import dev.vqclip.discord.JobSummary;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.discord.Usage;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Limits;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.job.Showcase;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserUsage;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.ProvenancePayload;
import dev.vqclip.provenance.ProvenanceReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The job system's answers in the terms of the bot's port: jobs as {@link JobSummary}s (ids as text, the card's
 * address decoded), submissions, cancels and /decode findings; and the job system's events, narrowed to the jobs that
 * have a card. Events of other platforms' jobs and of contest entries (no card: they stay hidden until the ballot
 * shows them) are left out.
 */
final class DiscordViews {
    private final JobService jobs;
    private final Supplier<Showcase> timelapses;
    /** What the mapping needs of a job, read once per job instead of once per step. */
    private final Cache<Long, JobFacts> facts = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    /** The mapping's view of one job; {@code card} false for jobs without a Discord card. */
    private record JobFacts(boolean card, int iterations) {
    }

    /** @param timelapses where the workers keep timelapses, read at each finish; it may supply null (none kept) */
    DiscordViews(JobService jobs, Supplier<Showcase> timelapses) {
        this.jobs = jobs;
        this.timelapses = timelapses;
    }

    /**
     * The event as the card takes it, or empty for a job without a Discord card: a start becomes step 0 of the
     * job's iterations (the card turns "running" before the first step: loading the models can take a while), and a
     * step whose total the worker left out gets the recipe's.
     */
    Optional<JobEvent> toCard(JobEvent event) {
        JobFacts job = facts.get(event.jobId(), this::read);
        if (job == null || !job.card()) {
            return Optional.empty();
        }
        if (event instanceof JobEvent.Started) {
            return Optional.of(new JobEvent.Progress(event.jobId(), 0, job.iterations(), Double.NaN, null));
        } else if (event instanceof JobEvent.Progress p && p.total() < 1) {
            return Optional.of(new JobEvent.Progress(p.jobId(), p.iteration(), job.iterations(), p.loss(), p.previewPng()));
        }
        return Optional.of(event);
    }

    /** @param entry the job's line in the queue view, or null when it is not queued or running */
    static JobSummary summary(Job job, QueueEntry entry) {
        Recipe r = job.recipe();
        String prompt = job.promptText() == null ? PromptFormat.format(r.prompts()) : job.promptText();
        int total = Math.max(1, job.progressTotal() > 0 ? job.progressTotal() : r.iterations());
        int step = Math.min(Math.max(0, job.progressIter()), total);
        return new JobSummary(Long.toString(job.id()), job.user().userId(), prompt, job.state(),
                entry == null ? 0 : entry.position(), entry == null ? null : entry.eta(),
                entry == null ? null : entry.waiting(), r.seed(), r,
                job.parentId() == null ? null : Long.toString(job.parentId()), job.createdAt(),
                ReplyAddress.fromReplyTo(job.replyTo()).orElse(null), job.failure(), step, total);
    }

    /** A Discord job whose card message was posted (a job whose card never was has nothing to take over). */
    static boolean hasCard(Job job) {
        return Requester.PLATFORM.equals(job.user().platform())
                && ReplyAddress.fromReplyTo(job.replyTo()).map(a -> a.cardMessageId() != null).orElse(false);
    }

    static Usage usage(UserUsage u, Limits l) {
        return new Usage(u.running(), l.maxRunning(), u.queued(), l.maxQueued(), u.gpuUsed().toMillis() / 1000.0,
                l.gpuQuota().toMillis() / 1000.0, l.quotaWindow(), u.refillAt(), u.banned());
    }

    /** The job system's idempotency key of a Discord request; a long click id is hashed to fit the key's column. */
    static String idemKey(String requestId) {
        if (requestId == null) {
            return null;
        }
        String key = Requester.PLATFORM + ":" + requestId;
        if (key.length() <= JobRequest.MAX_IDEM_KEY_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return Requester.PLATFORM + ":sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static Submission submission(SubmitResult result) {
        if (result instanceof SubmitResult.Refused r) {
            return new Submission.Refused(r.reason());
        }
        SubmitResult.Accepted a = (SubmitResult.Accepted) result;
        return new Submission.Accepted(Long.toString(a.job().id()), a.position(), a.eta());
    }

    /** @param jobs looks up the job an image names when the image carries no recipe of its own */
    static DecodedProvenance provenance(ProvenanceReport report, Function<Long, Optional<Job>> jobs) {
        long jobId = report.jobId().filter(id -> id > 0).orElse(0L);
        Optional<Job> stored = jobId > 0 && report.recipe().isEmpty() ? jobs.apply(jobId) : Optional.empty();
        boolean entry = stored.map(j -> ContestService.isEntryReply(j.replyTo())).orElse(false);
        return new DecodedProvenance(report.layers(), jobId, report.watermark() != null,
                report.recipe().map(ProvenancePayload::parametersLine).orElse(null),
                entry ? null : stored.map(Job::recipe).orElse(null), entry, report.texts());
    }

    private JobFacts read(long jobId) {
        return jobs.job(jobId).map(j -> new JobFacts(Requester.PLATFORM.equals(j.user().platform())
                        && !ContestService.isEntryReply(j.replyTo()),
                Math.max(1, j.recipe().iterations()))).orElse(null);
    }
}
