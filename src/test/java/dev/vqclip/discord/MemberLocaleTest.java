package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.ELODIE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Replies and cards speak the language of the member's Discord client where the bot has a translation. */
class MemberLocaleTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Test
    void aFrenchMembersCardAndRefusalsAreInFrench() throws Exception {
        fake.sendSlashCommand(ELODIE, SlashCommand.of("imagine").string("prompt", "un phare"));
        InMemoryImagineBackend.TestJob job = backend.awaitSubmission(TIMEOUT);
        RecordedRequest card = fake.awaitRequest("card", r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && r.content().contains("`job " + job.jobId() + "`"), TIMEOUT);
        assertTrue(card.content().contains("⏳ en attente · position 1"), card.content());
        String cardId = card.responseMessageId();
        backend.progress(job.jobId(), 3, 10);
        assertTrue(awaitEdit(cardId, r -> r.content().contains("🎨 étape 3/10")).content().contains("perte"));
        backend.finish(job.jobId());
        awaitEdit(cardId, r -> r.content().contains("✅ terminé · graine 42"));

        String refusal = answer(ELODIE, SlashCommand.of("cancel").string("job", "j999"));
        assertTrue(refusal.contains("Il n'y a pas de tâche `j999`"), refusal);
        String english = answer(ALICE, SlashCommand.of("cancel").string("job", "j999"));
        assertTrue(english.contains("There is no job `j999`"), english);

        String click = fake.sendButtonClick(ALICE, cardId, CardButton.REROLL.customId(job.jobId()));
        String buttons = answerTo(click);
        assertTrue(buttons.contains("Only " + ELODIE.mention()), "Alice's client is English: " + buttons);
        fake.sendSlashCommand(ALICE, SlashCommand.of("imagine").string("prompt", "a lighthouse"));
        InMemoryImagineBackend.TestJob alices = backend.awaitSubmission(TIMEOUT);
        String alicesCard = fake.awaitRequest("Alice's card", r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && r.content().contains("`job " + alices.jobId() + "`"), TIMEOUT).responseMessageId();
        String byElodie = answerTo(fake.sendButtonClick(ELODIE, alicesCard, CardButton.CANCEL.customId(alices.jobId())));
        assertTrue(byElodie.contains("Seul " + ALICE.mention()), byElodie);
    }

    private RecordedRequest awaitEdit(String cardId, Predicate<RecordedRequest> which) throws InterruptedException {
        return fake.awaitRequest("edit of " + cardId, r -> r.isChannelMessageEdit() && r.messageId().equals(cardId)
                && r.status() == 200 && r.content() != null && which.test(r), TIMEOUT);
    }

    private String answer(FakeUser user, SlashCommand command) throws InterruptedException {
        return answerTo(fake.sendSlashCommand(user, command));
    }

    private String answerTo(String interaction) throws InterruptedException {
        return fake.awaitAnswer(interaction, TIMEOUT).content();
    }
}
