package dev.vqclip.app;

import dev.vqclip.bench.provenance.SyntheticImages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vqclip.discord.AdminCommand;
import dev.vqclip.discord.Derivation;
import dev.vqclip.discord.ImageInput;
import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.discord.ImagineRequest;
import dev.vqclip.discord.JobSummary;
import dev.vqclip.discord.RecipeTexts;
import dev.vqclip.discord.ReplyAddress;
import dev.vqclip.discord.Requester;
import dev.vqclip.discord.Submission;
import dev.vqclip.discord.Usage;
import dev.vqclip.job.CancelResult;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.job.RecipePayloads;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.UserRef;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.NoisePrompt;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.PromptSchedule;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.prompt.WeightedPrompt;
import dev.vqclip.provenance.Attack;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Discord port over the real scheduler on H2: what the bot asks becomes jobs, and jobs come back as cards. */
class DiscordJobBackendTest {
    private static final Requester ALICE = new Requester("1200000000000000001", "alice", false);
    private static final Requester BOB = new Requester("1200000000000000002", "bob", false);
    private static final Requester MODERATOR = new Requester("1200000000000000003", "mo", true, "1000000000000000001");
    private static final ReplyAddress CHANNEL = new ReplyAddress("1000000000000000001", "1000000000000000002", null);
    private static final BotDefaults DEFAULTS = new BotDefaults("vq_a", "ViT-B/32", List.of("vq_a", "vq_b"), 256, 256,
            300, 32, 1.0, "latest", 10, 768, 1000);

