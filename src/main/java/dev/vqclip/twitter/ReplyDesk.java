package dev.vqclip.twitter;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionLog;
import dev.vqclip.job.MentionState;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts the replies: the image of an ended job, a failure's reason, or a refusal (one per user per hour). Each
 * attempt is recorded before it is posted; a mention found mid-attempt (a crash, a failed post) is first looked up
 * among the bot's recent posts, so it gets at most one reply.
 */
final class ReplyDesk {
    private static final Logger log = LoggerFactory.getLogger(ReplyDesk.class);
    static final String PLATFORM = XBudget.PLATFORM;
    static final Duration REFUSAL_SPACING = Duration.ofHours(1);
    /** A reply that failed this often for passing reasons is given up (and logged). */
    static final int MAX_REPLY_ATTEMPTS = 5;
    private static final int BATCH = 50;
    /** Mentions waiting for their job that are checked per scan. */
    private static final int MAX_OPEN = 2000;

    private final XApi api;
    private final MentionLog mentions;
    private final JobService jobs;
    private final XConfig config;
    private final XBudget budget;
    private final Clock clock;
    private final Map<String, Instant> retryAfter = new HashMap<>();
    private XUser me;

    ReplyDesk(XApi api, MentionLog mentions, JobService jobs, XConfig config, XBudget budget, Clock clock) {
        this.api = api;
        this.mentions = mentions;
        this.jobs = jobs;
        this.config = config;
        this.budget = budget;
        this.clock = clock;
    }

    void signedInAs(XUser account) {
        this.me = account;
    }

    /** Mentions left mid-attempt: post again unless the reply is found among the bot's recent posts. */
    void resumeInterrupted() {
        for (Mention m : mentions.inState(PLATFORM, MentionState.REPLYING, BATCH)) {
            resume(m);
        }
    }

    /** Replies to the mentions whose job ended (in any order: the fair queue does not finish them oldest first). */
    void replyToEndedJobs() {
        for (Mention m : mentions.inState(PLATFORM, MentionState.QUEUED, MAX_OPEN)) {
            Optional<Job> job = jobs.job(m.jobId());
            if (job.isEmpty()) {
                mentions.update(m.failed("job " + m.jobId() + " no longer exists"), MentionState.QUEUED);
            } else if (job.get().state().isFinal()) {
                attempt(m);
            }
        }
    }

    /** Tells refused users why, at most once per user per hour. */
    void answerRefusals() {
        for (Mention m : mentions.inState(PLATFORM, MentionState.REFUSED, BATCH)) {
            Optional<Instant> last = mentions.lastRefusalReply(PLATFORM, m.authorId());
            if (last.isPresent() && last.get().isAfter(clock.instant().minus(REFUSAL_SPACING))) {
                mentions.update(m.skipped("refused (" + m.refusal() + "); not told: one refusal reply per user per hour"),
                        MentionState.REFUSED);
            } else {
                attempt(m);
            }
        }
    }

    /** Records the attempt, then posts. */
    private void attempt(Mention m) {
        if (!budget.available(XBudget.POSTS, "replies")) {
            return;
        }
        Mention attempt = m.replying();
        if (mentions.update(attempt, m.state())) {
            post(attempt);
        }
    }

    /** A mention left REPLYING (a crash or a failed post): find the reply if it was made, else post again. */
    private void resume(Mention m) {
        Instant after = retryAfter.get(m.postId());
        if (after != null && clock.instant().isBefore(after)) {
            return;
        }
        List<XPost> recent = api.recentPosts(me.id());
        budget.spend(XBudget.READS, recent.size());
        Optional<XPost> made = recent.stream().filter(p -> m.postId().equals(p.repliedTo())).findFirst();
        if (made.isPresent()) {
            log.info("X: the reply to {} was already posted as {}; not posting again", m.postId(), made.get().id());
            replied(m, made.get().id());
        } else if (m.attempts() >= MAX_REPLY_ATTEMPTS) {
            mentions.update(m.failed("no reply after " + m.attempts() + " attempts"), MentionState.REPLYING);
            log.warn("X: gave up replying to {} after {} attempts", m.postId(), m.attempts());
        } else if (budget.available(XBudget.POSTS, "replies")) {
            Mention again = m.replying();
            if (mentions.update(again, MentionState.REPLYING)) {
                post(again);
            }
        }
    }

    private void post(Mention m) {
        try {
            String replyId;
            if (m.jobId() == null) {
                replyId = api.reply(MentionText.refusal(m.authorName(), m.refusal()), m.postId(), null);
            } else {
                Job job = jobs.job(m.jobId()).orElseThrow();
                Recipe r = job.recipe();
                String typed = MentionText.prompt(m.text(), me.username());
                String prompt = typed.isEmpty() ? PromptFormat.format(r.prompts()) : typed;
                Optional<byte[]> png = job.state() == JobState.DONE ? jobs.result(job.id()) : Optional.empty();
                if (png.isPresent()) {
                    String media = api.uploadImage(png.get(), "image/png");
                    try {
                        api.altText(media, MentionText.altText(prompt, r.seed(), job.id()));
                    } catch (XApiException e) {
                        if (e.kind() != XApiException.Kind.REJECTED) {
                            throw e;
                        }
                        log.warn("X: alt text refused for job {} (the post text still names the job): {}", job.id(),
                                e.getMessage());
                    }
                    replyId = api.reply(MentionText.reply(prompt, r.seed(), job.id()), m.postId(), media);
                } else {
                    replyId = api.reply(MentionText.failed(job.failure(), job.id()), m.postId(), null);
                }
            }
            budget.spend(XBudget.POSTS, 1);
            replied(m, replyId);
            log.info("X: replied to {} as {}", m.postId(), replyId);
        } catch (XApiException e) {
            if (e.kind() == XApiException.Kind.REJECTED) {
                mentions.update(m.failed(e.getMessage()), MentionState.REPLYING);
                log.warn("X: the reply to {} was refused for good, not retrying: {}", m.postId(), e.getMessage());
                return;
            }
            retryAfter.put(m.postId(), clock.instant().plus(config.poll()));
            throw e;
        }
    }

    private void replied(Mention m, String replyId) {
        mentions.update(m.replied(replyId, clock.instant()), MentionState.REPLYING);
        retryAfter.remove(m.postId());
        if (m.jobId() != null) {
            jobs.markDelivered(m.jobId(), PLATFORM + ":" + replyId);
        }
    }
}
