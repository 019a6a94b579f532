package dev.vqclip.app;

import dev.vqclip.testing.TinyModels;
import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.discord.BotToken;
import dev.vqclip.discord.CardButton;
import dev.vqclip.discord.DiscordBot;
import dev.vqclip.discord.DiscordConfig;
import dev.vqclip.discord.DiscordEndpoints;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Limits;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bot path for real: JDA 6.5 against the loopback fake Discord, the Discord backend over the persistent
 * scheduler on H2, and a worker thread rendering with the real engine on the tiny fixture models.
 */
class DiscordEndToEndTest {
    /** Generous: the first render loads the models, and the machine is shared. */
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern JOB_ON_CARD = Pattern.compile("`job (\\d+)`");

    @TempDir
    static Path dir;
    private static FakeDiscord fake;
    private static Database db;
    private static JdbcJobStore store;
    private static EngineRenderer renderer;
    private static Worker worker;
    private static Thread workerThread;
    private static ObservedBackend backend;
    private static DiscordBot bot;
    private static final Queue<Throwable> gateFailures = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeDiscord();
        db = Database.open(Database.h2FileUrl(dir.resolve("db")));
        store = new JdbcJobStore(db, Clock.systemUTC());
        JobEvents events = new JobEvents();
        Limits limits = Limits.defaults().withPerUser(1, 10).withLease(Duration.ofSeconds(10), Duration.ofMillis(100));
        JobService jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()),
                events, Clock.systemUTC());
        BotDefaults defaults = new BotDefaults(TinyModels.VQGAN, TinyModels.CLIP, List.of(TinyModels.VQGAN), 64, 48, 12,
                4, 1.0, "original", 3, 256, 100);
        backend = new ObservedBackend(new DiscordJobBackend(jobs, events, defaults, PromptParser.lenient(),
                new ProvenanceReader(), null));
        DiscordConfig config = new DiscordConfig(new BotToken("fake-token"), List.of(), Duration.ofMillis(100),
                Map.of(), List.of(), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
        bot = DiscordBot.start(config, backend, Clock.systemUTC());
        // subscribed after the bot, so the card has seen each preview before the gate holds the worker
        events.subscribe(DiscordEndToEndTest::holdUntilTheFirstPreviewsAreOnTheCard);
        renderer = TinyModels.renderer(dir.resolve("models"));
        worker = new Worker("w1", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(200), false, "vqclip test"), Clock.systemUTC());
        workerThread = new Thread(worker, "test-worker");
        workerThread.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.shutdown(Duration.ZERO);
            workerThread.join(30_000);
        }
        if (bot != null) {
            bot.close();
        }
        if (renderer != null) {
            renderer.close();
        }
        store.close();
        db.close();
        fake.close();
    }

    private static final Map<Long, AtomicInteger> previewsSeen = new ConcurrentHashMap<>();

    /**
     * The tiny models render a step in milliseconds, faster than a card edit's round trip, so without pacing a job
     * could finish before any preview reached its card. The worker publishes on its own thread: holding it on each
     * of a job's first two previews until the card edit carrying it arrived makes "two preview edits" a property
     * of the bot rather than of the machine's speed.
     */
    private static void holdUntilTheFirstPreviewsAreOnTheCard(JobEvent event) {
        if (!(event instanceof JobEvent.Progress p) || p.previewPng() == null) {
            return;
        }
        int n = previewsSeen.computeIfAbsent(p.jobId(), id -> new AtomicInteger()).incrementAndGet();
        if (n > 2) {
            return;
        }
        try {
            fake.awaitRequest("preview edit #" + n + " of job " + p.jobId(), n,
                    r -> isEdit(r) && r.hasFile("preview-" + p.jobId() + ".png"), TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AssertionError e) {
            gateFailures.add(e);
        }
    }

    @Test
    void imagineShowsLivePreviewsThenTheFinalImageAndTheOwnerAloneCanReroll() throws Exception {
        long sentAt = System.nanoTime();
        String interaction = fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a red fox")
                .integer("seed", 42));
        RecordedRequest ack = fake.awaitAck(interaction, TIMEOUT);
        assertThat(ack.payload().get("type").asInt()).as("deferred channel message").isEqualTo(5);

        RecordedRequest card = fake.awaitRequest("the job's card", r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && JOB_ON_CARD.matcher(r.content()).find(), TIMEOUT);
        long jobId = jobIdOn(card);
        String cardId = card.responseMessageId();
        assertThat(card.content()).contains(ALICE.mention(), "a red fox");

        RecordedRequest preview1 = awaitEdit(cardId, 1, "preview-" + jobId + ".png");
        System.out.println("[measure] /imagine -> first preview edit: " + (preview1.atNanos() - sentAt) / 1_000_000
                + " ms (real tiny-model render through the scheduler)");
        RecordedRequest preview2 = awaitEdit(cardId, 2, "preview-" + jobId + ".png");
        assertThat(preview1.content()).contains("🎨 step");
        assertThat(stepOf(preview2)).isGreaterThan(stepOf(preview1));

        RecordedRequest done = awaitEdit(cardId, 1, "vqclip-" + jobId + ".png");
        assertThat(done.content()).contains("✅ done · seed 42", "a red fox:1.0 · 64x48 · 12 steps · seed 42");
        assertThat(done.buttonIds()).containsExactly(CardButton.REROLL.customId(Long.toString(jobId)),
                CardButton.VARY.customId(Long.toString(jobId)), CardButton.DELETE.customId(Long.toString(jobId)),
                CardButton.INFO.customId(Long.toString(jobId)));
        assertThat(gateFailures).isEmpty();

        ReplyAddress cardAddress = new ReplyAddress(Long.toString(FakeDiscord.GUILD_ID),
                Long.toString(FakeDiscord.CHANNEL_ID), cardId);
        assertThat(backend.awaitDelivery(TIMEOUT)).isEqualTo(Map.entry(Long.toString(jobId), cardAddress));
        Job stored = store.reads().find(jobId).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.DONE);
        assertThat(stored.user().key()).isEqualTo("discord:" + ALICE.id());
        assertThat(stored.recipe().seed()).isEqualTo(42);
        assertThat(stored.deliveredAt()).isNotNull();
        assertThat(ReplyAddress.fromReplyTo(stored.replyTo())).contains(cardAddress);
        byte[] shown = fake.attachment(fake.message(cardId).get("attachments").get(0));
        assertThat(shown).isEqualTo(store.reads().result(jobId).orElseThrow());

        String byBob = fake.sendButtonClick(BOB, cardId, CardButton.REROLL.customId(Long.toString(jobId)));
        assertThat(awaitAnswer(byBob).content()).contains("Only " + ALICE.mention());

        String byAlice = fake.sendButtonClick(ALICE, cardId, CardButton.REROLL.customId(Long.toString(jobId)));
        RecordedRequest childCard = fake.awaitRequest("the reroll's card", r -> r.isChannelMessagePost()
                && r.succeeded() && r.content() != null && r.content().contains("from job `" + jobId + "`"), TIMEOUT);
        long childId = jobIdOn(childCard);
        assertThat(awaitAnswer(byAlice).content()).contains("Rerolling as job `" + childId + "`");
        String clickedAgain = fake.sendButtonClick(ALICE, cardId, CardButton.REROLL.customId(Long.toString(jobId)));
        assertThat(awaitAnswer(clickedAgain).content()).as("a second click on the same button queues nothing new")
                .contains("Rerolling as job `" + childId + "`");
        assertThat(fake.requests(r -> r.isChannelMessagePost() && r.content() != null
                && r.content().contains("from job `" + jobId + "`"))).as("one reroll card").hasSize(1);
        assertThat(store.reads().find(childId + 1)).as("no second reroll job").isEmpty();
        assertThat(childCard.payload().get("message_reference").get("message_id").asText()).isEqualTo(cardId);
        awaitEdit(childCard.responseMessageId(), 1, "vqclip-" + childId + ".png");
        Job child = store.reads().find(childId).orElseThrow();
        assertThat(child.parentId()).isEqualTo(jobId);
        assertThat(child.user().key()).isEqualTo("discord:" + ALICE.id());
        assertThat(child.recipe().seed()).isNotEqualTo(42);
        assertThat(child.recipe().withSeed(42)).isEqualTo(stored.recipe());
        assertThat(child.state()).isEqualTo(JobState.DONE);
        assertThat(store.reads().find(jobId).orElseThrow().state()).isEqualTo(JobState.DONE);
        assertThat(gateFailures).isEmpty();
    }

    private static boolean isEdit(RecordedRequest r) {
        return r.isChannelMessageEdit() && r.status() == 200;
    }

    private static RecordedRequest awaitEdit(String cardId, int n, String file) throws InterruptedException {
        return fake.awaitRequest("edit #" + n + " of card " + cardId + " with " + file, n,
                r -> isEdit(r) && r.messageId().equals(cardId) && r.hasFile(file), TIMEOUT);
    }

    private static RecordedRequest awaitAnswer(String interactionId) throws InterruptedException {
        return fake.awaitAnswer(interactionId, TIMEOUT);
    }

    private static long jobIdOn(RecordedRequest card) {
        Matcher m = JOB_ON_CARD.matcher(card.content());
        assertThat(m.find()).as("a job id on " + card.content()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int stepOf(RecordedRequest edit) {
        Matcher m = Pattern.compile("step (\\d+)/").matcher(edit.content());
        assertThat(m.find()).as("a step on " + edit.content()).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
