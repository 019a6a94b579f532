package dev.vqclip.discord;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.User;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.callbacks.IReplyCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes JDA events. On the gateway thread it only acknowledges (deferred, ephemeral: Discord wants an answer
 * within 3 s whatever the job system is doing); the work runs on the bot's workers.
 */
final class BotListener extends ListenerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BotListener.class);

    private final DiscordConfig config;
    private final ImagineBackend backend;
    private final ExecutorService workers;
    private final java.time.Clock clock;
    private volatile ImagineFlow imagine;
    private volatile AccountCommands account;
    private volatile CardActions buttons;
    private volatile ContestCommands contests;

    BotListener(DiscordConfig config, ImagineBackend backend, ExecutorService workers, java.time.Clock clock) {
        this.clock = clock;
        this.config = config;
        this.backend = backend;
        this.workers = workers;
    }

    void attach(JobCards cards) {
        imagine = new ImagineFlow(config, backend, cards);
        account = new AccountCommands(config, backend, cards, clock);
        buttons = new CardActions(backend, cards, imagine);
    }

    void attachContests(ContestCommands commands) {
        contests = commands;
    }

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
        InteractionReply reply = acknowledge(event);
        run(() -> {
            ImagineFlow flow = imagine;
            if (flow == null) {
                reply.send(reply.texts().get("starting"));
                return;
            }
            switch (event.getName()) {
                case CommandCatalog.IMAGINE -> flow.imagine(event, reply);
                case CommandCatalog.ADMIN -> account.admin(event, reply);
                case ContestCommands.NAME -> contest().handle(event, reply);
                default -> account.handle(event, reply);
            }
        }, reply);
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
        if (ContestCommands.isVote(event.getComponentId())) {
            InteractionReply reply = acknowledge(event);
            run(() -> contest().vote(event, reply), reply);
            return;
        }
        CardButton.parse(event.getComponentId()).ifPresent(press -> {
            InteractionReply reply = acknowledge(event);
            run(() -> buttons.press(press, event, reply), reply);
        });
    }

    @Override
    public void onMessageReceived(MessageReceivedEvent event) {
        if (event.getAuthor().isBot() || !ImagineFlow.addressesBot(event)) {
            return;
        }
        ImagineFlow flow = imagine;
        if (flow != null) {
            run(() -> flow.mention(event), null);
        }
    }

    private ContestCommands contest() {
        ContestCommands c = contests;
        if (c == null) {
            throw new IllegalArgumentException("contests are not enabled on this bot");
        }
        return c;
    }

    private static InteractionReply acknowledge(IReplyCallback event) {
        CompletableFuture<InteractionHook> ack = event.deferReply(true).submit();
        return new InteractionReply(ack, event.getMessageChannel(), event.getUser().getId(),
                Texts.of(event.getUserLocale()));
    }

    private void run(Runnable work, InteractionReply reply) {
        try {
            workers.execute(() -> {
                try {
                    work.run();
                } catch (IllegalArgumentException userError) {
                    if (reply != null) {
                        reply.send("❌ " + userError.getMessage());
                    }
                } catch (RuntimeException e) {
                    LOG.error("handling a Discord event failed", e);
                    if (reply != null) {
                        reply.send(reply.texts().get("error"));
                    }
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            if (reply != null) {
                reply.send(reply.texts().get("shutting_down"));
            }
        }
    }

    /** The user as the job system sees them; moderators hold Manage Messages in the channel. */
    static Requester requester(User user, Member member, GuildChannel channel) {
        boolean moderator = member != null && channel != null && member.hasPermission(channel, Permission.MESSAGE_MANAGE);
        String name = member != null ? member.getEffectiveName() : user.getEffectiveName();
        return new Requester(user.getId(), name, moderator, channel == null ? null : channel.getGuild().getId());
    }
}
