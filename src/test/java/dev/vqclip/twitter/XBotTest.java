package dev.vqclip.twitter;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Mention;
import dev.vqclip.job.MentionState;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcMentionLog;
import dev.vqclip.twitter.fake.FakeX;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The X adapter against the loopback fake X (which recomputes every OAuth signature) over a real H2 job store; jobs
 * are finished through the store as a worker would. Each test drives the adapter one round at a time.
 */
class XBotTest {
    private final Clock clock = Clock.systemUTC();
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final JobEvents events = new JobEvents();
    private FakeX x;
    private Database db;
    private JdbcJobStore store;
    private JdbcMentionLog log;
    private JobService jobs;
    private XApi api;

    @BeforeEach
    void start() throws IOException {
        x = new FakeX();
        db = Database.open("jdbc:h2:mem:xbot" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        store = new JdbcJobStore(db, clock);
        log = new JdbcMentionLog(db, clock);
        jobs = new JobService(store, Limits.defaults(), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults().withBlockedWords(List.of("forbidden"))), events, clock);
        XCredentials creds = new XCredentials(FakeX.API_KEY, FakeX.API_SECRET, FakeX.ACCESS_TOKEN, FakeX.ACCESS_SECRET);
        api = new XApi(x.base(), x.base(), new OAuth1(creds, clock), clock, new XApi.Retry(3, Duration.ofMillis(10),
                Duration.ofSeconds(5)), waits::add);
    }

    @AfterEach
    void stop() {
        x.close();
        store.close();
        db.close();
    }

    private XBot bot(long reads, long posts) {
        XConfig config = new XConfig(new XCredentials(FakeX.API_KEY, FakeX.API_SECRET, FakeX.ACCESS_TOKEN, FakeX.ACCESS_SECRET),
                x.base(), x.base(), Duration.ofMillis(100), Duration.ofHours(1), reads, posts);
        XBot bot = new XBot(api, log, jobs, events, p -> TinyModels.recipe(p, 3, 0, 42), config, clock);
        bot.identify();
        return bot;
    }

    /** Finishes every queued job as a worker would, with a real PNG, and says so on the event bus. */
    private void finishQueuedJobs() throws IOException {
        Optional<Lease> lease;
        while ((lease = store.queue().claimNext("w", Duration.ofMinutes(1), 100)).isPresent()) {
            byte[] png = png();
            store.leases().complete(lease.get(), png, 3, 0.5, 10);
            events.publish(new JobEvent.Finished(lease.get().jobId(), png, 42, 3, 0.5));
        }
    }

    private static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 3, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private Mention stored(String postId) {
        return log.find(XBot.PLATFORM, postId).orElseThrow();
    }

