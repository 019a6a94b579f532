package dev.vqclip.web;

import dev.vqclip.job.Durations;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobViews;
import dev.vqclip.job.QueueEntry;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.prompt.PromptFormat;
import dev.vqclip.prompt.Recipe;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the templates show: plain values only, so a template can leak nothing it is not handed. */
public final class Views {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Views() {
    }

    /** One image in the gallery. */
    public record Card(long id, String prompt, long seed, String model, int width, int height, String finished) {
        static Card of(Job job) {
            Recipe r = job.recipe();
            return new Card(job.id(), Views.prompt(r), r.seed(), Views.model(r), r.width(), r.height(), when(job.finishedAt()));
        }
    }

    public record Gallery(List<Card> cards, int page, int pages, int total) {
        static Gallery of(JobViews.GalleryPage p) {
            return new Gallery(p.jobs().stream().map(Card::of).toList(), p.page(), p.pages(), p.total());
        }

        public boolean hasPrevious() {
            return page > 1;
        }

        public boolean hasNext() {
            return page < pages;
        }
    }

    /**
     * The job page.
     *
     * @param recipeJson what {@code vqclip decode} prints for the finished image, or null before it is done
     * @param imagine    the same request as a Discord command, to paste
     */
    public record JobPage(long id, String state, String prompt, long seed, String model, String clip, int width,
                          int height, int iterations, int progressIter, int progressTotal, Long parentId,
                          boolean hasImage, boolean hasPreview, String timelapseType, String recipeJson, String imagine,
                          String failure, String created, String finished, Integer position, String eta) {
        public int percent() {
            return progressTotal <= 0 ? 0 : Math.min(100, progressIter * 100 / progressTotal);
        }

        /** MP4 timelapses play in a video element, GIFs show as an image. */
        public boolean timelapseIsVideo() {
            return TimelapseVideo.MP4.equals(timelapseType);
        }

        public String timelapseExtension() {
            return timelapseIsVideo() ? "mp4" : "gif";
        }

        public boolean isOver() {
            return "DONE".equals(state) || "FAILED".equals(state) || "CANCELLED".equals(state);
        }
    }

    /** A line of the queue; {@code prompt} is null for a private job. */
    public record QueueRow(long id, String prompt, String size, int iteration, int total, Integer previewIter,
                           int position, String eta, String waiting) {
        static QueueRow of(JobViews.QueueLine line) {
            QueueEntry e = line.entry();
            Job j = e.job();
            return new QueueRow(j.id(), line.shown() ? Views.prompt(j.recipe()) : null, j.recipe().width() + "x" + j.recipe().height(),
                    j.progressIter(), j.progressTotal(), line.shown() ? j.previewIter() : null, e.position(),
                    duration(e.eta()), e.waiting());
        }

        public int percent() {
            return total <= 0 ? 0 : Math.min(100, iteration * 100 / total);
        }

        public boolean shown() {
            return prompt != null;
        }
    }

    public record Queue(List<QueueRow> running, List<QueueRow> queued, boolean paused) {
        static Queue of(List<JobViews.QueueLine> lines, boolean paused) {
            List<QueueRow> rows = lines.stream().map(QueueRow::of).toList();
            return new Queue(rows.stream().filter(r -> r.position() == 0).toList(),
                    rows.stream().filter(r -> r.position() > 0).toList(), paused);
        }
    }

    /** The decode page: nothing yet, an error, or the report. */
    public record Decode(String filename, String error, String json, Long publicJobId) {
    }

    /** The prompts as a person writes them: weights and stops only where they are not the defaults. */
    static String prompt(Recipe r) {
        return r.prompts().phrases().stream().map(phrase -> phrase.stream().map(p -> {
            boolean plain = p.weight() == 1.0 && p.stop() == Double.NEGATIVE_INFINITY;
            return plain ? p.text() : p.text() + ":" + PromptFormat.number(p.weight())
                    + (p.stop() == Double.NEGATIVE_INFINITY ? "" : ":" + PromptFormat.number(p.stop()));
        }).collect(Collectors.joining(" | "))).collect(Collectors.joining(" ^ "));
    }

    /** The model's file or catalog name, never a server path. */
    static String model(Recipe r) {
        return Recipe.modelLabel(r.vqgan());
    }


    static String when(Instant t) {
        return t == null ? "" : WHEN.format(t);
    }

    /** An estimate or a time left, as {@link Durations#human} writes it; empty when unknown, zero once past. */
    static String duration(Duration d) {
        return d == null ? "" : Durations.human(d.isNegative() ? Duration.ZERO : d);
    }
}
