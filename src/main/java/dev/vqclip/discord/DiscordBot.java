package dev.vqclip.discord;

import dev.vqclip.contest.ContestSchedule;
import dev.vqclip.contest.ContestService;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;
import net.dv8tion.jda.api.utils.cache.CacheFlag;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord adapter: logs in with JDA, registers the slash commands, answers commands, mentions and card
 * buttons, and keeps one card per job up to date from the job system's events. Only GUILD_MESSAGES and
 * DIRECT_MESSAGES are requested: messages that mention the bot carry their content without the privileged
 * MESSAGE_CONTENT intent.
 */
public final class DiscordBot implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiscordBot.class);

    private final JDA jda;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final AutoCloseable subscription;
    private final InvalidRequests invalidRequests;
    private final ContestSchedule contestSchedule;

    private DiscordBot(JDA jda, ExecutorService workers, ScheduledExecutorService scheduler, AutoCloseable subscription,
                       InvalidRequests invalidRequests, ContestSchedule contestSchedule) {
        this.invalidRequests = invalidRequests;
        this.jda = jda;
        this.workers = workers;
        this.scheduler = scheduler;
        this.subscription = subscription;
        this.contestSchedule = contestSchedule;
    }

    /** Connects, waits until ready and the commands are registered. */
    public static DiscordBot start(DiscordConfig config, ImagineBackend backend, Clock clock)
            throws InterruptedException {
        return start(config, backend, null, null, clock);
    }

    /**
     * Also runs prompt contests: the /contest command, vote buttons, and their schedule, checked every
     * {@code contestTick} against {@code clock}.
     *
     * @param contests null for a bot without contests
     */
    public static DiscordBot start(DiscordConfig config, ImagineBackend backend, ContestService contests,
                                   Duration contestTick, Clock clock) throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(4, named("discord-worker"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("discord-cards"));
        BotListener listener = new BotListener(config, backend, workers, clock);
        InvalidRequests invalidRequests = new InvalidRequests(clock);
        JDABuilder builder = JDABuilder.createLight(config.token().reveal(),
                        EnumSet.of(GatewayIntent.GUILD_MESSAGES, GatewayIntent.DIRECT_MESSAGES))
                .setHttpClientBuilder(new OkHttpClient.Builder().addInterceptor(invalidRequests))
                .enableCache(CacheFlag.ROLE_TAGS) // to know the bot's own role, whose mention is a prompt too
                .addEventListeners(listener);
        DiscordEndpoints endpoints = config.endpoints();
        if (endpoints.restBaseUrl() != null) {
            builder.setRestConfig(new RestConfig().setBaseUrl(endpoints.restBaseUrl()));
        }
        if (endpoints.gatewayUrl() != null) {
            String gateway = endpoints.gatewayUrl();
            builder.setSessionController(new ConcurrentSessionController() {
                @Override
                public String getGateway() {
                    return gateway;
                }
            });
        }
        JDA jda = builder.build();
        try {
            jda.awaitReady();
            JobCards cards = new JobCards(new JdaCardTransport(jda), backend, clock, scheduler,
                    config.previewInterval());
            listener.attach(cards);
            // subscribe first: events that come while the cards are taken over wait for them (JobCards.early)
            AutoCloseable subscription = backend.subscribe(cards);
            resumeCards(backend, cards);
            ContestSchedule schedule = null;
            if (contests != null) {
                ContestAnnouncer announcer = new ContestAnnouncer(jda, contests);
                listener.attachContests(new ContestCommands(contests, announcer));
                // started once the bot can post: the first pass announces what ended while it was down
                schedule = new ContestSchedule(contests, announcer).start(contestTick);
            }
            registerCommands(jda, config, backend.maxIterations(), contests != null).join();
            LOG.info("Discord bot {} ready in {} guild(s)", jda.getSelfUser().getName(), jda.getGuilds().size());
            return new DiscordBot(jda, workers, scheduler, subscription, invalidRequests, schedule);
        } catch (RuntimeException | InterruptedException e) {
            jda.shutdownNow();
            workers.shutdownNow();
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * After a restart, the cards of jobs still open or not yet delivered are edited again by their message ids;
     * without this their events would find no card and be dropped. A job that cannot be taken over is logged and
     * left: its owner can still bring it back with /show.
     */
    private static void resumeCards(ImagineBackend backend, JobCards cards) {
        List<JobSummary> open;
        try {
            open = backend.openCards();
        } catch (RuntimeException e) {
            LOG.warn("could not list the job cards to take over; their jobs go on without card updates", e);
            return;
        }
        for (JobSummary job : open) {
            try {
                cards.resume(job);
            } catch (RuntimeException e) {
                LOG.warn("could not take over the card of job {}", job.jobId(), e);
            }
        }
        if (!open.isEmpty()) {
            LOG.info("took over {} job card(s) from before the restart", open.size());
        }
    }

    private static CompletableFuture<Void> registerCommands(JDA jda, DiscordConfig config, int maxIterations,
                                                            boolean contests) {
        List<SlashCommandData> commands = new ArrayList<>(CommandCatalog.commands(config.models(), maxIterations));
        if (contests) {
            commands.add(ContestCommands.command(config.models()));
        }
        if (config.commandGuildIds().isEmpty()) {
            return jda.updateCommands().addCommands(commands).submit().thenAccept(c -> { });
        }
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (String id : config.commandGuildIds()) {
            Guild guild = jda.getGuildById(id);
            if (guild == null) {
                LOG.warn("not registering commands in guild {}: the bot is not a member", id);
            } else {
                done.add(guild.updateCommands().addCommands(commands).submit());
            }
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new));
    }

    /** Responses Cloudflare counts as invalid (401, 403, non-shared 429) in the last 10 minutes. */
    public int invalidRequestsLastTenMinutes() {
        return invalidRequests.lastWindow();
    }

    /** Invalid responses since the bot started. */
    public long invalidRequests() {
        return invalidRequests.total();
    }

    public String selfUserId() {
        return jda.getSelfUser().getId();
    }

    @Override
    public void close() throws Exception {
        if (contestSchedule != null) {
            contestSchedule.close();
        }
        subscription.close();
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        scheduler.shutdownNow();
        jda.shutdown();
        if (!jda.awaitShutdown(Duration.ofSeconds(5))) {
            jda.shutdownNow();
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
