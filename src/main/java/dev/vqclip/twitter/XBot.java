package dev.vqclip.twitter;

import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.MentionLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X adapter: reads mentions every poll ({@link MentionIntake}), queues a job per prompt as requester
 * {@code x:<user id>}, and replies once a job ends ({@link ReplyDesk}), on one daemon thread. A 401 (or a 403 on
 * authentication) stops it with one log line; everything else is retried on the next round.
 */
public final class XBot implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(XBot.class);
    public static final String PLATFORM = XBudget.PLATFORM;
    static final String SINCE_ID = MentionIntake.SINCE_ID;
    static final Duration TICK = Duration.ofMillis(500);
    /** Without a job event (a missed one), waiting mentions are checked this often. */
    static final Duration JOB_SCAN = Duration.ofSeconds(5);

    private final XApi api;
    private final XConfig config;
    private final Clock clock;
    private final MentionIntake intake;
    private final ReplyDesk replies;
    private final AutoCloseable subscription;
    private final Object wake = new Object();
    private volatile boolean closed;
    private volatile boolean stopped;
    private volatile boolean jobEnded;
    private boolean woken;
    private XUser me;
    private Instant nextPoll = Instant.MIN;
    private Instant nextJobScan = Instant.MIN;
    private Thread thread;

    XBot(XApi api, MentionLog mentions, JobService jobs, JobEvents events, PromptRecipes recipes, XConfig config,
         Clock clock) {
        this.api = api;
        this.config = config;
        this.clock = clock;
        XBudget budget = new XBudget(mentions, jobs.settings(), clock, config.monthlyReads(), config.monthlyPosts());
        this.intake = new MentionIntake(api, mentions, jobs, recipes, config, budget, clock);
        this.replies = new ReplyDesk(api, mentions, jobs, config, budget, clock);
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
                pause(untilPoll.isNegative() ? Duration.ZERO : untilPoll.compareTo(TICK) < 0 ? untilPoll : TICK);
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
        replies.signedInAs(me);
    }

    /** One pass: read mentions when due, queue the new ones, reply to what is ready. */
    void round() {
        if (!clock.instant().isBefore(nextPoll)) {
            nextPoll = clock.instant().plus(config.poll());
            intake.poll(me);
        }
        intake.handleNew(me);
        replies.resumeInterrupted();
        boolean ended = jobEnded;
        jobEnded = false;
        if (ended || !clock.instant().isBefore(nextJobScan)) {
            nextJobScan = clock.instant().plus(JOB_SCAN);
            replies.replyToEndedJobs();
        }
        replies.answerRefusals();
    }

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
