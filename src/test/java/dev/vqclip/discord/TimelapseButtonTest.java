package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import dev.vqclip.job.Timelapse;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The card's 🎞 button, clicked through real JDA against the loopback Discord: the run's GIF, privately. */
class TimelapseButtonTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** A real animated GIF, made by the same encoder the workers use. */
    private static byte[] gif() {
        Timelapse t = new Timelapse(8, 32);
        for (int k = 0; k < 3; k++) {
            t.add(frame(k));
        }
        return t.finish(frame(9)).orElseThrow().bytes();
    }

    private static BufferedImage frame(int k) {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8 + k * 25) << 16 | (y * 8) << 8 | (k * 40));
            }
        }
        return img;
    }

    @Test
    void aFinishedJobWithATimelapseOffersItAndTheClickAnswersPrivatelyWithTheGif() throws Exception {
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a lantern"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        String card = awaitCard(job.jobId());
        byte[] gif = gif();
        backend.finish(job.jobId(), gif);
        String button = CardButton.TIMELAPSE.customId(job.jobId());
        fake.awaitRequest("the finished card offers 🎞", r -> r.isChannelMessageEdit() && r.messageId().equals(card)
                && r.buttonIds().contains(button), TIMEOUT);

        String click = fake.sendButtonClick(BOB, card, button);
        RecordedRequest ack = fake.awaitAck(click, TIMEOUT);
        assertEquals(64, ack.payload().path("data").path("flags").asInt() & 64, "the answer is ephemeral: " + ack.payload());
        RecordedRequest answer = fake.awaitAnswer(click, TIMEOUT);
        assertTrue(answer.content().contains("Timelapse of job `" + job.jobId() + "`"), answer.content());
        String name = "vqclip-" + job.jobId() + "-timelapse.gif";
        assertEquals(List.of(name), answer.filenames(), "one file attached");
        byte[] file = answer.file(name);
        assertEquals("GIF89a", new String(Arrays.copyOf(file, 6), StandardCharsets.US_ASCII));
        assertArrayEquals(gif, file, "the stored timelapse, byte for byte");
    }

    @Test
    void aJobWithoutATimelapseHasNoButtonAndAStaleClickSaysSo() throws Exception {
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a quick lantern"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        String card = awaitCard(job.jobId());
        backend.finish(job.jobId());
        RecordedRequest done = fake.awaitRequest("the finished card", r -> r.isChannelMessageEdit()
                && r.messageId().equals(card) && r.buttonIds().contains(CardButton.REROLL.customId(job.jobId())), TIMEOUT);
        assertFalse(done.buttonIds().contains(CardButton.TIMELAPSE.customId(job.jobId())), done.buttonIds().toString());

        String click = fake.sendButtonClick(ALICE, card, CardButton.TIMELAPSE.customId(job.jobId()));
        RecordedRequest answer = fake.awaitAnswer(click, TIMEOUT);
        assertTrue(answer.content().contains("no timelapse for this job"), answer.content());
        assertTrue(answer.filenames().isEmpty(), answer.filenames().toString());
    }

    private String awaitCard(String jobId) throws InterruptedException {
        return fake.awaitRequest("card of " + jobId, r -> r.isChannelMessagePost() && r.succeeded() && r.content() != null
                && r.content().contains("`job " + jobId + "`"), TIMEOUT).responseMessageId();
    }
}
