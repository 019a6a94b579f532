package dev.vqclip.discord;

import dev.vqclip.job.CancelResult;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobState;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.TimeFormat;

/** /queue, /cancel, /decode, /info, /history, /show and /admin. */
final class AccountCommands {
    private static final int HISTORY_SIZE = 10;

    private final DiscordConfig config;
    private final ImagineBackend backend;
    private final JobCards cards;
    private final Clock clock;

    AccountCommands(DiscordConfig config, ImagineBackend backend, JobCards cards, Clock clock) {
        this.config = config;
        this.backend = backend;
        this.cards = cards;
        this.clock = clock;
    }

    void handle(SlashCommandInteractionEvent event, InteractionReply reply) {
        Requester me = BotListener.requester(event.getUser(), event.getMember(), guildChannel(event));
        switch (event.getName()) {
            case CommandCatalog.QUEUE -> reply.sendPrivately(list("Your queue", backend.queue(me.userId()), true, clock));
            case CommandCatalog.HISTORY -> reply.sendPrivately(list("Your recent jobs",
                    backend.history(me.userId(), HISTORY_SIZE), false, clock));
            case CommandCatalog.INFO -> reply.sendPrivately(usage(backend.usage(me.userId())));
            case CommandCatalog.CANCEL -> reply.send(cancel(event, me, reply.texts()));
            case CommandCatalog.DECODE -> reply.sendPrivately(decode(event, reply.texts()));
            case CommandCatalog.SHOW -> reply.send(show(event, me, reply.texts()));
            default -> reply.send(reply.texts().get("unknown_command", event.getName()));
        }
    }

    private String cancel(SlashCommandInteractionEvent event, Requester me, Texts texts) {
        String jobId = event.getOption("job", OptionMapping::getAsString);
        if (jobId == null) {
            Optional<JobSummary> newest = backend.queue(me.userId()).stream()
                    .max(Comparator.comparing(JobSummary::createdAt));
            if (newest.isEmpty()) {
                return texts.get("cancel.nothing");
            }
            jobId = newest.get().jobId();
        }
        Optional<JobSummary> job = backend.job(jobId);
        if (job.isEmpty()) {
            return CardActions.describe(CancelResult.NOT_FOUND, jobId, texts);
        }
        // a moderator's Manage Messages counts only for jobs whose card is on their own server
        return CardActions.describe(backend.cancel(jobId, me.towards(job.get().reply())), jobId, texts);
    }

    private String decode(SlashCommandInteractionEvent event, Texts texts) {
        Message.Attachment image = event.getOption("image", OptionMapping::getAsAttachment);
        String link = event.getOption("link", OptionMapping::getAsString);
        if (image == null && link != null) {
            image = attachmentOf(event, link, texts);
        }
        if (image == null) {
            throw new IllegalArgumentException("give an image or a link to a message with one");
        }
        ImageInput bytes = ImagineFlow.download(image);
        Optional<String> found;
        try {
            found = backend.decode(bytes.bytes());
        } catch (IllegalArgumentException notAnImage) {
            throw new IllegalArgumentException("that file is not an image I can read (" + notAnImage.getMessage() + ")",
                    notAnImage);
        }
        return found
                .map(recipe -> "🔎 " + bytes.filename() + " carries:\n```\n" + recipe + "\n```")
                .orElse("🔎 I found no vqclip recipe in " + bytes.filename()
                        + " (it may have been re-encoded, e.g. as JPEG).");
    }

    /**
     * The attachment of a linked server message, only when the person asking can read that channel: the bot sees
     * every server it is in, and must not become a way into channels (or servers) the person cannot see.
     */
    private static Message.Attachment attachmentOf(SlashCommandInteractionEvent event, String link, Texts texts) {
        Matcher m = Message.JUMP_URL_PATTERN.matcher(link.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(texts.get("refuse.decode_link", link));
        }
        String notVisible = texts.get("refuse.decode_visibility");
        Guild guild = event.getJDA().getGuildById(m.group("guild"));
        GuildMessageChannel channel = guild == null ? null
                : guild.getChannelById(GuildMessageChannel.class, m.group("channel"));
        if (channel == null) {
            throw new IllegalArgumentException(notVisible);
        }
        Member reader = memberOf(guild, event);
        if (reader == null || !reader.hasPermission(channel, Permission.VIEW_CHANNEL, Permission.MESSAGE_HISTORY)) {
            throw new IllegalArgumentException(notVisible);
        }
        Message message = channel.retrieveMessageById(m.group("message")).complete();
        return message.getAttachments().stream().filter(Message.Attachment::isImage).findFirst()
                .or(() -> message.getAttachments().stream().findFirst())
                .orElseThrow(() -> new IllegalArgumentException("that message has no attachment"));
    }

