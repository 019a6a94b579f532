package dev.vqclip.discord;

import dev.vqclip.discord.fake.FakeDiscord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The setup most bot tests share, for a test class to extend: before each test a loopback Discord ({@link #fake}),
 * the in-memory job system ({@link #backend}) and a real {@link DiscordBot} connected to both (200 ms between card
 * edits, one model offered); after it, the bot and then the fake are closed.
 */
abstract class BotOnFakeDiscord {
    static final String MODEL = "vqgan_imagenet_f16_16384";

    FakeDiscord fake;
    InMemoryImagineBackend backend;
    private DiscordBot bot;

    /** The users who may change the global settings: nobody, unless a test class says otherwise. */
    List<String> botOwnerIds() {
        return List.of();
    }

    @BeforeEach
    final void startBotOnFakeDiscord() throws Exception {
        fake = new FakeDiscord();
        backend = new InMemoryImagineBackend();
        DiscordConfig config = new DiscordConfig(new BotToken(FakeDiscord.TOKEN), List.of(), Duration.ofMillis(200),
                Map.of(), List.of(MODEL), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()), botOwnerIds());
        bot = DiscordBot.start(config, backend, Clock.systemUTC());
    }

    @AfterEach
    final void stopBotOnFakeDiscord() throws Exception {
        try {
            if (bot != null) {
                bot.close();
            }
        } finally {
            fake.close();
        }
    }
}
