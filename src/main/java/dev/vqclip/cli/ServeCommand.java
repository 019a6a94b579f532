package dev.vqclip.cli;

import dev.vqclip.app.BotConfig;
import dev.vqclip.app.DiscordSettings;
import dev.vqclip.app.ServeConfig;
import dev.vqclip.app.Server;
import dev.vqclip.app.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vqclip serve}: reads its flags into a {@link ServeConfig} and runs the {@link Server} until it is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the bot: persistent queue, a local worker, and the chat adapters that have credentials.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SchedulerOptions scheduler;

    @Mixin
    EngineOptions engine;

    @Mixin
    WorkerOptions rendering;

    @Mixin
    RetentionOptions keep;

    @Mixin
    XOptions x;

    @Mixin
    WebOptions web;

    @Option(names = "--workers", defaultValue = "1",
            description = "local workers: 1 (default) or 0 to only queue (workers run as 'vqclip worker' elsewhere)")
    int workers;

    @Option(names = "--results-dir", defaultValue = "data/results", paramLabel = "DIR",
            description = "finished command-line jobs are written here as job-<id>.png; default ${DEFAULT-VALUE}")
    Path resultsDir;

    @Option(names = "--poll", defaultValue = "1s", paramLabel = "DURATION",
            description = "how often to look for work done by other processes when not woken; default ${DEFAULT-VALUE}")
    String poll;

    @Option(names = "--discord-token-file", paramLabel = "FILE",
            description = "read the Discord bot token from this file's first line when DISCORD_TOKEN is not set")
    Path discordTokenFile;

    @Option(names = "--discord-guild", paramLabel = "ID",
            description = "register the slash commands in this guild only (instant updates; repeatable); default: globally")
    List<String> discordGuilds = new ArrayList<>();

    @Option(names = "--bot-owner", paramLabel = "ID",
            description = "a Discord user id who may change the settings of every server with /admin ... global:True "
                    + "(repeatable); a server's administrators change only their own server's")
    List<String> botOwners = new ArrayList<>();

    @Option(names = "--bot-vqgan", defaultValue = "vqgan_imagenet_f16_16384", paramLabel = "NAME",
            description = "the VQGAN the bot renders with by default; default ${DEFAULT-VALUE}")
    String botVqgan;

    @Option(names = "--bot-models", split = ",", paramLabel = "NAME",
            description = "VQGAN models users may pick in /imagine (default: just --bot-vqgan)")
    List<String> botModels = new ArrayList<>();

    @Option(names = "--bot-clip", defaultValue = "ViT-B/32", paramLabel = "NAME", description = "default ${DEFAULT-VALUE}")
    String botClip;

    @Option(names = "--bot-size", defaultValue = "256x256", paramLabel = "WxH",
            description = "the image size the bots render when a user asks for none; default ${DEFAULT-VALUE}")
    String botSize;

    @Option(names = "--bot-iterations", defaultValue = "300", paramLabel = "N",
            description = "optimizer steps when a user asks for none; default ${DEFAULT-VALUE}")
    int botIterations;

    @Option(names = "--private-channel", paramLabel = "ID",
            description = "a Discord channel whose images stay off the public web gallery (repeatable; direct messages always do)")
    List<String> privateChannels = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        try {
            return serve();
        } finally {
            closed.countDown();
        }
    }

    private Integer serve() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 0 || workers > 1) {
            err.println("serve: --workers must be 0 or 1 (one optimizer per process; run 'vqclip worker' per extra GPU), got "
                    + workers);
            return 2;
        }
        ServeConfig config;
        try {
            config = config(System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("serve: " + e.getMessage());
            return 2;
        }
        try (Server server = Server.serve(config, out, err, Clock.systemUTC())) {
            // SIGTERM and Ctrl-C stop serve and close the database before the JVM's shutdown hooks run (H2's among
            // them); the hook covers other exits
            StopSignals.install(server::stop);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.stop();
                awaitQuietly(closed); // the JVM halts when this hook returns: let call() close the database first
            }, "vqclip-shutdown"));
            server.awaitStop();
            return 0;
        } catch (Server.StartFailure e) {
            err.println("serve: " + e.getMessage());
            return 1;
        }
    }

    /** The flags and environment, read once into the server's configuration. */
    private ServeConfig config(Map<String, String> env) {
        // checked even with --workers 0, so a flag that is wrong stays an error whichever way serve runs
        WorkerConfig local = rendering.config(resultsDir.toAbsolutePath().resolveSibling("spool"));
        Optional<WorkerConfig> worker = workers == 0 ? Optional.empty() : Optional.of(local);
        DiscordSettings discord = new DiscordSettings(discordTokenFile, discordGuilds, botOwners, privateChannels);
        return new ServeConfig(scheduler.database(), scheduler.config(), keep.retention(), engine.config(), worker,
                resultsDir, SchedulerOptions.duration("--poll", poll),
                BotConfig.of(botVqgan, botModels, botClip, botSize, botIterations),
                discord.hasToken(env) ? Optional.of(discord) : Optional.empty(), x.config(env), web.config(), Main.version());
    }

    private final CountDownLatch closed = new CountDownLatch(1);

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
