package dev.vqclip.discord;

import dev.vqclip.job.JobEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.entities.channel.middleman.GuildChannel;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.message.MessageReceivedEvent;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.interactions.commands.OptionMapping;
import net.dv8tion.jda.api.utils.AttachmentProxy;

/** /imagine, @mentions and derived jobs: submit to the job system, then open the job's card. */
final class ImagineFlow {
    private static final long DOWNLOAD_SECONDS = 30;

    private final DiscordConfig config;
    private final ImagineBackend backend;
    private final JobCards cards;

    ImagineFlow(DiscordConfig config, ImagineBackend backend, JobCards cards) {
        this.config = config;
        this.backend = backend;
        this.cards = cards;
    }

    void imagine(SlashCommandInteractionEvent event, InteractionReply reply) {
        String guildId = event.getGuild() == null ? null : event.getGuild().getId();
        GuildDefaults defaults = config.defaultsFor(guildId);
        ImagineOptions options = options(event);
        if (defaults != null) {
            options = defaults.fill(options);
        }
        String channelId = defaults != null && defaults.channelId() != null ? defaults.channelId()
                : event.getChannel().getId();
        GuildChannel channel = event.getChannelType().isGuild() ? event.getGuildChannel() : null;
        Requester requester = BotListener.requester(event.getUser(), event.getMember(), channel);
        String prompt = event.getOption("prompt", OptionMapping::getAsString);
        Submission answer = backend.submit(new ImagineRequest(requester, prompt, options,
                new ReplyAddress(guildId, channelId, null), event.getId()));
        if (answer instanceof Submission.Refused refused) {
            reply.send("❌ " + refused.reason());
            return;
        }
        Submission.Accepted accepted = (Submission.Accepted) answer;
        InteractionHook hook = reply.hook();
        Texts texts = reply.texts();
        String notice = hook == null ? texts.get("imagine.late") : null;
        CardTarget target = guildId == null ? CardTarget.direct(requester.userId())
                : CardTarget.channel(guildId, channelId, null);
        JobCard card = cards.open(accepted.jobId(), requester.userId(), prompt, null, target, queued(accepted), notice,
                texts);
        if (hook != null) {
            card.firstPosted().thenAccept(posted -> hook.editOriginal(texts.get("imagine.queued", accepted.jobId(),
                    posted.link())).queue(null, e -> { }));
        }
    }

    /**
     * Whether a message asks the bot: it names the bot (or the bot's role) in its text. A reply to one of the bot's
     * messages pings the bot too (Discord lists it among the mentions), but that is conversation, not a prompt.
     */
    static boolean addressesBot(MessageReceivedEvent event) {
        return !mentionPattern(event).matcher(event.getMessage().getContentRaw()).replaceAll("")
                .equals(event.getMessage().getContentRaw());
    }

    /** The bot's user mention, and in a server its managed role's mention. */
    private static Pattern mentionPattern(MessageReceivedEvent event) {
        String self = event.getJDA().getSelfUser().getId();
        Role role = event.isFromGuild() ? event.getGuild().getBotRole() : null;
        return Pattern.compile("<@!?" + self + ">" + (role == null ? "" : "|<@&" + role.getId() + ">"));
    }

    /** A message that asks the bot; anything it cannot use gets a short reply, never silence. */
    void mention(MessageReceivedEvent event) {
        try {
            submitMention(event);
        } catch (IllegalArgumentException userError) {
            quietReply(event.getMessage(), "❌ " + userError.getMessage());
        }
    }

