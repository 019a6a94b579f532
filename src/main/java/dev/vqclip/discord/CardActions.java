package dev.vqclip.discord;

import dev.vqclip.job.CancelResult;
import java.util.Optional;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;

/** The card buttons. Only the job's owner (or a moderator) may act; ℹ and 🎞 are read-only and open to everyone. */
final class CardActions {
    private final ImagineBackend backend;
    private final JobCards cards;
    private final ImagineFlow imagine;

    CardActions(ImagineBackend backend, JobCards cards, ImagineFlow imagine) {
        this.backend = backend;
        this.cards = cards;
        this.imagine = imagine;
    }

    void press(CardButton.Press press, ButtonInteractionEvent event, InteractionReply reply) {
        Optional<JobSummary> found = backend.job(press.jobId());
        if (found.isEmpty()) {
            reply.send(reply.texts().get("job.gone", press.jobId()));
            return;
        }
        JobSummary job = found.get();
        Requester clicker = BotListener.requester(event.getUser(), event.getMember(),
                event.isFromGuild() ? event.getGuildChannel() : null);
        if (press.button() == CardButton.INFO) {
            reply.sendPrivately("ℹ Job `" + job.jobId() + "` (" + job.status().name().toLowerCase() + ")\n```\n"
                    + (job.recipe() == null ? job.prompt() : RecipeTexts.full(job.recipe())) + "\n```");
            return;
        }
        if (press.button() == CardButton.TIMELAPSE) {
            Optional<byte[]> video = backend.timelapse(job.jobId());
            if (video.isEmpty()) {
                reply.sendPrivately(reply.texts().get("timelapse.none", job.jobId()));
            } else if (video.get().length > ImageInput.MAX_BYTES) {
                reply.sendPrivately(reply.texts().get("timelapse.too_large", job.jobId()));
            } else {
                // workers store an MP4 where ffmpeg is installed, else a GIF; Discord plays either inline
                String extension = isGif(video.get()) ? "gif" : "mp4";
                reply.sendFilePrivately("🎞 " + reply.texts().get("timelapse.caption", job.jobId()), "vqclip-" + job.jobId()
                        + "-timelapse." + extension, video.get());
            }
            return;
        }
        if (!clicker.mayActOn(job.ownerId(), job.reply())) {
            reply.send(reply.texts().get("refuse.buttons", "<@" + job.ownerId() + ">"));
            return;
        }
        clicker = clicker.towards(job.reply());
        String guildId = event.getGuild() == null ? null : event.getGuild().getId();
        PostedCard clicked = new PostedCard(guildId, event.getChannel().getId(), event.getMessageId());
        // one job per button of one card message and clicker: a double click or a redelivered click repeats it
        String clickId = event.getMessageId() + ":" + event.getComponentId() + ":" + clicker.userId();
        switch (press.button()) {
            case REROLL -> reply.send(imagine.derive(job, Derivation.REROLL, clicker, clicked, clickId, reply.texts()));
            case VARY -> reply.send(imagine.derive(job, Derivation.VARIATION, clicker, clicked, clickId,
                    reply.texts()));
            case CANCEL -> reply.send(describe(backend.cancel(job.jobId(), clicker), job.jobId(), reply.texts()));
            case DELETE -> {
                if (!job.status().isFinal()) {
                    backend.cancel(job.jobId(), clicker);
                }
                Optional<JobCard> card = cards.get(job.jobId());
                if (card.isPresent() && clicked.equals(card.get().posted())) {
                    card.get().delete();
                    cards.forget(job.jobId());
                } else {
                    event.getChannel().deleteMessageById(event.getMessageId()).queue(null, e -> { });
                }
                reply.send(reply.texts().get("delete.done", job.jobId()));
            }
            case INFO, TIMELAPSE -> throw new IllegalStateException("handled above");
        }
    }

    static String describe(CancelResult outcome, String jobId, Texts texts) {
        return texts.get(switch (outcome) {
            // a running job stops at its worker's next heartbeat; its card turns "cancelled" then
            case CANCELLED, STOPPING -> "cancel.done";
            case ALREADY_FINISHED -> "cancel.finished";
            case NOT_FOUND -> "job.none";
            case NOT_ALLOWED -> "cancel.not_allowed";
        }, jobId);
    }

    private static boolean isGif(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 'G' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == '8';
    }
}
