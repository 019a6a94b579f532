package dev.vqclip.discord;

import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.utils.FileUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one interaction after its deferred acknowledgement: through the interaction hook while it is usable,
 * else (10062 on the acknowledgement, or the 15-minute token expired) as a channel message that mentions the user.
 */
final class InteractionReply {
    private static final Logger LOG = LoggerFactory.getLogger(InteractionReply.class);
    /** How long a handler waits for the acknowledgement's outcome before giving up on the hook. */
    private static final long ACK_WAIT_SECONDS = 5;

    private final CompletableFuture<InteractionHook> ack;
    private final MessageChannel channel;
    private final String userId;
    private final Texts texts;

    InteractionReply(CompletableFuture<InteractionHook> ack, MessageChannel channel, String userId, Texts texts) {
        this.ack = ack;
        this.channel = channel;
        this.userId = userId;
        this.texts = texts;
    }

    /** What the bot says, in the locale of the person who interacted. */
    Texts texts() {
        return texts;
    }

    /** The hook, or null when the interaction could not be acknowledged or has expired. */
    InteractionHook hook() {
        try {
            InteractionHook hook = ack.get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
            return hook.isExpired() ? null : hook;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception failed) {
            LOG.info("interaction could not be acknowledged ({}); answering in the channel", failed.getMessage());
            return null;
        }
    }

    /**
     * Answers with something only this user may see (their usage, history, a decoded recipe): through the hook while
     * it lives, else by DM, else not at all (logged) — never in the channel.
     */
    void sendPrivately(String text) {
        InteractionHook hook = hook();
        if (hook != null) {
            hook.editOriginal(text).queue(null, e -> direct(text));
        } else {
            direct(text);
        }
    }

    /** Like {@link #sendPrivately(String)}, with one file attached (each try uploads a fresh copy of the bytes). */
    void sendFilePrivately(String text, String fileName, byte[] file) {
        InteractionHook hook = hook();
        if (hook != null) {
            hook.editOriginal(text).setFiles(FileUpload.fromData(file, fileName)).queue(null,
                    e -> directFile(text, fileName, file));
        } else {
            directFile(text, fileName, file);
        }
    }

    private void directFile(String text, String fileName, byte[] file) {
        channel.getJDA().openPrivateChannelById(userId)
                .flatMap(dm -> dm.sendMessage(text).addFiles(FileUpload.fromData(file, fileName))).queue(null,
                e -> LOG.info("dropped a private file to user {}: the interaction expired and DMs failed ({})",
                        userId, e.getMessage()));
    }

    private void direct(String text) {
        channel.getJDA().openPrivateChannelById(userId).flatMap(dm -> dm.sendMessage(text)).queue(null,
                e -> LOG.info("dropped a private answer to user {}: the interaction expired and DMs failed ({})",
                        userId, e.getMessage()));
    }

    /** Answers through the hook, or in the channel mentioning the user when the interaction expired. */
    void send(String text) {
        InteractionHook hook = hook();
        if (hook != null) {
            hook.editOriginal(text).queue(null, e -> inChannel(text));
        } else {
            inChannel(text);
        }
    }

    private void inChannel(String text) {
        channel.sendMessage("<@" + userId + "> " + text)
                .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class)).mentionUsers(userId).queue(null,
                e -> LOG.warn("could not answer user {} in channel {} either: {}", userId, channel.getId(), e.getMessage()));
    }
}
