package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static dev.vqclip.discord.fake.FakeDiscord.GUILD_A;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What counts as asking the bot in a message, through real JDA and the fake Discord. */
class MentionTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void aReplyToACardPingsTheBotButIsNoPrompt() throws Exception {
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a harbour"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        String card = fake.awaitRequest("card", r -> r.isChannelMessagePost() && r.succeeded(), TIMEOUT)
                .responseMessageId();
        String reply = fake.sendReply(BOB, card, "wow, lovely");
        // a mention sent after the reply is answered; by then the reply was handled (events come in order)
        fake.sendMention(ALICE, "<@" + FakeDiscord.BOT_ID + "> a second harbour");
        assertEquals("a second harbour", backend.awaitSubmission(TIMEOUT).prompt());
        assertFalse(backend.hasPendingSubmissions());
        assertTrue(fake.requests(r -> r.isChannelMessagePost() && r.payload() != null
                && r.payload().has("message_reference")
                && r.payload().get("message_reference").get("message_id").asText().equals(reply)).isEmpty(),
                "no answer to a reply: " + job.jobId());
    }

    @Test
    void aMentionOfTheBotsRoleIsAPrompt() throws Exception {
        fake.sendRoleMention(BOB, "<@&" + FakeDiscord.botRoleId(GUILD_A) + "> a lighthouse by the role");
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        assertEquals("a lighthouse by the role", job.prompt());
    }

    @Test
    void anImageAttachedToAMentionIsTheInitImage() throws Exception {
        byte[] png = InMemoryImagineBackend.png(3, 16);
        fake.sendMentionWithAttachment(BOB, "<@" + FakeDiscord.BOT_ID + "> make it glow", "start.png", png);
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        assertEquals("make it glow", job.prompt());
        assertEquals("start.png", job.options().initImage().filename());
        assertArrayEquals(png, job.options().initImage().bytes());
    }

    @Test
    void aRefusedMentionGetsAShortReply() throws Exception {
        backend.refusal = "the queue is paused by an operator; try again later";
        String mention = fake.sendMention(BOB, "<@" + FakeDiscord.BOT_ID + "> a storm");
        RecordedRequest answer = fake.awaitRequest("reply to the mention", r -> r.isChannelMessagePost()
                && r.payload() != null && r.payload().has("message_reference")
                && r.payload().get("message_reference").get("message_id").asText().equals(mention), TIMEOUT);
        assertTrue(answer.content().contains("paused"), answer.content());
        assertTrue(answer.content().length() < 200, answer.content());
    }

    @Test
    void aMentionThatCannotBeUsedGetsAShortReplyNotSilence() throws Exception {
        byte[] huge = new byte[ImageInput.MAX_BYTES + 1];
        String mention = fake.sendMentionWithAttachment(BOB, "<@" + FakeDiscord.BOT_ID + "> from this", "big.png", huge);
        RecordedRequest answer = fake.awaitRequest("reply to the mention", r -> r.isChannelMessagePost()
                && r.payload() != null && r.payload().has("message_reference")
                && r.payload().get("message_reference").get("message_id").asText().equals(mention), TIMEOUT);
        assertTrue(answer.content().contains("larger than 10 MiB"), answer.content());
    }
}
