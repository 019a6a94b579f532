package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static dev.vqclip.discord.fake.FakeDiscord.CAROL;
import static dev.vqclip.discord.fake.FakeDiscord.GUILD_A;
import static dev.vqclip.discord.fake.FakeDiscord.GUILD_B;
import static dev.vqclip.discord.fake.FakeDiscord.MODERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.FakeGuild;
import dev.vqclip.discord.fake.FakeUser;
import dev.vqclip.discord.fake.SlashCommand;
import dev.vqclip.job.JobState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An administrator and moderator of server A (Mo) tries every power on server B's jobs and settings, through real
 * JDA and the fake Discord, and is refused; Carol, B's administrator, likewise on A. Bot owners (Alice here) alone
 * reach the global settings.
 */
class CrossServerPowersTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Override
    List<String> botOwnerIds() {
        return List.of(Long.toString(ALICE.id()));
    }

    @Test
    void everyAdminCommandOfServerAChangesServerAOnly() throws Exception {
        List<SlashCommand> commands = List.of(
                SlashCommand.of("admin").subcommand("pause"),
                SlashCommand.of("admin").subcommand("resume"),
                SlashCommand.of("admin").subcommand("ban").user("user", ALICE),
                SlashCommand.of("admin").subcommand("unban").user("user", ALICE),
                SlashCommand.of("admin").subcommand("limits").integer("max_queued", 1),
                SlashCommand.of("admin").subcommand("block").string("word", "fog"),
                SlashCommand.of("admin").subcommand("unblock").string("word", "fog"));
        for (SlashCommand command : commands) {
            answer(MODERATOR, command, GUILD_A);
        }
        assertEquals(7, backend.adminCommands.size());
        assertEquals(List.of(Long.toString(GUILD_A.id())), backend.adminScopes.stream().distinct().toList(),
                "every /admin of server A was for server A");
        for (SlashCommand command : commands) {
            answer(CAROL, command, GUILD_B);
        }
        assertEquals(List.of(Long.toString(GUILD_A.id()), Long.toString(GUILD_B.id())),
                backend.adminScopes.stream().distinct().toList());
    }

    @Test
    void theGlobalSettingsAreOnlyForBotOwners() throws Exception {
        String refused = answer(MODERATOR, SlashCommand.of("admin").subcommand("pause").bool("global", true), GUILD_A);
        assertTrue(refused.contains("Only the bot's owners"), refused);
        String carol = answer(CAROL, SlashCommand.of("admin").subcommand("block").string("word", "x").bool("global", true),
                GUILD_B);
        assertTrue(carol.contains("Only the bot's owners"), carol);
        assertTrue(backend.adminScopes.isEmpty(), "nothing ran: " + backend.adminScopes);

        // Alice owns the bot: she needs no Manage Server for the global settings
        answer(ALICE, SlashCommand.of("admin").subcommand("pause").bool("global", true), GUILD_B);
        assertEquals(List.of("global"), backend.adminScopes);
        String scoped = answer(ALICE, SlashCommand.of("admin").subcommand("pause"), GUILD_B);
        assertTrue(scoped.contains("Manage Server"), "without global an owner is an ordinary member: " + scoped);
    }

    @Test
    void aModeratorOfServerACannotCancelOrShowServerBsJobs() throws Exception {
        InMemoryImagineBackend.TestJob inB = imagine(ALICE, "a lighthouse in B", GUILD_B);
        awaitCard(inB.jobId());
        String cancel = answer(MODERATOR, SlashCommand.of("cancel").string("job", inB.jobId()), GUILD_A);
        assertTrue(cancel.contains("Only the job's owner or a moderator"), cancel);
        String show = answer(MODERATOR, SlashCommand.of("show").string("job", inB.jobId()), GUILD_A);
        assertTrue(show.contains("Only " + ALICE.mention()), show);
        assertEquals(JobState.QUEUED, backend.job(inB.jobId()).orElseThrow().status());

        InMemoryImagineBackend.TestJob inA = imagine(ALICE, "a lighthouse in A", GUILD_A);
        awaitCard(inA.jobId());
        String cancelA = answer(MODERATOR, SlashCommand.of("cancel").string("job", inA.jobId()), GUILD_A);
        assertTrue(cancelA.contains("Cancelled"), "his own server's job: " + cancelA);
        String carol = answer(CAROL, SlashCommand.of("show").string("job", inA.jobId()), GUILD_B);
        assertTrue(carol.contains("Only " + ALICE.mention()), "B's administrator on A's job: " + carol);
    }

    @Test
    void decodeReadsOnlyChannelsThePersonCanSee() throws Exception {
        byte[] png = InMemoryImagineBackend.png(7, 16);
        String inB = fake.storeMessageWithAttachment(CAROL, "b.png", png, GUILD_B);
        String mo = answer(MODERATOR, SlashCommand.of("decode").string("link", FakeDiscord.messageLink(GUILD_B, inB)),
                GUILD_A);
        assertTrue(mo.contains("channels you can read"), "Mo is not in server B: " + mo);
        String inA = fake.storeMessageWithAttachment(ALICE, "a.png", png, GUILD_A);
        String carol = answer(CAROL, SlashCommand.of("decode").string("link", FakeDiscord.messageLink(GUILD_A, inA)),
                GUILD_B);
        assertTrue(carol.contains("channels you can read"), "Carol is not in server A: " + carol);
        assertTrue(fake.requests(r -> r.is("GET", "channels/\\d+/messages/(" + inA + "|" + inB + ")")).isEmpty(),
                "the bot never fetched the hidden messages");

        String alice = answer(ALICE, SlashCommand.of("decode").string("link", FakeDiscord.messageLink(GUILD_B, inB)),
                GUILD_A);
        assertTrue(alice.contains("no vqclip recipe in b.png"), "Alice is in both servers: " + alice);
    }

    private InMemoryImagineBackend.TestJob imagine(FakeUser user, String prompt, FakeGuild guild) throws Exception {
        fake.sendSlashCommand(user, SlashCommand.of("imagine").string("prompt", prompt), guild);
        return backend.awaitSubmission(TIMEOUT);
    }

    private void awaitCard(String jobId) throws InterruptedException {
        fake.awaitRequest("card of job " + jobId, r -> r.isChannelMessagePost() && r.succeeded()
                && r.content() != null && r.content().contains("`job " + jobId + "`"), TIMEOUT);
    }

    /** Sends the command and returns the ephemeral answer's text. */
    private String answer(FakeUser user, SlashCommand command, FakeGuild guild) throws InterruptedException {
        String interaction = fake.sendSlashCommand(user, command, guild);
        return fake.awaitAnswer(interaction, TIMEOUT).content();
    }
}
