package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import dev.vqclip.job.JobState;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Every command of {@link AccountCommands} and the cancel and ℹ buttons, clicked and typed through real JDA. */
class AccountCommandsTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void theCancelAndInfoButtonsWorkThroughDiscord() throws Exception {
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a lantern"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        String card = awaitCard(job.jobId());
        String info = answerTo(fake.sendButtonClick(BOB, card, CardButton.INFO.customId(job.jobId())));
        assertTrue(info.contains("prompt: a lantern"), "ℹ is open to everyone: " + info);
        String cancel = answerTo(fake.sendButtonClick(ALICE, card, CardButton.CANCEL.customId(job.jobId())));
        assertTrue(cancel.contains("Cancelled job `" + job.jobId() + "`"), cancel);
        fake.awaitRequest("the card shows the cancel", r -> r.isChannelMessageEdit() && r.messageId().equals(card)
                && r.content() != null && r.content().contains("cancelled by " + ALICE.mention()), TIMEOUT);
        assertEquals(JobState.CANCELLED, backend.job(job.jobId()).orElseThrow().status());
    }

    @Test
    void everyAccountCommandAnswers() throws Exception {
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a first lantern"));
        InMemoryImagineBackend.TestJob first = backend.awaitSubmission(TIMEOUT);
        String firstCard = awaitCard(first.jobId());
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a second lantern"));
        InMemoryImagineBackend.TestJob second = backend.awaitSubmission(TIMEOUT);
        awaitCard(second.jobId());

        String queue = answer(ALICE, SlashCommand.of("queue"));
        assertTrue(queue.contains("`" + first.jobId() + "` queued") && queue.contains("a second lantern"), queue);
        String info = answer(ALICE, SlashCommand.of("info"));
        assertTrue(info.startsWith("Running 0 of 1 · queued 2 of 5"), info);
        String cancelNewest = answer(ALICE, SlashCommand.of("cancel"));
        assertTrue(cancelNewest.contains("Cancelled job"), cancelNewest);
        String cancelOther = answer(BOB, SlashCommand.of("cancel").string("job", first.jobId()));
        assertTrue(cancelOther.contains("Only the job's owner"), cancelOther);
        backend.finish(first.jobId());
        fake.awaitRequest("final image", r -> r.isChannelMessageEdit() && r.messageId().equals(firstCard)
                && r.hasFile("vqclip-" + first.jobId()), TIMEOUT);
        String history = answer(ALICE, SlashCommand.of("history"));
        assertTrue(history.contains("`" + first.jobId() + "` done") && history.contains("<t:"), history);
        String show = answer(ALICE, SlashCommand.of("show").string("job", first.jobId()));
        assertTrue(show.contains("is back below"), show);
        awaitCard(first.jobId(), 2);
        byte[] png = backend.resultImage(first.jobId()).orElseThrow();
        String decode = answer(BOB, SlashCommand.of("decode").attachment("image", "mine.png", png));
        assertTrue(decode.contains("job " + first.jobId() + ": a first lantern"), decode);
        String nothing = answer(BOB, SlashCommand.of("decode"));
        assertTrue(nothing.contains("give an image or a link"), nothing);
    }

    private String awaitCard(String jobId) throws InterruptedException {
        return awaitCard(jobId, 1);
    }

    private String awaitCard(String jobId, int n) throws InterruptedException {
        Predicate<RecordedRequest> card = r -> r.isChannelMessagePost() && r.succeeded() && r.content() != null
                && r.content().contains("`job " + jobId + "`");
        return fake.awaitRequest("card #" + n + " of " + jobId, n, card, TIMEOUT).responseMessageId();
    }

    private String answer(FakeUser user, SlashCommand command) throws InterruptedException {
        return answerTo(fake.sendSlashCommand(user, command));
    }

    private String answerTo(String interaction) throws InterruptedException {
        return fake.awaitAnswer(interaction, TIMEOUT).content();
    }
}
