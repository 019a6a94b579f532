package dev.vqclip.discord;

import java.util.Optional;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;

/** The card buttons. Only the job's owner (or a moderator) may act; ℹ is read-only and open to everyone. */
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
            reply.send("Job `" + press.jobId() + "` no longer exists.");
            return;
        }
        JobSummary job = found.get();
        Requester clicker = BotListener.requester(event.getUser(), event.getMember(),
                event.isFromGuild() ? event.getGuildChannel() : null);
        if (press.button() == CardButton.INFO) {
            reply.send("ℹ Job `" + job.jobId() + "` (" + job.status().name().toLowerCase() + ")\n```\n"
                    + (job.recipe() == null ? job.prompt() : job.recipe()) + "\n```");
            return;
        }
        if (!clicker.mayActOn(job.ownerId(), job.reply())) {
            reply.send("Only <@" + job.ownerId() + "> (or a moderator) can use the buttons of this job.");
            return;
        }
        clicker = clicker.towards(job.reply());
        String guildId = event.getGuild() == null ? null : event.getGuild().getId();
        PostedCard clicked = new PostedCard(guildId, event.getChannel().getId(), event.getMessageId());
        switch (press.button()) {
            case REROLL -> reply.send(imagine.derive(job, Derivation.REROLL, clicker, clicked));
            case VARY -> reply.send(imagine.derive(job, Derivation.VARIATION, clicker, clicked));
            case CANCEL -> reply.send(describe(backend.cancel(job.jobId(), clicker), job.jobId()));
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
                reply.send("🗑 Deleted the card of job `" + job.jobId() + "`.");
            }
            case INFO -> throw new IllegalStateException("handled above");
        }
    }

    static String describe(CancelOutcome outcome, String jobId) {
        return switch (outcome) {
            case CANCELLED -> "⏹ Cancelled job `" + jobId + "`.";
            case ALREADY_FINISHED -> "Job `" + jobId + "` has already finished.";
            case NOT_FOUND -> "There is no job `" + jobId + "`.";
            case NOT_ALLOWED -> "Only the job's owner or a moderator can cancel job `" + jobId + "`.";
        };
    }
}