    /** The person asking as a member of {@code guild}, or null when they are not one. */
    private static Member memberOf(Guild guild, SlashCommandInteractionEvent event) {
        if (event.getGuild() != null && event.getGuild().getIdLong() == guild.getIdLong()) {
            return event.getMember();
        }
        try {
            return guild.retrieveMemberById(event.getUser().getIdLong()).complete();
        } catch (ErrorResponseException e) {
            if (e.getErrorResponse() == ErrorResponse.UNKNOWN_MEMBER || e.getErrorResponse() == ErrorResponse.UNKNOWN_USER) {
                return null;
            }
            throw e;
        }
    }

    private String show(SlashCommandInteractionEvent event, Requester me, Texts texts) {
        String jobId = event.getOption("job", OptionMapping::getAsString);
        JobSummary job = backend.job(jobId).orElseThrow(() -> new IllegalArgumentException(texts.get("job.none", jobId)));
        if (!me.mayActOn(job.ownerId(), job.reply())) {
            return texts.get("refuse.show", "<@" + job.ownerId() + ">", jobId);
        }
        JobEvent state = JobCards.currentState(job, backend);
        String guildId = event.getGuild() == null ? null : event.getGuild().getId();
        CardTarget target = guildId == null ? CardTarget.direct(me.userId())
                : CardTarget.channel(guildId, event.getChannel().getId(), null);
        cards.open(jobId, job.ownerId(), job.prompt(), job.parentJobId(), target, state, null, texts);
        return texts.get("show.done", jobId);
    }

    /**
     * A server's administrators (Manage Server) change their own server's settings; only the bot owners of the
     * configuration change the global ones ({@code global:True}), from any server.
     */
    void admin(SlashCommandInteractionEvent event, InteractionReply reply) {
        GuildChannel channel = guildChannel(event);
        boolean global = Boolean.TRUE.equals(event.getOption(CommandCatalog.GLOBAL, OptionMapping::getAsBoolean));
        if (global && !config.isBotOwner(event.getUser().getId())) {
            reply.send(reply.texts().get("refuse.admin_global"));
            return;
        }
        if (!global && (channel == null || event.getMember() == null
                || !event.getMember().hasPermission(channel, Permission.MANAGE_SERVER))) {
            reply.send(reply.texts().get("refuse.admin_permission"));
            return;
        }
        Requester me = BotListener.requester(event.getUser(), event.getMember(), channel);
        String sub = event.getSubcommandName();
        AdminCommand command = switch (sub == null ? "" : sub) {
            case "pause" -> new AdminCommand.PauseQueue();
            case "resume" -> new AdminCommand.ResumeQueue();
            case "ban" -> new AdminCommand.Ban(event.getOption("user", OptionMapping::getAsUser).getId());
            case "unban" -> new AdminCommand.Unban(event.getOption("user", OptionMapping::getAsUser).getId());
            case "limits" -> new AdminCommand.SetLimits(event.getOption("max_running", OptionMapping::getAsInt),
                    event.getOption("max_queued", OptionMapping::getAsInt),
                    event.getOption("gpu_seconds", OptionMapping::getAsDouble));
            case "block" -> new AdminCommand.BlockWord(event.getOption("word", OptionMapping::getAsString));
            case "unblock" -> new AdminCommand.UnblockWord(event.getOption("word", OptionMapping::getAsString));
            default -> throw new IllegalArgumentException("unknown admin command " + sub);
        };
        reply.send(backend.admin(command, global ? null : channel.getGuild().getId(), me));
    }

    private static GuildChannel guildChannel(SlashCommandInteractionEvent event) {
        return event.getChannelType().isGuild() ? event.getGuildChannel() : null;
    }

    static String list(String title, List<JobSummary> jobs, boolean withQueue, Clock clock) {
        if (jobs.isEmpty()) {
            return title + ": none.";
        }
        StringBuilder text = new StringBuilder(title).append(":\n");
        for (JobSummary j : jobs) {
            String line = "`" + j.jobId() + "` " + j.status().name().toLowerCase(Locale.ROOT);
            if (withQueue && j.status() == JobState.QUEUED) {
                line += " · position " + j.position();
                if (j.eta() != null) {
                    line += " · ready " + TimeFormat.RELATIVE.format(clock.instant().plus(j.eta()));
                }
                if (j.waitingReason() != null) {
                    line += " · " + j.waitingReason();
                }
            } else if (!withQueue) {
                line += " · " + TimeFormat.RELATIVE.format(j.createdAt());
            }
            line += " — " + CardRenderer.escape(j.prompt().length() > 80 ? j.prompt().substring(0, 79) + "…" : j.prompt());
            if (text.length() + line.length() + 1 > CardView.MAX_CONTENT) {
                break;
            }
            text.append(line).append('\n');
        }
        return text.toString();
    }

    static String usage(Usage u) {
        String text = String.format(Locale.ROOT,
                "Running %d of %d · queued %d of %d · GPU %.0f of %.0f s per %s", u.running(), u.maxRunning(),
                u.queued(), u.maxQueued(), u.gpuSecondsUsed(), u.gpuSecondsQuota(), u.window());
        if (u.refillAt() != null) {
            text += " · refills " + TimeFormat.RELATIVE.format(u.refillAt());
        }
        return u.banned() ? text + "\n⛔ You are banned from making images here." : text;
    }
}
