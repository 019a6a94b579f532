package dev.vqclip.discord;

import dev.vqclip.job.JobState;
import java.util.List;
import java.util.Locale;
import net.dv8tion.jda.api.utils.MarkdownSanitizer;
import net.dv8tion.jda.api.utils.TimeFormat;

/** Turns a card's state into the message the user sees. */
final class CardRenderer {
    private static final int PROMPT_CHARS = 300;
    private static final int BAR_CELLS = 16;

    private CardRenderer() {
    }

    /** @param withImage whether this edit carries the current image (it changed since the last edit) */
    static CardView render(CardState s, boolean withImage) {
        StringBuilder text = new StringBuilder();
        text.append("<@").append(s.ownerId).append("> **").append(escape(truncate(s.prompt))).append("**\n");
        Texts t = s.texts;
        if (s.parentJobId != null) {
            text.append(t.get("card.from", s.parentJobId)).append('\n');
        }
        text.append("`job ").append(s.jobId).append("` · ");
        switch (s.status) {
            case QUEUED -> {
                text.append(t.get("card.queued"));
                if (s.position > 0) {
                    text.append(" · ").append(t.get("card.position", s.position));
                }
                if (s.readyAt != null) {
                    text.append(" · ").append(t.get("card.ready", TimeFormat.RELATIVE.format(s.readyAt)));
                }
            }
            case RUNNING -> {
                text.append(t.get("card.step", s.step, s.totalSteps));
                if (!Double.isNaN(s.loss)) {
                    text.append(" · ").append(t.get("card.loss", String.format(Locale.ROOT, "%.4f", s.loss)));
                }
                text.append("\n`").append(ProgressBar.render(s.step, s.totalSteps, BAR_CELLS)).append('`');
            }
            case DONE -> {
                text.append(t.get("card.done", s.seed));
                if (s.recipeSummary != null) {
                    text.append("\n").append(escape(s.recipeSummary));
                }
                if (s.failure != null) {
                    text.append("\n⚠ ").append(s.failure);
                }
            }
            case FAILED -> text.append(t.get("card.failed", s.failure));
            case CANCELLED -> text.append(t.get("card.cancelled", "<@" + s.cancelledBy + ">"));
        }
        if (s.notice != null) {
            text.append("\n> ").append(s.notice);
        }
        String content = text.length() > CardView.MAX_CONTENT ? text.substring(0, CardView.MAX_CONTENT) : text.toString();
        boolean image = withImage && s.image != null;
        return new CardView(content, image ? s.imageName : null, image ? s.image : null, s.jobId, buttons(s.status, s.timelapse));
    }

    /** At most five: Discord's limit for one row. */
    static List<CardButton> buttons(JobState status, boolean timelapse) {
        return switch (status) {
            case QUEUED, RUNNING -> List.of(CardButton.CANCEL, CardButton.INFO);
            case DONE -> timelapse
                    ? List.of(CardButton.REROLL, CardButton.VARY, CardButton.DELETE, CardButton.INFO, CardButton.TIMELAPSE)
                    : List.of(CardButton.REROLL, CardButton.VARY, CardButton.DELETE, CardButton.INFO);
            case FAILED -> List.of(CardButton.REROLL, CardButton.DELETE, CardButton.INFO);
            case CANCELLED -> List.of(CardButton.REROLL, CardButton.DELETE);
        };
    }

    private static String truncate(String prompt) {
        return prompt.length() <= PROMPT_CHARS ? prompt : prompt.substring(0, PROMPT_CHARS - 1) + "…";
    }

    /** Keeps user text from turning into markdown; pings are held back by each message's allowed mentions. */
    static String escape(String text) {
        return MarkdownSanitizer.escape(text);
    }
}