    private void rounds(XBot bot, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            bot.round();
            Thread.sleep(110); // past the poll interval
        }
    }

    @Test
    void twoMentionsFromTwoUsersGetOneImageReplyEachWithAltTextSeedAndJobId() throws Exception {
        String a = x.mention("11", "alice", "@vqclipbot a lighthouse at dusk", Instant.now());
        String b = x.mention("22", "bob", "@vqclipbot @friend a red fox | snow:0.5", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        assertThat(stored(a).state()).isEqualTo(MentionState.QUEUED);
        assertThat(jobs.job(stored(b).jobId()).orElseThrow().user().key()).isEqualTo("x:22");
        finishQueuedJobs();
        rounds(bot, 2);
        assertThat(x.replies()).hasSize(2);
        for (String id : List.of(a, b)) {
            Mention m = stored(id);
            assertThat(m.state()).isEqualTo(MentionState.REPLIED);
            FakeX.Post reply = x.replies().stream().filter(r -> r.repliedTo().equals(id)).findFirst().orElseThrow();
            assertThat(reply.id()).isEqualTo(m.replyId());
            assertThat(reply.text()).endsWith("· seed 42 · #" + m.jobId());
            assertThat(reply.mediaIds()).hasSize(1);
            assertThat(x.media(reply.mediaIds().get(0))).isEqualTo(jobs.result(m.jobId()).orElseThrow());
            assertThat(x.altTexts().get(reply.mediaIds().get(0))).contains("job #" + m.jobId());
            assertThat(jobs.job(m.jobId()).orElseThrow().deliveredAt()).isNotNull();
        }
        assertThat(x.replies().stream().filter(r -> r.repliedTo().equals(a)).findFirst().orElseThrow().text())
                .startsWith("“a lighthouse at dusk”");
        assertThat(store.settings().setting(XBot.SINCE_ID)).contains(b);
        assertThat(x.badSignatures()).isEmpty();
        assertThat(x.signedRequests()).isGreaterThan(8);
    }

    @Test
    void everyPageIsReadAndSinceIdIsStoredAfterTheMentions() throws Exception {
        String newest = null;
        for (int i = 0; i < 120; i++) {
            newest = x.mention("u" + i, "user" + i, "@vqclipbot", Instant.now()); // empty prompts: skipped, not queued
        }
        XBot bot = bot(1000, 1000);
        bot.round();
        assertThat(x.requests().stream().filter(r -> r.contains("/mentions")).toList()).hasSize(2)
                .last().asString().contains("pagination_token=p100");
        assertThat(log.inState(XBot.PLATFORM, MentionState.SKIPPED, 500).size()
                + log.inState(XBot.PLATFORM, MentionState.NEW, 500).size()).isEqualTo(120);
        assertThat(store.settings().setting(XBot.SINCE_ID)).contains(newest);
        rounds(bot, 1);
        assertThat(x.requests().stream().filter(r -> r.contains("/mentions")).reduce((p, q) -> q).orElseThrow())
                .contains("since_id=" + newest);
    }

    @Test
    void onTheFirstStartOnlyTheBacklogWindowIsRead() throws Exception {
        String old = x.mention("11", "alice", "@vqclipbot an old castle", Instant.now().minus(Duration.ofHours(3)));
        String young = x.mention("11", "alice", "@vqclipbot a young castle", Instant.now().minus(Duration.ofMinutes(10)));
        bot(1000, 1000).round();
        assertThat(x.requests().stream().filter(r -> r.contains("/mentions")).findFirst().orElseThrow()).contains("start_time=");
        assertThat(log.find(XBot.PLATFORM, old)).isEmpty();
        assertThat(stored(young).state()).isEqualTo(MentionState.QUEUED);
    }

    @Test
    void ownPostsEmptyPromptsAndThreadRepliesWithoutANewPromptAreIgnored() throws Exception {
        String own = x.mention(FakeX.BOT_ID, FakeX.BOT_HANDLE, "@vqclipbot a self portrait", Instant.now());
        String empty = x.mention("11", "alice", "@vqclipbot  @friend ", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        assertThat(stored(own).state()).isEqualTo(MentionState.SKIPPED);
        assertThat(stored(own).note()).isEqualTo("the bot's own post");
        assertThat(stored(empty).note()).isEqualTo("no prompt after the handles");
    }

    @Test
    void repostsAndThreadRepliesWithoutANewPromptAreIgnoredButANewPromptInTheThreadIsDrawn() throws Exception {
        String first = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        finishQueuedJobs();
        rounds(bot, 1);
        assertThat(stored(first).state()).isEqualTo(MentionState.REPLIED);
        String thanks = x.mentionIn(first, "11", "alice", "@vqclipbot thank you!", Instant.now(), false);
        String again = x.mentionIn(first, "11", "alice", "@vqclipbot now @vqclipbot a castle", Instant.now(), false);
        String repost = x.mentionIn(first, "33", "carol", "RT @alice: @vqclipbot a lighthouse", Instant.now(), true);
        rounds(bot, 1);
        assertThat(stored(thanks).state()).isEqualTo(MentionState.SKIPPED);
        assertThat(stored(thanks).note()).contains("thread the bot already answered");
        assertThat(stored(repost).note()).isEqualTo("a repost");
        assertThat(stored(again).state()).isEqualTo(MentionState.QUEUED);
        assertThat(jobs.job(stored(again).jobId()).orElseThrow().promptText()).contains("now a castle");
    }

    @Test
    void refusalsGetOneShortReplyPerUserPerHour() throws Exception {
        String first = x.mention("11", "alice", "@vqclipbot a forbidden tower", Instant.now());
        String second = x.mention("11", "alice", "@vqclipbot another forbidden tower", Instant.now());
        XBot bot = bot(1000, 1000);
        rounds(bot, 2);
        assertThat(x.replies()).hasSize(1);
        assertThat(x.replies().get(0).text()).startsWith("@alice sorry, I can't draw that: this prompt is not allowed here");
        assertThat(x.replies().get(0).mediaIds()).isEmpty();
        assertThat(stored(first).state()).isEqualTo(MentionState.REPLIED);
        assertThat(stored(second).state()).isEqualTo(MentionState.SKIPPED);
        assertThat(stored(second).note()).contains("one refusal reply per user per hour");
    }

    @Test
    void twoUsersRefusedForTheSameReasonBothGetTheirReply() throws Exception {
        x.mention("11", "alice", "@vqclipbot a forbidden tower", Instant.now());
        x.mention("22", "bob", "@vqclipbot a forbidden tower", Instant.now());
        rounds(bot(1000, 1000), 2);
        assertThat(x.replies()).hasSize(2);
        assertThat(log.inState(XBot.PLATFORM, MentionState.REPLIED, 10)).hasSize(2);
    }

    @Test
    void aRateLimitWaitsForTheResetTimeThenReads() throws Exception {
        x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        long reset = Instant.now().plusSeconds(2).getEpochSecond();
        x.fault(new FakeX.Fault("GET", "/2/users/" + FakeX.BOT_ID + "/mentions", 429,
                FakeX.problemBody("Too Many Requests", "Too Many Requests", 429), reset));
        bot(1000, 1000).round();
        assertThat(waits).hasSize(1);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(4));
        assertThat(log.inState(XBot.PLATFORM, MentionState.QUEUED, 10)).hasSize(1);
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffAndTheReplyIsPostedOnce() throws Exception {
        String a = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        finishQueuedJobs();
        for (int i = 0; i < 2; i++) {
            x.fault(new FakeX.Fault("POST", "/2/tweets", 503, FakeX.problemBody("Service Unavailable", "over capacity", 503), 0));
        }
        rounds(bot, 1);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(20)).isGreaterThan(waits.get(0).minusMillis(1));
        assertThat(x.replies()).hasSize(1);
        assertThat(stored(a).state()).isEqualTo(MentionState.REPLIED);
    }

    @Test
    void aDuplicateRefusalIsRecordedAndNotRetried() throws Exception {
        String a = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        finishQueuedJobs();
        x.fault(new FakeX.Fault("POST", "/2/tweets", 403,
                FakeX.problemBody("Forbidden", "You are not allowed to create a Tweet with duplicate content.", 403), 0));
        rounds(bot, 3);
        assertThat(stored(a).state()).isEqualTo(MentionState.FAILED);
        assertThat(stored(a).note()).contains("duplicate content");
        assertThat(x.requests().stream().filter(r -> r.startsWith("POST /2/tweets")).count()).isEqualTo(1);
    }

    @Test
    void aDeletedMentionIsRecordedAndNotRetried() throws Exception {
        String a = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        finishQueuedJobs();
        x.fault(new FakeX.Fault("POST", "/2/tweets", 403, FakeX.problemBody("Forbidden",
                "You attempted to reply to a Tweet that is deleted or not visible to you.", 403), 0));
        rounds(bot, 3);
        assertThat(stored(a).state()).isEqualTo(MentionState.FAILED);
        assertThat(stored(a).note()).contains("deleted");
        assertThat(x.requests().stream().filter(r -> r.startsWith("POST /2/tweets")).count()).isEqualTo(1);
    }

    @Test
    void unauthorizedStopsTheAdapterWithoutRetrying() throws Exception {
        x.fault(new FakeX.Fault("GET", "/2/users/me", 401, FakeX.problemBody("Unauthorized", "Unauthorized", 401), 0));
        XConfig config = new XConfig(new XCredentials(FakeX.API_KEY, FakeX.API_SECRET, FakeX.ACCESS_TOKEN, FakeX.ACCESS_SECRET),
                x.base(), x.base(), Duration.ofMillis(100), Duration.ofHours(1), 10, 10);
        XBot bot = new XBot(api, log, jobs, events, p -> TinyModels.recipe(p, 3, 0, 42), config, clock);
        Thread t = new Thread(bot);
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(bot.stopped()).isTrue();
        assertThat(x.requests()).hasSize(1);
    }

    @Test
    void aForbiddenReadStopsTheAdapterToo() throws Exception {
        x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        x.fault(new FakeX.Fault("GET", "/2/users/" + FakeX.BOT_ID + "/mentions", 403, FakeX.problemBody("Forbidden",
                "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a "
                        + "Twitter developer App that is attached to a Project.", 403), 0));
        XBot bot = bot(1000, 1000);
        try {
            bot.round();
        } catch (XApiException e) {
            assertThat(e.kind()).isEqualTo(XApiException.Kind.AUTH);
            return;
        }
        throw new AssertionError("a 403 on reading mentions must stop the adapter");
    }

    @Test
    void aReplyPostedJustBeforeACrashIsFoundAndNotPostedAgain() throws Exception {
        String a = x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        XBot bot = bot(1000, 1000);
        bot.round();
        finishQueuedJobs();
        Mention queued = stored(a);
        // the crash: the attempt was recorded and the reply posted, but its id never reached the database
        assertThat(log.update(queued.replying(), MentionState.QUEUED)).isTrue();
        String posted = api.reply("“a lighthouse” · seed 42 · #" + queued.jobId(), a, null);
        XBot restarted = bot(1000, 1000);
        rounds(restarted, 2);
        assertThat(x.replies()).hasSize(1);
        assertThat(stored(a).state()).isEqualTo(MentionState.REPLIED);
        assertThat(stored(a).replyId()).isEqualTo(posted);
    }

    @Test
    void aSpentReadBudgetPausesPollingUntilTheMonthTurns() throws Exception {
        for (int i = 0; i < 5; i++) {
            x.mention("u" + i, "user" + i, "@vqclipbot", Instant.now());
        }
        XBot bot = bot(5, 1000);
        rounds(bot, 3);
        assertThat(x.requests().stream().filter(r -> r.contains("/mentions")).count()).isEqualTo(1);
        assertThat(XBudget.status(store.settings(), log, clock)).get().asString().contains("5 of 5 post reads")
                .contains("mention polling PAUSED until");
    }

    @Test
    void aSpentPostBudgetHoldsRepliesBack() throws Exception {
        x.mention("11", "alice", "@vqclipbot a lighthouse", Instant.now());
        x.mention("22", "bob", "@vqclipbot a fox", Instant.now());
        XBot bot = bot(1000, 1);
        bot.round();
        finishQueuedJobs();
        rounds(bot, 3);
        assertThat(x.replies()).hasSize(1);
        assertThat(log.inState(XBot.PLATFORM, MentionState.QUEUED, 10)).hasSize(1);
        assertThat(XBudget.status(store.settings(), log, clock)).get().asString().contains("replies PAUSED");
    }
}
