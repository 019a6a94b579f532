package dev.vqclip.app;

import dev.vqclip.contest.ContestService;
import dev.vqclip.discord.DiscordBot;
import dev.vqclip.discord.DiscordConfig;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.Showcase;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.provenance.ProvenanceReader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Starts the Discord bot on the scheduler: what {@code vqclip serve} calls once its job service is up. */
public final class DiscordWiring {
    /** How often contest deadlines are checked: a phase ends at most this long after its time. */
    static final Duration CONTEST_TICK = Duration.ofSeconds(15);

    private DiscordWiring() {
    }

    /**
     * Connects the bot (blocks until it is ready and its commands are registered); close the returned bot to stop it.
     *
     * @param parser parses prompts with the CLIP model's token budget and the operators' moderation policy
     */
    public static DiscordBot start(DiscordConfig config, JobService jobs, JobEvents events, BotDefaults defaults,
                                   PromptParser parser, Clock clock) throws InterruptedException {
        return start(config, jobs, events, defaults, parser, null, clock);
    }

    /** @param uploads where attached init/target images are kept for the workers; null refuses attachments */
    public static DiscordBot start(DiscordConfig config, JobService jobs, JobEvents events, BotDefaults defaults,
                                   PromptParser parser, UploadFolder uploads, Clock clock) throws InterruptedException {
        return start(config, jobs, events, defaults, parser, uploads, null, List.of(), null, clock);
    }

    /**
     * @param contests the prompt contests the bot runs (see {@link ContestWiring}); null for none
     * @param privateChannels guild channels whose jobs stay off the public web pages (direct messages always do)
     * @param timelapses where the workers keep timelapses, offered behind the card's 🎞 button; null for none
     */
    public static DiscordBot start(DiscordConfig config, JobService jobs, JobEvents events, BotDefaults defaults,
                                   PromptParser parser, UploadFolder uploads, ContestService contests,
                                   List<String> privateChannels, Showcase timelapses, Clock clock)
            throws InterruptedException {
        if (!defaults.models().containsAll(config.models())) {
            throw new IllegalArgumentException("the bot offers models " + config.models()
                    + " but only " + defaults.models() + " may be rendered; offer only allowed models");
        }
        return DiscordBot.start(config, new DiscordJobBackend(jobs, events, defaults, parser, new ProvenanceReader(), uploads)
                .withPrivateChannels(privateChannels).withTimelapses(timelapses), contests, CONTEST_TICK, clock);
    }
}