    @TempDir
    Path dir;
    Database db;
    JdbcJobStore store;
    JobService jobs;
    final JobEvents events = new JobEvents();
    final AtomicLong nextSeed = new AtomicLong(1000);
    DiscordJobBackend backend;
    final List<JobEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        db = Database.open(Database.h2FileUrl(dir));
        store = new JdbcJobStore(db, Clock.systemUTC());
        jobs = new JobService(store, Limits.defaults().withPerUser(1, 3), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), events, Clock.systemUTC());
        backend = new DiscordJobBackend(jobs, events, DEFAULTS, PromptParser.lenient(), new ProvenanceReader(),
                null, nextSeed::getAndIncrement);
        backend.subscribe(seen::add);
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private static ImagineRequest imagine(Requester who, String prompt, ImagineOptions options) {
        return new ImagineRequest(who, prompt, options, CHANNEL);
    }

    private static ImagineOptions seed(long seed) {
        return new ImagineOptions(seed, null, null, null, null, null, null, null);
    }

    private long accepted(Submission s) {
        assertThat(s).isInstanceOf(Submission.Accepted.class);
        return Long.parseLong(((Submission.Accepted) s).jobId());
    }

    private String refusal(Submission s) {
        assertThat(s).isInstanceOf(Submission.Refused.class);
        return ((Submission.Refused) s).reason();
    }

    private Job job(long id) {
        return store.reads().find(id).orElseThrow();
    }

    @Test
    void aPromptAndItsOptionsBecomeARecipeOwnedByTheDiscordUser() {
        ImagineOptions options = new ImagineOptions(42L, "320x192", null, 50, null, null, "vq_b", "pixel");
        ImagineRequest request = new ImagineRequest(ALICE, "a red fox | watercolor:0.5", options, CHANNEL,
                "1300000000000000001");
        long id = accepted(backend.submit(request));
        Job job = job(id);
        assertThat(job.user()).isEqualTo(new UserRef("discord", ALICE.userId(), "alice"));
        Recipe r = job.recipe();
        assertThat(r.prompts().phrases()).containsExactly(List.of(new WeightedPrompt("a red fox", 1.0,
                Double.NEGATIVE_INFINITY), new WeightedPrompt("watercolor", 0.5, Double.NEGATIVE_INFINITY)));
        assertThat(List.of(r.seed(), (long) r.width(), (long) r.height(), (long) r.iterations()))
                .containsExactly(42L, 320L, 192L, 50L);
        assertThat(List.of(r.vqgan(), r.clip(), r.drawer(), r.cutMethod())).containsExactly("vq_b", "ViT-B/32", "pixel",
                "latest");
        assertThat(r.saveEvery()).as("previews for the card").isEqualTo(10);
        assertThat(ReplyAddress.fromReplyTo(job.replyTo())).contains(CHANNEL);
        assertThat(accepted(backend.submit(request))).as("the same interaction twice is one job").isEqualTo(id);
        assertThat(store.reads().queued()).hasSize(1);
    }

    @Test
    void withoutOptionsTheDefaultsAndAFreshSeedApply() {
        Recipe r = job(accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)))).recipe();
        assertThat(List.of(r.seed(), (long) r.width(), (long) r.height(), (long) r.iterations(), (long) r.cutn()))
                .containsExactly(1000L, 256L, 256L, 300L, 32L);
        assertThat(r.vqgan()).isEqualTo("vq_a");
    }

    @Test
    void anAspectRatioKeepsTheDefaultPixelCountInWholeLatentCells() {
        Recipe wide = job(accepted(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, "16:9", null, null, null, null, null))))).recipe();
        assertThat(List.of(wide.width(), wide.height())).containsExactly(336, 192); // 341.3 x 192 in 16 px cells
        Recipe tall = job(accepted(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, "1:40", null, null, null, null, null))))).recipe();
        assertThat(List.of(tall.width(), tall.height())).as("bounded by the max side, at least one cell wide")
                .containsExactly(16, 768);
    }

    @Test
    void attachedInitAndTargetImagesAreCheckedStoredAndPutInTheRecipe() throws Exception {
        DiscordJobBackend withUploads = new DiscordJobBackend(jobs, events, DEFAULTS, PromptParser.lenient(),
                new ProvenanceReader(), new UploadFolder(dir.resolve("uploads")), () -> 42L);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(64, 64).image(1, 1), "png", png);
        ImageInput init = new ImageInput("start.png", png.toByteArray());
        ImageInput target = new ImageInput("style.png", png.toByteArray());
        long id = accepted(withUploads.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, null, null, init, target, null, null))));
        Recipe r = job(id).recipe();
        String shown = RecipeTexts.full(withUploads.job(Long.toString(id)).orElseThrow().recipe());
        assertThat(shown).as("the ℹ recipe shows no server path").doesNotContain(dir.toString())
                .doesNotContain("uploads").contains("init image: ").contains("image prompts: ");
        assertThat(Path.of(r.initImage())).exists().startsWith(dir.resolve("uploads").toAbsolutePath());
        assertThat(r.targetImages()).singleElement().satisfies(t -> {
            assertThat(t.source()).isEqualTo(r.initImage()); // same bytes, stored once
            assertThat(t.weight()).isEqualTo(1.0);
        });
        assertThat(refusal(withUploads.submit(imagine(BOB, "fog", new ImagineOptions(null, null, null, null,
                new ImageInput("broken.png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}), null, null, null)))))
                .contains("broken.png is not a usable image");
    }

    @Test
    void anAttachmentIsStoredOnlyWhenItsJobIsAccepted() throws Exception {
        Path folder = dir.resolve("uploads");
        DiscordJobBackend withUploads = new DiscordJobBackend(jobs, events, DEFAULTS, PromptParser.lenient(),
                new ProvenanceReader(), new UploadFolder(folder), () -> 42L);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(64, 64).image(3, 1), "png", png);
        ImageInput image = new ImageInput("start.png", png.toByteArray());
        ImagineOptions withImage = new ImagineOptions(null, null, null, null, image, image, null, null);

        backend.admin(new AdminCommand.BlockWord("forbidden"), null, MODERATOR);
        assertThat(refusal(withUploads.submit(imagine(ALICE, "a forbidden fox", withImage)))).contains("not allowed");
        assertThat(filesIn(folder)).as("refused by moderation").isEmpty();
        assertThat(refusal(withUploads.submit(imagine(ALICE, "a fox", new ImagineOptions(null, null, null, 5000,
                image, null, null, null))))).contains("at most 1000 iterations");
        assertThat(filesIn(folder)).as("refused by the bot's own limits").isEmpty();
        for (int i = 0; i < 3; i++) {
            accepted(backend.submit(imagine(ALICE, "fog " + i, ImagineOptions.NONE)));
        }
        assertThat(refusal(withUploads.submit(imagine(ALICE, "a fox", withImage)))).contains("jobs waiting");
        assertThat(filesIn(folder)).as("refused by admission (queue full)").isEmpty();

        long id = accepted(withUploads.submit(imagine(BOB, "a fox", withImage)));
        assertThat(filesIn(folder)).as("accepted: stored once, nothing temporary left")
                .containsExactly(Path.of(job(id).recipe().initImage()));
    }

    private static List<Path> filesIn(Path folder) throws java.io.IOException {
        if (!java.nio.file.Files.exists(folder)) {
            return List.of();
        }
        try (var files = java.nio.file.Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void whatTheBotCannotRenderIsRefusedWithTheReasonAndQueuesNothing() {
        assertThat(refusal(backend.submit(imagine(ALICE, "fog:0", ImagineOptions.NONE)))).contains("weights");
        ImageInput png = new ImageInput("a.png", new byte[] {1});
        assertThat(refusal(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, null, null, png, null, null, null))))).contains("not enabled");
        assertThat(refusal(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, null, 5000, null, null, null, null))))).contains("at most 1000 iterations");
        assertThat(refusal(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, null, null, null, null, "/etc/passwd", null))))).contains("no model");
        assertThat(refusal(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, "2000x100", null, null, null, null, null, null))))).contains("16..768");
        assertThat(refusal(backend.submit(imagine(ALICE, "fog",
                new ImagineOptions(null, null, null, null, null, null, null, "crayon"))))).contains("'vqgan' or 'pixel'");
        assertThat(store.reads().queued()).isEmpty();
    }

    @Test
    void theSchedulersRulesAndTheOperatorsCommandsReachTheUser() {
        assertThat(backend.admin(new AdminCommand.Ban(BOB.userId()), null, MODERATOR)).contains("<@" + BOB.userId() + ">");
        assertThat(refusal(backend.submit(imagine(BOB, "fog", ImagineOptions.NONE)))).contains("not allowed");
        assertThat(backend.usage(BOB.userId()).banned()).isTrue();
        backend.admin(new AdminCommand.Unban(BOB.userId()), null, MODERATOR);
        accepted(backend.submit(imagine(BOB, "fog", ImagineOptions.NONE)));

        backend.admin(new AdminCommand.PauseQueue(), null, MODERATOR);
        assertThat(refusal(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)))).contains("paused");
        backend.admin(new AdminCommand.ResumeQueue(), null, MODERATOR);
        accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));

        assertThat(backend.admin(new AdminCommand.SetLimits(2, null, 120.0), null, MODERATOR))
                .isEqualTo("✅ Limits now: 2 running and 3 queued per user, 120 GPU-seconds per 24 h.");
        assertThat(jobs.limits().maxRunning()).isEqualTo(2);
        assertThat(backend.admin(new AdminCommand.SetLimits(0, null, null), null, MODERATOR))
                .startsWith("⚠ Limits unchanged: max running jobs per user must be >= 1");
        assertThat(backend.admin(new AdminCommand.BlockWord("Fog"), null, MODERATOR)).isEqualTo("🚫 'Fog' is now refused in prompts.");
        assertThat(refusal(backend.submit(imagine(ALICE, "morning fog", ImagineOptions.NONE)))).contains("blocked word 'fog'");
        assertThat(backend.admin(new AdminCommand.UnblockWord("fog"), null, MODERATOR)).isEqualTo("✅ 'fog' is allowed again.");
        accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));
    }

    private static final String SERVER_A = "1000000000000000001";
    private static final String SERVER_B = "1000000000000000011";
    private static final ReplyAddress CHANNEL_B = new ReplyAddress(SERVER_B, "1000000000000000012", null);

    @Test
    void anAdministratorOfServerAChangesNothingOnServerB() {
        Requester carol = new Requester("1200000000000000004", "carol", false, SERVER_B);
        backend.admin(new AdminCommand.PauseQueue(), SERVER_A, MODERATOR);
        assertThat(refusal(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)))).contains("paused");
        accepted(backend.submit(new ImagineRequest(carol, "fog", ImagineOptions.NONE, CHANNEL_B)));
        assertThat(jobs.paused()).as("the global queue").isFalse();
        backend.admin(new AdminCommand.ResumeQueue(), SERVER_A, MODERATOR);
        accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));

        backend.admin(new AdminCommand.Ban(BOB.userId()), SERVER_A, MODERATOR);
        assertThat(refusal(backend.submit(imagine(BOB, "rain", ImagineOptions.NONE)))).contains("on this server");
        accepted(backend.submit(new ImagineRequest(BOB, "rain", ImagineOptions.NONE, CHANNEL_B)));
        assertThat(backend.usage(BOB.userId()).banned()).as("not banned everywhere").isFalse();

        assertThat(backend.admin(new AdminCommand.BlockWord("storm"), SERVER_A, MODERATOR)).contains("on this server");
        assertThat(refusal(backend.submit(imagine(ALICE, "a storm", ImagineOptions.NONE)))).contains("storm");
        accepted(backend.submit(new ImagineRequest(carol, "a storm", ImagineOptions.NONE, CHANNEL_B)));

        assertThat(backend.admin(new AdminCommand.SetLimits(null, 1, null), SERVER_A, MODERATOR))
                .startsWith("✅ Limits on this server now: 1 running and 1 queued");
        assertThat(jobs.limits().maxQueued()).as("global").isEqualTo(3);
        assertThat(backend.admin(new AdminCommand.SetLimits(null, 9, null), SERVER_A, MODERATOR))
                .contains("only be stricter");
        assertThat(refusal(backend.submit(imagine(ALICE, "a second fox", ImagineOptions.NONE))))
                .as("Alice already waits with one job; server A allows one").contains("the limit is 1");
        accepted(backend.submit(new ImagineRequest(ALICE, "a second fox", ImagineOptions.NONE, CHANNEL_B)));
    }

    @Test
    void aModeratorOfServerACannotCancelServerBsJobs() {
        long inB = accepted(backend.submit(new ImagineRequest(ALICE, "fog", ImagineOptions.NONE, CHANNEL_B)));
        assertThat(backend.cancel(Long.toString(inB), MODERATOR)).isEqualTo(CancelResult.NOT_ALLOWED);
        Requester moderatorOfB = new Requester("1200000000000000004", "carol", true, SERVER_B);
        assertThat(backend.cancel(Long.toString(inB), moderatorOfB)).isEqualTo(CancelResult.CANCELLED);
    }

    @Test
    void aCardThatCouldNotBeDeliveredIsRecordedFailedWithTheReasonAndNotRetried() {
        long id = accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));
        store.queue().cancel(id, "discord:" + ALICE.userId());
        assertThat(store.deliveries().undelivered(10)).extracting(Job::id).contains(id);
        backend.deliveryFailed(Long.toString(id), "50007 Cannot send messages to this user");
        assertThat(store.deliveries().deliveryFailure(id)).contains("50007 Cannot send messages to this user");
        assertThat(store.deliveries().undelivered(10)).extracting(Job::id).doesNotContain(id);
        assertThat(backend.resultImage(Long.toString(id))).isEmpty();
    }

    @Test
    void aRerollKeepsTheRecipeWithANewSeedAndAVariationKeepsTheSeedWithAWeakNoisePrompt() {
        long parent = accepted(backend.submit(imagine(ALICE, "a red fox", seed(42))));
        Recipe original = job(parent).recipe();
        ReplyAddress card = new ReplyAddress(CHANNEL.guildId(), CHANNEL.channelId(), "1400000000000000001");

        Job reroll = job(accepted(backend.derive(Long.toString(parent), Derivation.REROLL, BOB, card, null)));
        assertThat(reroll.parentId()).isEqualTo(parent);
        assertThat(reroll.user().userId()).as("the clicker asked for it").isEqualTo(BOB.userId());
        assertThat(reroll.recipe()).isEqualTo(original.withSeed(1000));
        assertThat(ReplyAddress.fromReplyTo(reroll.replyTo())).contains(card);

        Job variation = job(accepted(backend.derive(Long.toString(parent), Derivation.VARIATION, ALICE, card, null)));
        assertThat(variation.parentId()).isEqualTo(parent);
        assertThat(variation.recipe().seed()).isEqualTo(42);
        assertThat(variation.recipe().noisePrompts()).containsExactly(
                new NoisePrompt(1001, ImagineRecipes.VARIATION_NOISE_WEIGHT));
        assertThat(variation.recipe().prompts()).isEqualTo(original.prompts());

        assertThat(refusal(backend.derive("424242", Derivation.REROLL, ALICE, card, null))).contains("no longer exists");
        assertThat(refusal(backend.derive("j1", Derivation.REROLL, ALICE, card, null))).contains("no longer exists");
    }

    @Test
    void aButtonClickDeliveredTwiceQueuesOneJob() {
        long parent = accepted(backend.submit(imagine(ALICE, "a red fox", seed(42))));
        ReplyAddress card = new ReplyAddress(CHANNEL.guildId(), CHANNEL.channelId(), null);
        String reroll = "1400000000000000001:vq:reroll:" + parent + ":" + ALICE.userId();
        String vary = "1400000000000000001:vq:vary:" + parent + ":" + ALICE.userId();

        long first = accepted(backend.derive(Long.toString(parent), Derivation.REROLL, ALICE, card, reroll));
        long again = accepted(backend.derive(Long.toString(parent), Derivation.REROLL, ALICE, card, reroll));
        assertThat(again).as("the repeated click answers with the job the first one queued").isEqualTo(first);

        long variation = accepted(backend.derive(Long.toString(parent), Derivation.VARIATION, ALICE, card, vary));
        assertThat(variation).as("another button of the same card is another request").isNotEqualTo(first);
        assertThat(jobs.queueView()).extracting(e -> e.job().id()).containsExactlyInAnyOrder(parent, first, variation);
    }

    @Test
    void aClickIdTooLongForTheKeyColumnIsHashedNotRefused() {
        String longId = "1".repeat(200);
        assertThat(DiscordViews.idemKey(longId)).hasSizeLessThanOrEqualTo(JobRequest.MAX_IDEM_KEY_LENGTH)
                .isEqualTo(DiscordViews.idemKey(longId)).isNotEqualTo(DiscordViews.idemKey("2".repeat(200)));
        assertThat(DiscordViews.idemKey("14:vq:reroll:7")).isEqualTo("discord:14:vq:reroll:7");
        assertThat(DiscordViews.idemKey(null)).isNull();
    }

    @Test
    void onlyTheOwnerOrAModeratorCancels() {
        long id = accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));
        assertThat(backend.cancel(Long.toString(id), BOB)).isEqualTo(CancelResult.NOT_ALLOWED);
        assertThat(backend.cancel(Long.toString(id), MODERATOR)).isEqualTo(CancelResult.CANCELLED);
        assertThat(backend.cancel(Long.toString(id), ALICE)).isEqualTo(CancelResult.ALREADY_FINISHED);
        assertThat(backend.cancel("424242", ALICE)).isEqualTo(CancelResult.NOT_FOUND);
        assertThat(backend.cancel("not-a-job", ALICE)).isEqualTo(CancelResult.NOT_FOUND);
        assertThat(seen).contains(new JobEvent.Cancelled(id, MODERATOR.user().key()));
    }

    @Test
    void theQueueHistoryAndOneJobAreSummarisedForTheCard() {
        long first = accepted(backend.submit(imagine(ALICE, "a red fox", seed(42))));
        long second = accepted(backend.submit(imagine(ALICE, "fog", seed(7))));
        long bobs = accepted(backend.submit(imagine(BOB, "rain", seed(8))));

        List<JobSummary> queue = backend.queue(ALICE.userId());
        assertThat(queue).extracting(JobSummary::jobId).containsExactly(Long.toString(first), Long.toString(second));
        assertThat(queue).extracting(JobSummary::position).as("fair queuing puts bob's first job before alice's second")
                .containsExactly(1, 3);
        JobSummary one = backend.job(Long.toString(second)).orElseThrow();
        assertThat(one.status()).isEqualTo(JobState.QUEUED);
        assertThat(one.position()).isEqualTo(3);
        assertThat(one.eta()).isNotNull();
        assertThat(one.waitingReason()).isEqualTo("2 jobs ahead");
        assertThat(one.ownerId()).isEqualTo(ALICE.userId());
        assertThat(one.prompt()).isEqualTo("fog:1.0");
        assertThat(one.seed()).isEqualTo(7);
        assertThat(RecipeTexts.full(one.recipe())).contains("prompt: fog:1.0", "seed: 7", "size: 256x256", "iterations: 300",
                "models: vq_a + ViT-B/32 (vqgan)");
        assertThat(one.reply()).isEqualTo(CHANNEL);

        backend.cancel(Long.toString(first), ALICE);
        assertThat(backend.history(ALICE.userId(), 10)).extracting(JobSummary::jobId)
                .containsExactly(Long.toString(second), Long.toString(first));
        assertThat(backend.job(Long.toString(first)).orElseThrow().status()).isEqualTo(JobState.CANCELLED);
        assertThat(backend.history(BOB.userId(), 10)).extracting(JobSummary::jobId).containsExactly(Long.toString(bobs));
        assertThat(backend.job("424242")).isEmpty();
        assertThat(backend.resultImage(Long.toString(second))).as("not rendered yet").isEmpty();
    }

    @Test
    void usageShowsTheUsersLoadAgainstTheLimits() {
        accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));
        Usage u = backend.usage(ALICE.userId());
        assertThat(List.of(u.running(), u.maxRunning(), u.queued(), u.maxQueued())).containsExactly(0, 1, 1, 3);
        assertThat(u.gpuSecondsQuota()).isEqualTo(1800.0);
        assertThat(u.window()).isEqualTo(Duration.ofHours(24));
        assertThat(u.banned()).isFalse();
    }

    @Test
    void theCardsAddressAndItsDeliveryArePersisted() {
        long id = accepted(backend.submit(imagine(ALICE, "fog", ImagineOptions.NONE)));
        ReplyAddress card = new ReplyAddress(CHANNEL.guildId(), CHANNEL.channelId(), "1400000000000000009");
        backend.cardMoved(Long.toString(id), card);
        assertThat(ReplyAddress.fromReplyTo(job(id).replyTo())).contains(card);
        assertThat(backend.job(Long.toString(id)).orElseThrow().reply()).isEqualTo(card);
        backend.delivered(Long.toString(id), card);
        assertThat(job(id).deliveredAt()).isNotNull();
        assertThat(job(id).deliveryRef()).isEqualTo(card.replyTo());
    }

    @Test
    void theCardsToTakeOverAfterARestartAreOpenOrUndeliveredDiscordJobsWithAPostedCard() {
        long running = accepted(backend.submit(imagine(ALICE, "running", seed(1))));
        long undelivered = accepted(backend.submit(imagine(BOB, "done while away", seed(2))));
        long delivered = accepted(backend.submit(imagine(BOB, "done and shown", seed(3))));
        long noCard = accepted(backend.submit(imagine(ALICE, "card never posted", seed(4))));
        long queued = accepted(backend.submit(imagine(ALICE, "waiting", seed(5))));
        jobs.submit(new JobRequest(new UserRef("web", "u-1", "web user"),
                Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("snow"))), 3), "https://example/x"));
        for (long id : List.of(running, undelivered, delivered, queued)) {
            backend.cardMoved(Long.toString(id), card(id));
        }
        Lease lease = store.queue().claim(running, "w1", Duration.ofMinutes(1), 1).orElseThrow();
        store.leases().heartbeat(lease, 40, 0.5, Duration.ofMinutes(1));
        for (long id : List.of(undelivered, delivered)) {
            Lease l = store.queue().claim(id, "w1", Duration.ofMinutes(1), 1).orElseThrow();
            assertThat(store.leases().complete(l, new byte[] {1, 2, 3}, 300, 0.1, 1000)).isTrue();
        }
        backend.delivered(Long.toString(delivered), card(delivered));

        List<JobSummary> open = backend.openCards();
        assertThat(open).extracting(JobSummary::jobId).as("running, then queued, then undelivered")
                .containsExactly(Long.toString(running), Long.toString(queued), Long.toString(undelivered));
        assertThat(open).extracting(JobSummary::status)
                .containsExactly(JobState.RUNNING, JobState.QUEUED, JobState.DONE);
        assertThat(open).extracting(JobSummary::reply).containsExactly(card(running), card(queued), card(undelivered));
        assertThat(open.get(0).step()).isEqualTo(40);
        assertThat(open.get(0).totalSteps()).isEqualTo(300);
        assertThat(open).extracting(JobSummary::jobId).doesNotContain(Long.toString(noCard));
    }

    private static ReplyAddress card(long jobId) {
        return new ReplyAddress(CHANNEL.guildId(), CHANNEL.channelId(), Long.toString(1400000000000000000L + jobId));
    }

    @Test
    void schedulerEventsOfDiscordJobsReachTheBotWithAStartAsStepZero() {
        long done = accepted(backend.submit(imagine(ALICE, "a red fox", seed(42))));
        long failed = accepted(backend.submit(imagine(ALICE, "fog", seed(1))));
        long reaped = accepted(backend.submit(imagine(BOB, "rain", seed(2))));
        SubmitResult other = jobs.submit(new JobRequest(new UserRef("web", "u-1", "web user"),
                Recipe.defaults(PromptSchedule.of(List.of(new WeightedPrompt("snow"))), 3), "https://example/x"));
        long web = ((SubmitResult.Accepted) other).job().id();
        byte[] preview = {1, 2, 3};
        byte[] png = {4, 5, 6};
        events.publish(new JobEvent.Started(done, "w1", 1));
        events.publish(new JobEvent.Progress(done, 30, 300, 0.5, preview));
        events.publish(new JobEvent.Finished(done, png, 42, 300, 0.4));
        events.publish(new JobEvent.Failed(failed, "out of memory"));
        events.publish(new JobEvent.Cancelled(reaped, null));
        events.publish(new JobEvent.Started(web, "w1", 1));

        assertThat(seen).filteredOn(e -> !(e instanceof JobEvent.Queued)).containsExactly(
                new JobEvent.Progress(done, 0, 300, Double.NaN, null),
                new JobEvent.Progress(done, 30, 300, 0.5, preview),
                new JobEvent.Finished(done, png, 42, 300, 0.4),
                new JobEvent.Failed(failed, "out of memory"),
                new JobEvent.Cancelled(reaped, null));
        assertThat(seen).filteredOn(e -> e instanceof JobEvent.Queued).extracting(JobEvent::jobId)
                .containsExactly(done, failed, reaped);
        assertThat(backend.job(Long.toString(web))).as("other platforms' jobs are not the bot's").isEmpty();
    }

    @Test
    void decodeReadsEveryLayerAndResolvesAWatermarkOnlyImageThroughTheDatabase() throws Exception {
        long id = accepted(backend.submit(imagine(ALICE, "a red fox", seed(42))));
        Recipe recipe = job(id).recipe();
        BufferedImage image = new SyntheticImages(300, 300).image(9, 2);
        byte[] stamped = new Stamper(Watermark.standard(), "vqclip test")
                .stamp(image, RecipePayloads.of(recipe, 300, Map.of(), id, "vqclip test"), id);

        String full = backend.decode(stamped).orElseThrow();
        assertThat(full).startsWith("layers: lsb, text, xmp, watermark\njob " + id + "\na red fox");
        assertThat(full).contains("Seed: 42");

        BufferedImage reencoded = Attack.jpeg(75).apply(ImageIO.read(new ByteArrayInputStream(stamped)),
                new SplittableRandom(1));
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(reencoded, "jpeg", jpeg);
        String markOnly = backend.decode(jpeg.toByteArray()).orElseThrow();
        assertThat(markOnly).startsWith("layers: watermark\njob " + id + "\n");
        assertThat(markOnly).contains("prompt: a red fox:1.0", "seed: 42");

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ImageIO.write(new SyntheticImages(300, 300).image(3, 1), "png", plain);
        assertThat(backend.decode(plain.toByteArray())).isEmpty();
        assertThatThrownBy(() -> backend.decode("not an image".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an image");
    }
}
