package dev.vqclip.discord;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.components.buttons.ButtonStyle;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.exceptions.DetachedEntityException;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.exceptions.InsufficientPermissionException;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import net.dv8tion.jda.api.utils.FileUpload;
import net.dv8tion.jda.api.utils.messages.MessageCreateBuilder;
import net.dv8tion.jda.api.utils.messages.MessageEditBuilder;

/** Cards over JDA: channel messages created with the bot token and edited by id (no interaction token involved). */
final class JdaCardTransport implements CardTransport {
    private final JDA jda;
    /** DM channels are not cached by a light JDA; keep the ones cards were posted to. */
    private final Map<String, MessageChannel> directChannels = new ConcurrentHashMap<>();

    JdaCardTransport(JDA jda) {
        this.jda = jda;
    }

    @Override
    public CompletableFuture<PostedCard> post(CardTarget target, String ownerId, CardView view) {
        return channel(target).thenCompose(channel -> {
            // the prompt is the user's text: whatever it says, the card pings its owner and no one else
            MessageCreateBuilder message = new MessageCreateBuilder().setContent(view.content())
                    .setComponents(rows(view)).setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                    .mentionUsers(ownerId);
            if (view.hasImage()) {
                message.addFiles(FileUpload.fromData(view.image(), view.imageName()));
            }
            MessageCreateAction action = channel.sendMessage(message.build());
            if (target.replyToMessageId() != null) {
                action = action.setMessageReference(target.replyToMessageId()).failOnInvalidReply(false);
            }
            String guildId = channel instanceof GuildMessageChannel g ? g.getGuild().getId() : null;
            return action.submit().thenApply(m -> {
                if (guildId == null) {
                    directChannels.put(channel.getId(), channel);
                }
                return new PostedCard(guildId, channel.getId(), m.getId());
            });
        }).exceptionallyCompose(JdaCardTransport::translate);
    }

    @Override
    public CompletableFuture<Void> edit(PostedCard card, String ownerId, CardView view) {
        return channel(card, ownerId).thenCompose(channel -> {
            MessageEditBuilder edit = new MessageEditBuilder().setContent(view.content()).setComponents(rows(view));
            if (view.hasImage()) {
                // setFiles sends the attachment list with only the new file: Discord drops the old preview
                edit.setFiles(FileUpload.fromData(view.image(), view.imageName()));
            }
            return channel.editMessageById(card.messageId(), edit.build()).submit();
        }).<Void>thenApply(m -> null).exceptionallyCompose(JdaCardTransport::translate);
    }

    @Override
    public CompletableFuture<Void> delete(PostedCard card, String ownerId) {
        return channel(card, ownerId)
                .thenCompose(channel -> channel.deleteMessageById(card.messageId()).submit())
                .exceptionallyCompose(JdaCardTransport::translate);
    }

    private CompletableFuture<MessageChannel> channel(CardTarget target) {
        if (target.isDirect()) {
            return jda.openPrivateChannelById(target.directToUserId()).submit().thenApply(c -> (MessageChannel) c);
        }
        GuildMessageChannel channel = jda.getChannelById(GuildMessageChannel.class, target.channelId());
        if (channel == null) {
            return CompletableFuture.failedFuture(new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN,
                    "channel " + target.channelId() + " is not visible to the bot", null));
        }
        return CompletableFuture.completedFuture(channel);
    }

    /**
     * The card's channel. A DM channel is not cached by a light JDA: after a restart it is opened again through the
     * owner (Discord answers with the same channel), so a DM card is edited in place like any other.
     */
    private CompletableFuture<MessageChannel> channel(PostedCard card, String ownerId) {
        if (card.guildId() == null) {
            MessageChannel known = directChannels.get(card.channelId());
            if (known != null) {
                return CompletableFuture.completedFuture(known);
            }
            return jda.openPrivateChannelById(ownerId).submit().thenApply(dm -> {
                if (!dm.getId().equals(card.channelId())) {
                    throw new CardDeliveryException(CardDeliveryException.Reason.GONE, "card DM channel "
                            + card.channelId() + " is no longer " + ownerId + "'s DM channel " + dm.getId(), null);
                }
                directChannels.put(dm.getId(), dm);
                return (MessageChannel) dm;
            });
        }
        MessageChannel channel = jda.getChannelById(GuildMessageChannel.class, card.channelId());
        if (channel == null) {
            return CompletableFuture.failedFuture(new CardDeliveryException(CardDeliveryException.Reason.GONE,
                    "card channel " + card.channelId() + " is gone", null));
        }
        return CompletableFuture.completedFuture(channel);
    }

    static List<ActionRow> rows(CardView view) {
        if (view.buttons().isEmpty()) {
            return List.of();
        }
        return List.of(ActionRow.of(view.buttons().stream().map(b -> button(b, view.jobId())).toList()));
    }

    private static Button button(CardButton b, String jobId) {
        ButtonStyle style = switch (b) {
            case REROLL -> ButtonStyle.PRIMARY;
            case CANCEL, DELETE -> ButtonStyle.DANGER;
            case VARY, INFO, TIMELAPSE -> ButtonStyle.SECONDARY;
        };
        return Button.of(style, b.customId(jobId), b.label(), Emoji.fromUnicode(b.emoji()));
    }

    private static <T> CompletableFuture<T> translate(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return CompletableFuture.failedFuture(classify(e));
    }

    static CardDeliveryException classify(Throwable e) {
        if (e instanceof CardDeliveryException d) {
            return d;
        }
        if (e instanceof InsufficientPermissionException || e instanceof DetachedEntityException) {
            return new CardDeliveryException(CardDeliveryException.Reason.FORBIDDEN, e.getMessage(), e);
        }
        if (e instanceof ErrorResponseException r) {
            CardDeliveryException.Reason reason = switch (r.getErrorResponse()) {
                case UNKNOWN_MESSAGE, UNKNOWN_CHANNEL -> CardDeliveryException.Reason.GONE;
                case MISSING_ACCESS, MISSING_PERMISSIONS, CANNOT_SEND_TO_USER -> CardDeliveryException.Reason.FORBIDDEN;
                default -> CardDeliveryException.Reason.TRANSIENT;
            };
            return new CardDeliveryException(reason, r.getErrorCode() + " " + r.getMeaning(), e);
        }
        return new CardDeliveryException(CardDeliveryException.Reason.TRANSIENT, String.valueOf(e.getMessage()), e);
    }
}
