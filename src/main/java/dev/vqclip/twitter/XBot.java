package dev.vqclip.twitter;

import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionLog;
import dev.vqclip.job.MentionState;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers mentions on X: reads them every poll (each stored before anything answers it, {@code since_id} stored
 * after), queues a job per prompt as requester {@code x:<user id>}, and replies with the stamped image once the job
 * ends. Each reply attempt is recorded before it is posted, so after a crash the bot looks its own recent replies up
 * before posting again: at most one reply per mention.
 */
public final class XBot implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(XBot.class);
    public static final String PLATFORM = XBudget.PLATFORM;
    static final String SINCE_ID = "x.since_id";
    static final Duration REFUSAL_SPACING = Duration.ofHours(1);
    static final Duration TICK = Duration.ofMillis(500);
    /** A reply that failed this often for passing reasons is given up (and logged). */
    static final int MAX_REPLY_ATTEMPTS = 5;
    private static final int BATCH = 50;
    /** Mentions waiting for their job that are checked per scan. */
    private static final int MAX_OPEN = 2000;
    /** Without a job event (a missed one), waiting mentions are checked this often. */
    static final Duration JOB_SCAN = Duration.ofSeconds(5);

    private final XApi api;
    private final MentionLog mentions;
    private final JobService jobs;
    private final PromptRecipes recipes;
    private final XConfig config;
    private final Clock clock;
    private final XBudget budget;
    private final AutoCloseable subscription;
    private final Object wake = new Object();
    private final Map<String, Instant> retryAfter = new HashMap<>();
    private final Map<String, String> pausedNotices = new HashMap<>();
    private volatile boolean closed;
    private volatile boolean stopped;
    private volatile boolean jobEnded;
    private Instant nextJobScan = Instant.MIN;
    private boolean woken;
    private XUser me;
    private Instant nextPoll = Instant.MIN;
    private Thread thread;

    XBot(XApi api, MentionLog mentions, JobService jobs, JobEvents events, PromptRecipes recipes, XConfig config,
         Clock clock) {
        this.api = api;
        this.mentions = mentions;
        this.jobs = jobs;
        this.recipes = recipes;
        this.config = config;
        this.clock = clock;
        this.budget = new XBudget(mentions, jobs.store(), clock, config.monthlyReads(), config.monthlyPosts());
        this.subscription = events.subscribe(e -> {
            if (e.isFinal()) {
                jobEnded = true;
                wake();
            }
        });
    }

    /** Starts the adapter on its own daemon thread; close it to stop. */
    public static XBot start(XConfig config, MentionLog mentions, JobService jobs, JobEvents events, PromptRecipes recipes,
                             Clock clock) {
        XApi api = new XApi(config.apiBase(), config.uploadBase(), new OAuth1(config.credentials(), clock), clock,
                XApi.Retry.standard(), d -> Thread.sleep(d.toMillis()));
        XBot bot = new XBot(api, mentions, jobs, events, recipes, config, clock);
        bot.thread = new Thread(bot, "vqclip-x");
        bot.thread.setDaemon(true);
        bot.thread.start();
        return bot;
    }

    /** True once the adapter gave up for good (credentials refused). */
    public boolean stopped() {
        return stopped;
    }

    @Override
    public void run() {
        try {
            while (!closed && me == null) {
                try {
                    identify();
                } catch (XApiException e) {
                    if (e.kind() == XApiException.Kind.AUTH) {
                        throw e;
                    }
                    log.warn("X: cannot read the bot's own account yet: {}", e.getMessage());
                    pause(config.poll());
                }
            }
            if (me == null) {
                return;
            }
            log.info("X: answering mentions of @{} (user {}), polling every {} s", me.username(), me.id(),
                    config.poll().toMillis() / 1000.0);
            while (!closed) {
                try {
                    round();
                } catch (XApiException e) {
                    if (e.kind() == XApiException.Kind.AUTH) {
                        throw e;
                    }
                    log.warn("X: {}", e.getMessage());
                } catch (RuntimeException e) {
                    log.warn("X: a round failed, trying again: {}", e.toString());
                }
                Duration untilPoll = Duration.between(clock.instant(), nextPoll);
                pause(untilPoll.compareTo(TICK) < 0 ? (untilPoll.isNegative() ? Duration.ZERO : untilPoll) : TICK);
            }
        } catch (XApiException e) {
            stopped = true;
            log.error("X adapter STOPPED: X refused the credentials ({}). Check X_API_KEY/X_API_SECRET/X_ACCESS_TOKEN/"
                    + "X_ACCESS_SECRET and the app's access level; Discord and the workers go on.", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads the bot's own account (its id and handle). */
    void identify() {
        me = api.me();
    }

    /** One pass: read mentions when due, queue the new ones, reply to what is ready. */
    void round() {
        if (!clock.instant().isBefore(nextPoll)) {
            nextPoll = clock.instant().plus(config.poll());
            poll();
        }
        handleNew();
        for (Mention m : mentions.inState(PLATFORM, MentionState.REPLYING, BATCH)) {
            resume(m);
        }
        boolean jobsEnded = jobEnded;
        jobEnded = false;
        if (jobsEnded || !clock.instant().isBefore(nextJobScan)) {
            nextJobScan = clock.instant().plus(JOB_SCAN);
            replyToEndedJobs();
        }
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

    /** Replies to the mentions whose job ended (in any order: the fair queue does not finish them oldest first). */
    private void replyToEndedJobs() {
        for (Mention m : mentions.inState(PLATFORM, MentionState.QUEUED, MAX_OPEN)) {
            Optional<Job> job = jobs.job(m.jobId());
            if (job.isEmpty()) {
                mentions.update(m.failed("job " + m.jobId() + " no longer exists"), MentionState.QUEUED);
            } else if (job.get().state().isFinal()) {
                attempt(m);
            }
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------

    private void poll() {
        long left = budget.left(XBudget.READS);
        if (left <= 0) {
            paused(XBudget.READS, "mention polling");
            return;
        }
        String since = jobs.store().setting(SINCE_ID).orElse(null);
        Instant backlogStart = clock.instant().minus(config.backlog());
        String newest = null;
        String token = null;
        int added = 0;
        do {
            MentionPage page = api.mentions(me.id(), since, since == null ? backlogStart : null, token, (int) Math.min(100, left));
            budget.spend(XBudget.READS, page.resultCount());
            left -= page.resultCount();
            List<Mention> batch = new ArrayList<>();
            for (XPost p : page.posts()) {
                Instant at = p.createdAt() == null ? clock.instant() : p.createdAt();
                Mention m = Mention.fresh(PLATFORM, p.id(), p.authorId() == null ? "unknown" : p.authorId(),
                        p.authorUsername() == null ? null : "@" + p.authorUsername(), p.conversationId(), p.text(), at);
                if (p.retweet()) {
                    m = m.skipped("a repost");
                } else if (since == null && at.isBefore(backlogStart)) {
                    m = m.skipped("older than --x-backlog on the first start");
                }
                batch.add(m);
            }
            added += mentions.record(batch);
            if (newest == null) {
                newest = page.newestId();
            }
            token = page.nextToken();
            if (token != null && left <= 0) {
                // older pages stay unread: keep since_id where it was, the next month reads them (stored ones dedupe)
                paused(XBudget.READS, "mention polling");
                return;
            }
        } while (token != null);
        if (newest != null && (since == null || new BigInteger(newest).compareTo(new BigInteger(since)) > 0)) {
            jobs.store().putSetting(SINCE_ID, newest);
        }
        if (added > 0) {
            log.info("X: {} new mention(s)", added);
        }
    }

    private void handleNew() {
        for (Mention m : mentions.inState(PLATFORM, MentionState.NEW, BATCH)) {
            String prompt = MentionText.prompt(m.text(), me.username());
            Optional<String> skip = skipReason(m, prompt);
            if (skip.isPresent()) {
                mentions.update(m.skipped(skip.get()), MentionState.NEW);
                continue;
            }
            Recipe recipe;
            try {
                recipe = recipes.recipe(prompt);
            } catch (IllegalArgumentException e) {
                mentions.update(m.refused(e.getMessage()), MentionState.NEW);
                continue;
            }
            UserRef user = new UserRef(PLATFORM, m.authorId(), m.authorName());
            SubmitResult result = jobs.submit(new JobRequest(user, recipe, PLATFORM + ":" + m.postId(), Lane.NORMAL, null,
                    PLATFORM + ":" + m.postId()));
            if (result instanceof SubmitResult.Accepted a) {
                mentions.update(m.queued(a.job().id()), MentionState.NEW);
                log.info("X: mention {} from {} queued as job {} at position {}", m.postId(), m.authorName(), a.job().id(),
                        a.position());
            } else {
                mentions.update(m.refused(((SubmitResult.Refused) result).reason()), MentionState.NEW);
            }
        }
    }

    private Optional<String> skipReason(Mention m, String prompt) {
        if (m.authorId().equals(me.id())) {
            return Optional.of("the bot's own post");
        }
        if (prompt.isEmpty()) {
            return Optional.of("no prompt after the handles");
        }
        if (mentions.repliedInConversation(PLATFORM, m.conversationId()) && !MentionText.mentionsInBody(m.text(), me.username())) {
            return Optional.of("a reply in a thread the bot already answered, without a new prompt");
        }
        return Optional.empty();
    }

    // ---- replying ------------------------------------------------------------------------------------------

    /** Records the attempt, then posts. */
    private void attempt(Mention m) {
        if (budget.left(XBudget.POSTS) <= 0) {
            paused(XBudget.POSTS, "replies");
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
        } else if (budget.left(XBudget.POSTS) > 0) {
            Mention again = m.replying();
            if (mentions.update(again, MentionState.REPLYING)) {
                post(again);
            }
        } else {
            paused(XBudget.POSTS, "replies");
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
            jobs.store().markDelivered(m.jobId(), PLATFORM + ":" + replyId);
        }
    }

    private void paused(String kind, String what) {
        String month = budget.month();
        if (!month.equals(pausedNotices.get(kind))) {
            pausedNotices.put(kind, month);
            log.warn("X: the monthly {} budget is spent ({} in {}); {} PAUSED until {}", kind, budget.limit(kind), month, what,
                    budget.nextMonth());
        }
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    private void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void pause(Duration d) throws InterruptedException {
        synchronized (wake) {
            long deadline = System.nanoTime() + d.toNanos();
            while (!woken && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wake.wait(Math.max(1, left / 1_000_000));
            }
            woken = false;
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        try {
            subscription.close();
        } catch (Exception e) {
            log.debug("X: unsubscribing failed", e);
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
