package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static dev.vqclip.discord.fake.FakeDiscord.MODERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vqclip.discord.fake.Fault;
import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bot on real JDA 6.5 against the loopback fake Discord, driven by an in-memory job system. */
class DiscordBotEndToEndTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Short so the suite stays fast; production uses DiscordConfig.DEFAULT_PREVIEW_INTERVAL (3 s). */
    private static final Duration PREVIEW_INTERVAL = Duration.ofMillis(400);

    private static FakeDiscord fake;
    private static InMemoryImagineBackend backend;
    private static DiscordBot bot;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeDiscord();
        backend = new InMemoryImagineBackend();
        DiscordConfig config = new DiscordConfig(new BotToken("fake-token"), List.of(), PREVIEW_INTERVAL, Map.of(),
                List.of("vqgan_imagenet_f16_16384"), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
        bot = DiscordBot.start(config, backend, Clock.systemUTC());
    }

    @AfterAll
    static void stop() throws Exception {
        if (bot != null) {
            bot.close();
        }
        fake.close();
    }

    @Test
    void logsInAndRegistersTheCommandsWithFrenchDescriptions() throws Exception {
        RecordedRequest put = fake.awaitRequest("global command registration",
                r -> r.is("PUT", "applications/" + FakeDiscord.BOT_ID + "/commands"), TIMEOUT);
        List<String> names = put.payload().findValuesAsText("name");
        for (String command : List.of("imagine", "queue", "cancel", "decode", "info", "history", "show", "admin")) {
            assertTrue(names.contains(command), "registered " + command);
        }
        JsonNode imagine = command(put, "imagine");
        assertEquals("Dessiner une image à partir d'un texte", imagine.get("description_localizations").get("fr").asText());
        List<String> options = imagine.get("options").findValuesAsText("name");
        assertTrue(options.containsAll(List.of("prompt", "seed", "size", "aspect", "iterations", "init_image",
                "target_image", "model", "drawer")), "imagine options " + options);
        JsonNode iterations = imagine.get("options").findParents("name").stream()
                .filter(o -> o.get("name").asText().equals("iterations")).findFirst().orElseThrow();
        assertEquals(backend.maxIterations(), iterations.get("max_value").asInt(), "the bot's own limit");
        assertEquals("32", command(put, "admin").get("default_member_permissions").asText(), "Manage Server only");
        for (JsonNode c : put.payload()) {
            String expected = c.get("name").asText().equals("admin") ? "[\"0\"]" : "[\"0\",\"1\"]";
            assertEquals(expected, String.valueOf(c.get("contexts")), "servers and the bot's DMs, never group DMs: "
                    + c.get("name").asText());
            assertEquals("[\"0\"]", String.valueOf(c.get("integration_types")), "installed in servers only");
        }
        assertEquals(FakeDiscord.BOT_ID, Long.parseLong(bot.selfUserId()));
    }

    @Test
    void imagineIsAcknowledgedThenTheCardShowsPreviewsAndTheFinalImageWithButtons() throws Exception {
        long sentAt = System.nanoTime();
        String interaction = fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a red fox")
                .integer("seed", 42).integer("iterations", 100).string("aspect", "16:9"));
        RecordedRequest ack = fake.awaitAck(interaction, TIMEOUT);
        assertEquals(5, ack.payload().get("type").asInt(), "deferred channel message");
        assertEquals(64, ack.payload().get("data").get("flags").asInt(), "ephemeral");

        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        assertEquals("a red fox", job.prompt());
        assertEquals(42L, job.options().seed());
        assertEquals("16:9", job.options().aspect());
        assertEquals(100, job.options().iterations());
        assertEquals(ALICE.id(), Long.parseLong(job.requester().userId()));

        RecordedRequest card = awaitCard(job.jobId(), 1);
        assertTrue(card.content().contains(ALICE.mention()) && card.content().contains("queued"), card.content());
        assertEquals(List.of(CardButton.CANCEL.customId(job.jobId()), CardButton.INFO.customId(job.jobId())),
                card.buttonIds());
        String cardId = fake.message(idOf(card)).get("id").asText();
        RecordedRequest told = fake.awaitRequest("the user is told where the card is",
                r -> r.is("PATCH", "webhooks/\\d+/itoken-\\d+/messages/@original") && r.content() != null
                        && r.content().contains(FakeDiscord.messageLink(cardId)), TIMEOUT);
        assertTrue(told.content().contains(job.jobId()));

        backend.progress(job.jobId(), 10, 100);
        RecordedRequest preview1 = awaitEdit(cardId, 1, r -> r.hasFile("preview-"));
        long firstPreviewMillis = (preview1.atNanos() - sentAt) / 1_000_000;
        System.out.println("[measure] /imagine -> first preview edit: " + firstPreviewMillis + " ms");
        assertTrue(preview1.content().contains("step 10/100"), preview1.content());
        backend.progress(job.jobId(), 50, 100);
        RecordedRequest preview2 = awaitEdit(cardId, 2, r -> r.hasFile("preview-"));
        assertTrue(preview2.content().contains("step 50/100") && preview2.content().contains("▰"), preview2.content());
        assertEquals(1, fake.message(cardId).get("attachments").size(), "each preview replaces the last");

        backend.finish(job.jobId());
        RecordedRequest last = awaitEdit(cardId, 1, r -> r.hasFile("vqclip-" + job.jobId()));
        assertTrue(last.content().contains("done") && last.content().contains("seed 42"), last.content());
        assertEquals(List.of("reroll", "vary", "delete", "info"), last.buttonIds().stream()
                .map(id -> id.split(":")[1]).toList());
        assertEquals(Map.entry(job.jobId(), new ReplyAddress(Long.toString(FakeDiscord.GUILD_ID),
                Long.toString(FakeDiscord.CHANNEL_ID), cardId)), backend.cardMoves.stream()
                .filter(e -> e.getKey().equals(job.jobId())).findFirst().orElseThrow());
    }

    @Test
    void buttonsActOnlyForTheOwnerOrAModerator() throws Exception {
        Finished parent = finishedJob(ALICE, "a quiet harbour");

        String byBob = fake.sendButtonClick(BOB, parent.cardId, CardButton.REROLL.customId(parent.jobId));
        RecordedRequest refusal = awaitAnswer(byBob);
        assertTrue(refusal.content().contains("Only " + ALICE.mention()), refusal.content());

        String byAlice = fake.sendButtonClick(ALICE, parent.cardId, CardButton.REROLL.customId(parent.jobId));
        InMemoryImagineBackend.TestJob reroll = backend.awaitSubmission(TIMEOUT);
        assertEquals(parent.jobId, reroll.parentJobId());
        assertEquals(Derivation.REROLL, reroll.derivation());
        RecordedRequest rerollCard = awaitCard(reroll.jobId(), 1);
        assertEquals(parent.cardId, rerollCard.payload().get("message_reference").get("message_id").asText(),
                "a reroll answers its parent's card");
        assertTrue(rerollCard.content().contains("from job `" + parent.jobId + "`"), rerollCard.content());
        assertTrue(awaitAnswer(byAlice).content().contains("Rerolling as job `" + reroll.jobId() + "`"));

        String byModerator = fake.sendButtonClick(MODERATOR, parent.cardId, CardButton.DELETE.customId(parent.jobId));
        assertTrue(awaitAnswer(byModerator).content().contains("Deleted"));
        fake.awaitRequest("card deleted", r -> r.is("DELETE", "channels/\\d+/messages/" + parent.cardId), TIMEOUT);
        assertNull(fake.message(parent.cardId));
    }

    @Test
    void aCardPingsOnlyItsOwnerWhateverThePromptSays() throws Exception {
        InMemoryImagineBackend.TestJob job = imagine(BOB, "@everyone **loud** <@&" + FakeDiscord.MODERATOR_ROLE_ID + ">");
        RecordedRequest card = awaitCard(job.jobId(), 1);
        JsonNode allowed = card.payload().get("allowed_mentions");
        assertEquals("[]", String.valueOf(allowed.get("parse")), "no @everyone, roles or other users: " + allowed);
        assertEquals("[\"" + BOB.id() + "\"]", String.valueOf(allowed.get("users")));
        assertTrue(card.content().contains("\\*\\*loud\\*\\*"), "markdown escaped: " + card.content());
    }

    @Test
    void aMentionBecomesAJobWhoseCardAnswersTheMessage() throws Exception {
        String mention = fake.sendMention(BOB, "<@" + FakeDiscord.BOT_ID + "> a lighthouse at dusk");
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        assertEquals("a lighthouse at dusk", job.prompt());
        assertEquals(BOB.id(), Long.parseLong(job.requester().userId()));
        RecordedRequest card = awaitCard(job.jobId(), 1);
        assertEquals(mention, card.payload().get("message_reference").get("message_id").asText());
        backend.finish(job.jobId());
        awaitEdit(idOf(card), 1, r -> r.hasFile("vqclip-" + job.jobId()));
    }

    @Test
    void anInteractionThatExpiredBeforeTheAckStillGetsItsJobAndCard() throws Exception {
        fake.failNext(RecordedRequest::isInteractionCallback, Fault.unknownInteraction());
        String interaction = fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "late fox"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        RecordedRequest card = awaitCard(job.jobId(), 1);
        assertTrue(card.content().contains(ALICE.mention()) && card.content().contains("could not answer"),
                card.content());
        backend.progress(job.jobId(), 1, 10);
        backend.finish(job.jobId());
        awaitEdit(idOf(card), 1, r -> r.hasFile("vqclip-" + job.jobId()));
        assertEquals(404, fake.requests(r -> r.isInteractionCallback() && r.path().contains(interaction))
                .get(0).status());
        assertTrue(fake.requests(r -> r.path().startsWith("webhooks/") && r.content() != null
                && r.content().contains(job.jobId())).isEmpty(), "no edit through the dead interaction token");
    }

    @Test
    void aPrivateAnswerToAnExpiredInteractionGoesByDirectMessageNeverToTheChannel() throws Exception {
        fake.failNext(RecordedRequest::isInteractionCallback, Fault.unknownInteraction());
        fake.sendSlashCommand(BOB, SlashCommand.of("info"));
        RecordedRequest dm = fake.awaitRequest("the answer in Bob's DMs", r -> r.isChannelMessagePost()
                && r.path().equals("channels/" + fake.directChannelId(BOB) + "/messages"), TIMEOUT);
        assertTrue(dm.content().contains("Running 0 of 1"), dm.content());
        Thread.sleep(500);
        assertTrue(fake.requests(r -> r.is("POST", "channels/" + FakeDiscord.CHANNEL_ID + "/messages")
                && r.content() != null && r.content().contains("Running")).isEmpty(), "nothing private in the channel");
    }

    @Test
    void aDeletedCardIsPostedAgainAndTheJobGoesOn() throws Exception {
        InMemoryImagineBackend.TestJob job = imagine(ALICE, "a fox that hides");
        RecordedRequest first = awaitCard(job.jobId(), 1);
        fake.deleteMessageAsUser(idOf(first));
        backend.progress(job.jobId(), 5, 100);
        RecordedRequest failed = fake.awaitRequest("edit of the deleted card",
                r -> r.isChannelMessageEdit() && r.messageId().equals(idOf(first)), TIMEOUT);
        assertEquals(404, failed.status());
        RecordedRequest second = awaitCard(job.jobId(), 2);
        assertNotEquals(idOf(first), idOf(second));
        assertTrue(second.content().contains("previous card was deleted") && second.content().contains(ALICE.mention()),
                second.content());
        assertTrue(second.hasFile("preview-"), "the new card shows the current preview");
        backend.finish(job.jobId());
        awaitEdit(idOf(second), 1, r -> r.hasFile("vqclip-" + job.jobId()));
        assertTrue(backend.cardMoves.contains(Map.entry(job.jobId(), new ReplyAddress(
                Long.toString(FakeDiscord.GUILD_ID), Long.toString(FakeDiscord.CHANNEL_ID), idOf(second)))));
    }

    @Test
    void aRateLimitedPreviewEditIsRetriedAndTheFinalArrives() throws Exception {
        InMemoryImagineBackend.TestJob job = imagine(ALICE, "a patient fox");
        String cardId = idOf(awaitCard(job.jobId(), 1));
        fake.failNext(r -> r.isChannelMessageEdit() && r.messageId().equals(cardId), Fault.rateLimited(1));
        backend.progress(job.jobId(), 20, 100);
        RecordedRequest limited = fake.awaitRequest("rate-limited edit",
                r -> r.isChannelMessageEdit() && r.messageId().equals(cardId), TIMEOUT);
        assertEquals(429, limited.status());
        RecordedRequest later = awaitEdit(cardId, 1, r -> r.content() != null && r.content().contains("step 20/100"));
        assertTrue(later.hasFile("preview-"), "the rate-limited preview arrives later, with its image");
        backend.progress(job.jobId(), 40, 100);
        backend.finish(job.jobId());
        RecordedRequest last = awaitEdit(cardId, 1, r -> r.hasFile("vqclip-" + job.jobId()));
        assertFalse(last.buttonIds().isEmpty());
        assertEquals(job.jobId(), fake.message(cardId).get("attachments").get(0).get("filename").asText()
                .replace("vqclip-", "").replace(".png", ""));
    }

    @Test
    void closedDirectMessagesEndTheCardAtOnceAndTheDeliveryIsRecordedFailed() throws Exception {
        String channelPost = "channels/" + FakeDiscord.CHANNEL_ID + "/messages";
        fake.failNext(r -> r.is("POST", channelPost) && r.content() != null && r.content().contains("no exit"),
                Fault.missingPermissions());
        fake.failNext(r -> r.isChannelMessagePost() && !r.path().equals(channelPost), Fault.cannotMessageUser());
        long invalidBefore = bot.invalidRequests();
        InMemoryImagineBackend.TestJob job = imagine(BOB, "no exit");
        String reason = backend.awaitDeliveryFailed(job.jobId(), TIMEOUT);
        assertTrue(reason.startsWith("50007"), reason);
        backend.progress(job.jobId(), 5, 10);
        backend.finish(job.jobId());
        Thread.sleep(PREVIEW_INTERVAL.toMillis() * 3);
        List<RecordedRequest> posts = fake.requests(r -> r.isChannelMessagePost() && r.content() != null
                && r.content().contains("`job " + job.jobId() + "`"));
        assertEquals(List.of(403, 403), posts.stream().map(RecordedRequest::status).toList(),
                "the channel (50013), then the DMs (50007), then nothing");
        assertEquals(2, bot.invalidRequests() - invalidBefore, "two 403s count as invalid requests");
        assertTrue(bot.invalidRequestsLastTenMinutes() >= 2);
    }

    @Test
    void decodeReadsTheOriginalAttachmentOfALinkedMessage() throws Exception {
        Finished done = finishedJob(BOB, "a hidden message");
        byte[] png = backend.resultImage(done.jobId).orElseThrow();
        String posted = fake.storeMessageWithAttachment(BOB, "found.png", png);
        String interaction = fake.sendSlashCommand(ALICE, SlashCommand.of("decode")
                .string("link", FakeDiscord.messageLink(posted)));
        String answer = awaitAnswer(interaction).content();
        assertTrue(answer.contains("job " + done.jobId + ": a hidden message"), answer);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private record Finished(String jobId, String cardId) {
    }

    private static Finished finishedJob(FakeUser user, String prompt) throws Exception {
        InMemoryImagineBackend.TestJob job = imagine(user, prompt);
        String cardId = idOf(awaitCard(job.jobId(), 1));
        backend.finish(job.jobId());
        awaitEdit(cardId, 1, r -> r.hasFile("vqclip-" + job.jobId()));
        return new Finished(job.jobId(), cardId);
    }

    private static InMemoryImagineBackend.TestJob imagine(FakeUser user, String prompt) throws Exception {
        fake.sendSlashCommand(user, SlashCommand.of("imagine").string("prompt", prompt));
        return backend.awaitSubmission(TIMEOUT);
    }

    private static RecordedRequest awaitCard(String jobId, int n) throws InterruptedException {
        return fake.awaitRequest("card #" + n + " of job " + jobId, n, r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && r.content().contains("`job " + jobId + "`"), TIMEOUT);
    }

    private static RecordedRequest awaitEdit(String cardId, int n, Predicate<RecordedRequest> which)
            throws InterruptedException {
        return fake.awaitRequest("edit #" + n + " of card " + cardId, n, r -> r.isChannelMessageEdit()
                && r.messageId().equals(cardId) && r.status() == 200 && which.test(r), TIMEOUT);
    }

    /** The ephemeral answer to an acknowledged interaction (an edit of its original response). */
    private static RecordedRequest awaitAnswer(String interactionId) throws InterruptedException {
        return fake.awaitAnswer(interactionId, TIMEOUT);
    }

    private static String idOf(RecordedRequest post) {
        return post.responseMessageId();
    }

    private static JsonNode command(RecordedRequest put, String name) {
        for (JsonNode c : put.payload()) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no command " + name);
    }
}
