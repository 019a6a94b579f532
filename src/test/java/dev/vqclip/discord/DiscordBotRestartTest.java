package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A restart of the bot (a new DiscordBot on the same fake Discord and job system): the cards of jobs that are
 * still running or whose final state was never delivered are edited in place, not posted again.
 */
class DiscordBotRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PREVIEW_INTERVAL = Duration.ofMillis(400);

    private final InMemoryImagineBackend backend = new InMemoryImagineBackend();
    private FakeDiscord fake;

    @AfterEach
    void stop() throws Exception {
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void afterARestartRunningAndUndeliveredJobsEditTheirOwnCardsAndADeletedCardIsPostedAgain() throws Exception {
        fake = new FakeDiscord();
        InMemoryImagineBackend.TestJob running;
        InMemoryImagineBackend.TestJob finishedAway;
        InMemoryImagineBackend.TestJob deletedAway;
        String runningCard;
        String finishedCard;
        String deletedCard;
        try (DiscordBot before = start()) {
            running = imagine(ALICE, "a fox that keeps running");
            runningCard = idOf(awaitCard(running.jobId(), 1));
            backend.progress(running.jobId(), 10, 100);
            awaitEdit(runningCard, r -> r.hasFile("preview-") && r.content().contains("step 10/100"));
            finishedAway = imagine(BOB, "a fox finished while the bot was away");
            finishedCard = idOf(awaitCard(finishedAway.jobId(), 1));
            deletedAway = imagine(ALICE, "a fox whose card is deleted while the bot was away");
            deletedCard = idOf(awaitCard(deletedAway.jobId(), 1));
            // the bot records each card's address just after posting it: let it, before "crashing"
            backend.awaitCardRecorded(running.jobId(), runningCard, TIMEOUT);
            backend.awaitCardRecorded(finishedAway.jobId(), finishedCard, TIMEOUT);
            backend.awaitCardRecorded(deletedAway.jobId(), deletedCard, TIMEOUT);
        }

        // while no bot listens: progress and a finish happen, and a user deletes a card
        backend.progress(running.jobId(), 30, 100);
        backend.finish(finishedAway.jobId());
        fake.deleteMessageAsUser(deletedCard);
        assertTrue(backend.deliveries.isEmpty(), "nothing was delivered before the restart");

        try (DiscordBot after = start()) {
            RecordedRequest finalEdit = awaitEdit(finishedCard, r -> r.hasFile("vqclip-" + finishedAway.jobId()));
            assertTrue(finalEdit.content().contains("done"), finalEdit.content());
            backend.awaitDelivered(finishedAway.jobId(), TIMEOUT);
            assertEquals(Map.entry(finishedAway.jobId(), address(finishedCard)), backend.deliveries.get(0));

            // the running card shows the progress made while the bot was away, then follows the job again
            awaitEdit(runningCard, r -> r.content().contains("step 30/100"));
            backend.progress(running.jobId(), 60, 100);
            awaitEdit(runningCard, r -> r.hasFile("preview-") && r.content().contains("step 60/100"));
            backend.finish(running.jobId());
            awaitEdit(runningCard, r -> r.hasFile("vqclip-" + running.jobId()));
            backend.awaitDelivered(running.jobId(), TIMEOUT);

            // the deleted card (10008 on the take-over edit) comes back as a new message that the job then edits
            String reposted = idOf(awaitCard(deletedAway.jobId(), 2));
            assertNotEquals(deletedCard, reposted);
            backend.finish(deletedAway.jobId());
            awaitEdit(reposted, r -> r.hasFile("vqclip-" + deletedAway.jobId()));
            backend.awaitDelivered(deletedAway.jobId(), TIMEOUT);
            assertEquals(address(reposted), backend.job(deletedAway.jobId()).orElseThrow().reply());

            assertEquals(1, cardPosts(running.jobId()), "the running job's card was never posted again");
            assertEquals(1, cardPosts(finishedAway.jobId()), "the finished job's card was never posted again");
            assertEquals(List.of(), backend.openCards(), "every card was delivered");
        }
    }

    @Test
    void aCardInDirectMessagesIsEditedInPlaceAfterARestart() throws Exception {
        fake = new FakeDiscord();
        InMemoryImagineBackend.TestJob job;
        String card;
        try (DiscordBot before = start()) {
            fake.sendDirectSlashCommand(BOB, SlashCommand.of("imagine").string("prompt", "a fox in my DMs"));
            job = backend.awaitSubmission(TIMEOUT);
            RecordedRequest post = awaitCard(job.jobId(), 1);
            assertEquals("channels/" + fake.directChannelId(BOB) + "/messages", post.path(), "the card is in Bob's DMs");
            card = idOf(post);
            backend.awaitCardRecorded(job.jobId(), card, TIMEOUT);
            assertEquals(new ReplyAddress(null, Long.toString(fake.directChannelId(BOB)), card),
                    backend.job(job.jobId()).orElseThrow().reply(), "the DM channel is stored with the card");
        }
        backend.progress(job.jobId(), 40, 100);
        try (DiscordBot after = start()) {
            awaitEdit(card, r -> r.content().contains("step 40/100"));
            backend.finish(job.jobId());
            awaitEdit(card, r -> r.hasFile("vqclip-" + job.jobId()));
            backend.awaitDelivered(job.jobId(), TIMEOUT);
            assertEquals(1, cardPosts(job.jobId()), "the DM card was never posted again");
        }
    }

    private DiscordBot start() throws InterruptedException {
        DiscordConfig config = new DiscordConfig(new BotToken("fake-token"), List.of(), PREVIEW_INTERVAL, Map.of(),
                List.of("vqgan_imagenet_f16_16384"), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
        return DiscordBot.start(config, backend, Clock.systemUTC());
    }

    private InMemoryImagineBackend.TestJob imagine(FakeUser user, String prompt) throws Exception {
        fake.sendSlashCommand(user, SlashCommand.of("imagine").string("prompt", prompt));
        return backend.awaitSubmission(TIMEOUT);
    }

    private RecordedRequest awaitCard(String jobId, int n) throws InterruptedException {
        return fake.awaitRequest("card #" + n + " of job " + jobId, n, cardPost(jobId), TIMEOUT);
    }

    private long cardPosts(String jobId) {
        return fake.requests(cardPost(jobId)).size();
    }

    private static Predicate<RecordedRequest> cardPost(String jobId) {
        return r -> r.isChannelMessagePost() && r.succeeded() && r.content() != null
                && r.content().contains("`job " + jobId + "`");
    }

    private RecordedRequest awaitEdit(String cardId, Predicate<RecordedRequest> which) throws InterruptedException {
        return fake.awaitRequest("an edit of card " + cardId, 1, r -> r.isChannelMessageEdit()
                && r.messageId().equals(cardId) && r.status() == 200 && which.test(r), TIMEOUT);
    }

    private static ReplyAddress address(String cardId) {
        return new ReplyAddress(Long.toString(FakeDiscord.GUILD_ID), Long.toString(FakeDiscord.CHANNEL_ID), cardId);
    }

    private static String idOf(RecordedRequest post) {
        return post.responseMessageId();
    }
}
