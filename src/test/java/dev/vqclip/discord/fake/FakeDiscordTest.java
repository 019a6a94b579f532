package dev.vqclip.discord.fake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.concrete.TextChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.FileUpload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Discord is only useful if real JDA accepts it: log in, cache the guild, and do REST against it. */
class FakeDiscordTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static FakeDiscord fake;
    private static JDA jda;

    @BeforeAll
    static void logIn() throws Exception {
        fake = new FakeDiscord();
        String gateway = fake.gatewayUrl();
        jda = JDABuilder.createLight("fake-token", EnumSet.of(GatewayIntent.GUILD_MESSAGES))
                .setRestConfig(new RestConfig().setBaseUrl(fake.restBaseUrl()))
                .setSessionController(new ConcurrentSessionController() {
                    @Override
                    public String getGateway() {
                        return gateway;
                    }
                })
                .build();
        jda.awaitReady();
    }

    @AfterAll
    static void shutDown() throws Exception {
        jda.shutdownNow();
        jda.awaitShutdown(Duration.ofSeconds(5));
        fake.close();
    }

    @Test
    void jdaLogsInAndCachesTheGuildWithItsChannelAndRoles() {
        assertEquals(FakeDiscord.BOT_ID, jda.getSelfUser().getIdLong());
        TextChannel channel = jda.getTextChannelById(FakeDiscord.CHANNEL_ID);
        assertEquals("imagine", channel.getName());
        assertEquals("moderators", jda.getRoleById(FakeDiscord.MODERATOR_ROLE_ID).getName());
    }

    @Test
    void commandRegistrationIsEchoedWithIds() throws Exception {
        var registered = jda.updateCommands().addCommands(Commands.slash("ping", "Ping")).submit().get();
        assertEquals("ping", registered.get(0).getName());
        assertTrue(registered.get(0).getIdLong() > 0);
    }

    @Test
    void messagesAreCreatedEditedWithReplacedAttachmentsAndDeleted() throws Exception {
        TextChannel channel = jda.getTextChannelById(FakeDiscord.CHANNEL_ID);
        Message sent = channel.sendMessage("hello").addFiles(FileUpload.fromData(new byte[] {1, 2, 3}, "a.png"))
                .submit().get();
        Message edited = channel.editMessageById(sent.getId(), "edited")
                .setFiles(FileUpload.fromData(new byte[] {4, 5}, "b.png")).submit().get();
        assertEquals("edited", edited.getContentRaw());
        assertEquals(1, edited.getAttachments().size());
        assertEquals("b.png", edited.getAttachments().get(0).getFileName());
        byte[] downloaded = edited.getAttachments().get(0).getProxy().download().get().readAllBytes();
        assertArrayEquals(new byte[] {4, 5}, downloaded);

        channel.deleteMessageById(sent.getId()).submit().get();
        assertNull(fake.message(sent.getId()));
        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> channel.editMessageById(sent.getId(), "again").submit().get());
        assertEquals(ErrorResponse.UNKNOWN_MESSAGE, ((ErrorResponseException) gone.getCause()).getErrorResponse());
    }

    @Test
    void aRateLimitedEditIsRetriedByJda() throws Exception {
        TextChannel channel = jda.getTextChannelById(FakeDiscord.CHANNEL_ID);
        Message sent = channel.sendMessage("first").submit().get();
        fake.failNext(r -> r.isChannelMessageEdit() && r.messageId().equals(sent.getId()), Fault.rateLimited(1));
        Message edited = channel.editMessageById(sent.getId(), "second").submit().get();
        assertEquals("second", edited.getContentRaw());
        var edits = fake.requests(r -> r.isChannelMessageEdit() && r.messageId().equals(sent.getId()));
        assertEquals(429, edits.get(0).status());
        assertEquals(200, edits.get(1).status());
    }
}
