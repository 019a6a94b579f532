package dev.vqclip.app;

import dev.vqclip.job.Retention;
import dev.vqclip.twitter.XConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code vqclip serve} runs with, read once from its flags and environment.
 *
 * @param worker     the local worker, or empty to only queue (workers then run as {@code vqclip worker} elsewhere)
 * @param resultsDir finished command-line jobs are written here as job-&lt;id&gt;.png
 * @param poll       how often to look for work done by other processes when not woken
 * @param discord    present when a Discord token is configured
 * @param x          present when X credentials are configured
 * @param version    the code version recorded in every image
 */
public record ServeConfig(DatabaseConfig database, SchedulerConfig scheduler, Retention retention, EngineConfig engine,
                          Optional<WorkerConfig> worker, Path resultsDir, Duration poll, BotConfig bot,
                          Optional<DiscordSettings> discord, Optional<XConfig> x, WebConfig web, String version) {
    public ServeConfig {
        if (database == null || scheduler == null || retention == null || engine == null || bot == null || web == null) {
            throw new IllegalArgumentException("serve needs database, scheduler, retention, engine, bot and web settings");
        }
        if (resultsDir == null) {
            throw new IllegalArgumentException("--results-dir must name a folder, got null");
        }
        if (poll == null || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("--poll must be positive, got " + poll);
        }
        retention.requireCovers(scheduler.limits().quotaWindow());
        worker = worker == null ? Optional.empty() : worker;
        discord = discord == null ? Optional.empty() : discord;
        x = x == null ? Optional.empty() : x;
        version = version == null ? "dev" : version;
    }
}
