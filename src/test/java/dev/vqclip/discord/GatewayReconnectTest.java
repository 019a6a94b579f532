package dev.vqclip.discord;

import static dev.vqclip.discord.fake.FakeDiscord.ALICE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vqclip.discord.fake.FakeDiscord;
import dev.vqclip.discord.fake.RecordedRequest;
import dev.vqclip.discord.fake.SlashCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bot keeps answering after Discord asks it to reconnect (op 7) or invalidates its session (op 9). */
class GatewayReconnectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private FakeDiscord fake;
    private DiscordBot bot;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeDiscord();
        DiscordConfig config = new DiscordConfig(new BotToken(FakeDiscord.TOKEN), List.of(), Duration.ofMillis(200),
                Map.of(), List.of("vqgan_imagenet_f16_16384"), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()));
        bot = DiscordBot.start(config, new InMemoryImagineBackend(), Clock.systemUTC());
    }

    @AfterEach
    void stop() throws Exception {
        if (bot != null) {
            bot.close();
        }
        fake.close();
    }

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
        RecordedRequest ack = fake.awaitRequest("ack of " + interaction,
                r -> r.isInteractionCallback() && r.path().contains(interaction), TIMEOUT);
        String token = ack.path().split("/")[2];
        return fake.awaitRequest("answer to " + interaction,
                r -> r.is("PATCH", "webhooks/\\d+/" + token + "/messages/@original"), TIMEOUT).content();
    }
}