    private void submitMention(MessageReceivedEvent event) {
        Message message = event.getMessage();
        String prompt = mentionPattern(event).matcher(message.getContentRaw()).replaceAll("").trim();
        if (prompt.isEmpty()) {
            message.reply("Mention me with a prompt, e.g. `@" + event.getJDA().getSelfUser().getName()
                    + " a lighthouse at dusk`, or use /imagine.").queue();
            return;
        }
        String guildId = event.isFromGuild() ? event.getGuild().getId() : null;
        GuildDefaults defaults = config.defaultsFor(guildId);
        // an image dropped into the message is where the drawing starts
        ImageInput init = message.getAttachments().stream().filter(ImagineFlow::isImage).findFirst()
                .map(ImagineFlow::download).orElse(null);
        ImagineOptions asked = new ImagineOptions(null, null, null, null, init, null, null, null);
        ImagineOptions options = defaults == null ? asked : defaults.fill(asked);
        GuildChannel channel = event.isFromGuild() ? event.getGuildChannel() : null;
        Requester requester = BotListener.requester(event.getAuthor(), event.getMember(), channel);
        Submission answer = backend.submit(new ImagineRequest(requester, prompt, options,
                new ReplyAddress(guildId, event.getChannel().getId(), null), message.getId()));
        if (answer instanceof Submission.Refused refused) {
            quietReply(message, "❌ " + refused.reason());
            return;
        }
        Submission.Accepted accepted = (Submission.Accepted) answer;
        CardTarget target = event.isFromGuild()
                ? CardTarget.channel(guildId, event.getChannel().getId(), message.getId())
                : CardTarget.direct(event.getAuthor().getId());
        // a message carries no user locale: the server's language, English in DMs
        Texts texts = event.isFromGuild() ? Texts.of(event.getGuild().getLocale()) : Texts.ENGLISH;
        cards.open(accepted.jobId(), requester.userId(), prompt, null, target, queued(accepted), null, texts);
    }

    /** A reply that pings only the person answered, whatever text it repeats. */
    private static void quietReply(Message message, String text) {
        message.reply(text).setAllowedMentions(java.util.EnumSet.noneOf(Message.MentionType.class))
                .mentionRepliedUser(true).queue(null, e -> { });
    }

    private static boolean isImage(Message.Attachment a) {
        return a.isImage() || (a.getContentType() != null && a.getContentType().startsWith("image/"));
    }

    /**
     * A reroll or variation of {@code parent}; its card answers the parent's card.
     *
     * @param clickId the button click's identity; a click already served answers with the job it queued
     */
    String derive(JobSummary parent, Derivation how, Requester requester, PostedCard parentCard, String clickId,
                  Texts texts) {
        ReplyAddress reply = new ReplyAddress(parentCard.guildId(), parentCard.channelId(), null);
        Submission answer = backend.derive(parent.jobId(), how, requester, reply, clickId);
        if (answer instanceof Submission.Refused refused) {
            return "❌ " + refused.reason();
        }
        Submission.Accepted accepted = (Submission.Accepted) answer;
        CardTarget target = parentCard.guildId() == null ? CardTarget.direct(requester.userId())
                : CardTarget.channel(parentCard.guildId(), parentCard.channelId(), parentCard.messageId());
        if (cards.get(accepted.jobId()).isEmpty()) { // a repeated click: its job's card is already up
            cards.open(accepted.jobId(), requester.userId(), parent.prompt(), parent.jobId(), target, queued(accepted),
                    null, texts);
        }
        return texts.get(how == Derivation.REROLL ? "derive.reroll" : "derive.variation", accepted.jobId());
    }

    private static JobEvent queued(Submission.Accepted accepted) {
        return new JobEvent.Queued(Long.parseLong(accepted.jobId()), accepted.position(), accepted.eta());
    }

    private static ImagineOptions options(SlashCommandInteractionEvent e) {
        return new ImagineOptions(
                e.getOption("seed", OptionMapping::getAsLong),
                e.getOption("size", OptionMapping::getAsString),
                e.getOption("aspect", OptionMapping::getAsString),
                e.getOption("iterations", OptionMapping::getAsInt),
                e.getOption("init_image", m -> download(m.getAsAttachment())),
                e.getOption("target_image", m -> download(m.getAsAttachment())),
                e.getOption("model", OptionMapping::getAsString),
                e.getOption("drawer", OptionMapping::getAsString));
    }

    /**
     * The original attachment bytes: {@code getUrl()}, not the media proxy JDA's {@code getProxy()} picks for
     * images, which may serve a resized or re-encoded copy (and would destroy hidden provenance).
     */
    static ImageInput download(Message.Attachment attachment) {
        if (attachment.getSize() > ImageInput.MAX_BYTES) {
            throw new IllegalArgumentException(attachment.getFileName() + " is larger than 10 MiB");
        }
        try (InputStream in = new AttachmentProxy(attachment.getUrl()).download()
                .get(DOWNLOAD_SECONDS, TimeUnit.SECONDS)) {
            return new ImageInput(attachment.getFileName(), in.readNBytes(ImageInput.MAX_BYTES + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while downloading " + attachment.getFileName(), e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new IllegalArgumentException("could not download " + attachment.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
