package dev.vqclip.app;

import dev.vqclip.discord.ImagineOptions;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobService;
import dev.vqclip.job.MentionLog;
import dev.vqclip.prompt.PromptParser;
import dev.vqclip.twitter.XBot;
import dev.vqclip.twitter.XConfig;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * Starts the X adapter on the scheduler: a mention's prompt becomes a recipe exactly like a Discord /imagine without
 * options (same parser, moderation, defaults and bounds), and its job joins the same fair queue as requester
 * {@code x:<user id>}.
 */
public final class XWiring {
    private XWiring() {
    }

    /** Starts polling on a daemon thread; close the returned bot to stop it. */
    public static XBot start(XConfig config, MentionLog mentions, JobService jobs, JobEvents events, BotDefaults defaults,
                             PromptParser parser, Clock clock) {
        ImagineRecipes recipes = new ImagineRecipes(defaults, parser, null);
        SecureRandom random = new SecureRandom();
        LongSupplier seeds = () -> random.nextLong() & Long.MAX_VALUE; // shown and typed back: keep them positive
        return XBot.start(config, mentions, jobs, events, prompt -> recipes.recipe(prompt, ImagineOptions.NONE, seeds), clock);
    }
}
