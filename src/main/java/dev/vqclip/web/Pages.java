package dev.vqclip.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.vqclip.job.Job;
import dev.vqclip.job.JobState;
import dev.vqclip.job.JobViews;
import dev.vqclip.job.QueuePosition;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.prompt.Recipe;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** The gallery, job pages with their images, and the decode upload. */
final class Pages {
    private final JobViews views;
    private final Templates templates;
    private final int perPage;
    private final long maxUploadBytes;
    /** Decoding runs the watermark detector: remember finished jobs' reports (they never change). */
    private final Cache<Long, String> recipes = Caffeine.newBuilder().maximumSize(512).build();

    Pages(JobViews views, Templates templates, int perPage, long maxUploadBytes) {
        this.views = views;
        this.templates = templates;
        this.perPage = perPage;
        this.maxUploadBytes = maxUploadBytes;
    }

    void register(RoutesConfig routes) {
        routes.get("/", this::gallery);
        routes.get("/jobs/{id}", this::job);
        routes.get("/jobs/{id}/image.png", ctx -> png(ctx, views.publicResult(PathParams.jobId(ctx)), "public, max-age=86400"));
        routes.get("/jobs/{id}/preview.png", ctx -> png(ctx, views.publicPreview(PathParams.jobId(ctx)), "no-cache"));
        routes.get("/jobs/{id}/timelapse", this::timelapse);
        routes.get("/decode", ctx -> decodePage(ctx, new Views.Decode(null, null, null, null)));
        routes.post("/decode", this::decode);
    }

    private void gallery(Context ctx) {
        Views.Gallery g = Views.Gallery.of(views.gallery(PathParams.page(ctx), perPage));
        ctx.html(templates.render("gallery.jte", Map.of("gallery", g)));
    }

    private void job(Context ctx) {
        long id = PathParams.jobId(ctx);
        Job job = views.publicJob(id).orElseThrow(() -> new NotFoundResponse("there is no public job " + id));
        ctx.html(templates.render("job.jte", Map.of("job", page(job))));
    }

    private Views.JobPage page(Job job) {
        Recipe r = job.recipe();
        boolean done = job.state() == JobState.DONE;
        String recipe = done ? recipes.get(job.id(), id -> views.publicRecipe(id).orElse(null)) : null;
        Optional<TimelapseVideo> video = views.publicTimelapse(job.id());
        QueuePosition pos = job.state().isFinal() ? null : views.position(job.id()).orElse(null);
        return new Views.JobPage(job.id(), job.state().name(), Views.prompt(r), r.seed(), Views.model(r),
                Recipe.modelLabel(r.clip()), r.width(), r.height(), r.iterations(), job.progressIter(), job.progressTotal(),
                job.parentId(), done, job.previewIter() != null, video.map(TimelapseVideo::contentType).orElse(null), recipe,
                imagine(job), job.failure(), Views.when(job.createdAt()), Views.when(job.finishedAt()),
                pos == null ? null : pos.position(), pos == null ? null : Views.duration(pos.eta()));
    }

    /** The Discord command that asks for the same image again. */
    static String imagine(Job job) {
        Recipe r = job.recipe();
        return "/imagine prompt:" + Views.prompt(r) + " seed:" + r.seed() + " size:" + r.width() + "x" + r.height()
                + " iterations:" + r.iterations() + (r.drawer().equals("vqgan") ? "" : " drawer:" + r.drawer());
    }

    private static void png(Context ctx, Optional<byte[]> bytes, String cache) {
        byte[] png = bytes.orElseThrow(() -> new NotFoundResponse("no such image"));
        ctx.contentType("image/png").header("Cache-Control", cache).result(png);
    }

    private void timelapse(Context ctx) {
        long id = PathParams.jobId(ctx);
        TimelapseVideo video = views.publicTimelapse(id).orElseThrow(() -> new NotFoundResponse("job " + id
                + " has no public timelapse"));
        ctx.contentType(video.contentType()).header("Cache-Control", "public, max-age=86400")
                .header("Content-Disposition", "inline; filename=\"job-" + id + "-timelapse." + video.extension() + "\"")
                .result(video.bytes());
    }

    static String size(long bytes) {
        return bytes >= (1 << 20) ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }

    private static String causes(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 2000; c = c.getCause()) {
            b.append(c.getMessage()).append(" / ");
        }
        return b.toString();
    }

    private void decodePage(Context ctx, Views.Decode d) {
        ctx.html(templates.render("decode.jte", Map.of("decode", d, "maxSize", size(maxUploadBytes))));
    }

    /** The upload is read into memory up to the cap, decoded by the bomb-safe loader, and dropped. */
    private void decode(Context ctx) {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("image");
        } catch (Exception refused) { // Jetty's multipart parser throws ServletException through Kotlin
            boolean tooLarge = causes(refused).contains("size exceeded");
            ctx.status(tooLarge ? 413 : 400);
            decodePage(ctx, new Views.Decode(null, tooLarge ? "the upload is larger than " + size(maxUploadBytes) : "the upload is not a valid multipart form", null, null));
            return;
        }
        if (file == null) {
            ctx.status(400);
            decodePage(ctx, new Views.Decode(null, "choose an image file to decode (form field 'image')", null, null));
            return;
        }
        String name = file.filename() == null ? "upload" : file.filename().replaceAll("[^A-Za-z0-9._ -]", "_");
        byte[] bytes;
        try (InputStream in = file.content()) {
            bytes = in.readNBytes((int) maxUploadBytes + 1);
        } catch (IOException e) {
            ctx.status(400);
            decodePage(ctx, new Views.Decode(name, "the upload could not be read: " + e.getMessage(), null, null));
            return;
        }
        if (bytes.length > maxUploadBytes) {
            ctx.status(413);
            decodePage(ctx, new Views.Decode(name, "the upload is larger than " + size(maxUploadBytes), null, null));
            return;
        }
        JobViews.Decoded d = views.decode(bytes, name);
        if (d.error() != null) {
            ctx.status(422);
            decodePage(ctx, new Views.Decode(name, "not a readable image: " + d.error(), null, null));
        } else {
            decodePage(ctx, new Views.Decode(name, null, d.json(), d.publicJobId()));
        }
    }
}
