package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.SlashCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bot keeps answering after Discord asks it to reconnect (op 7) or invalidates its session (op 9). */
class GatewayReconnectTest extends BotOnFakeDiscord {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void afterReconnectAndInvalidSessionTheBotStillAnswers() throws Exception {
        fake.sendReconnect();
        fake.awaitGatewayOp(6, 1, TIMEOUT);
        assertTrue(answer().startsWith("Running"), "after a resume");
        fake.sendInvalidSession(false);
        fake.awaitGatewayOp(2, 2, TIMEOUT);
        Thread.sleep(500); // READY and the guilds are dispatched right after the identify
        assertTrue(answer().startsWith("Running"), "after a new identify");
    }

    private String answer() throws InterruptedException {
        String interaction = fake.sendSlashCommand(ALICE, SlashCommand.of("info"));
        return fake.awaitAnswer(interaction, TIMEOUT).content();
    }
}
