package dev.vqclip.discord;

import dev.vqclip.discord.fake.FakeDiscord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The setup most bot tests share: a loopback Discord, the in-memory job system, and a real {@link DiscordBot}
 * connected to both (200 ms between card edits, one model offered). Closing it stops the bot, then the fake.
 */
final class BotOnFakeDiscord implements AutoCloseable {
    static final String MODEL = "vqgan_imagenet_f16_16384";

    final FakeDiscord fake;
    final InMemoryImagineBackend backend;
    final DiscordBot bot;

    private BotOnFakeDiscord(FakeDiscord fake, InMemoryImagineBackend backend, DiscordBot bot) {
        this.fake = fake;
        this.backend = backend;
        this.bot = bot;
    }

    /** A bot without owners: nobody reaches the global settings. */
    static BotOnFakeDiscord start() throws Exception {
        return start(List.of());
    }

    /** @param botOwnerIds the users who may change the global settings */
    static BotOnFakeDiscord start(List<String> botOwnerIds) throws Exception {
        FakeDiscord fake = new FakeDiscord();
        try {
            InMemoryImagineBackend backend = new InMemoryImagineBackend();
            DiscordConfig config = new DiscordConfig(new BotToken(FakeDiscord.TOKEN), List.of(), Duration.ofMillis(200),
                    Map.of(), List.of(MODEL), new DiscordEndpoints(fake.restBaseUrl(), fake.gatewayUrl()), botOwnerIds);
            return new BotOnFakeDiscord(fake, backend, DiscordBot.start(config, backend, Clock.systemUTC()));
        } catch (Exception | Error e) {
            fake.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            bot.close();
        } finally {
            fake.close();
        }
    }
}
