package dev.vqclip.web;

import dev.vqclip.testing.TinyModels;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobViews;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Limits;
import dev.vqclip.job.RecipePayloads;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.Timelapse;
import dev.vqclip.job.TimelapseEncoder;
import dev.vqclip.job.UserRef;
import dev.vqclip.job.Visibility;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcContestStore;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import dev.vqclip.store.TestDatabases;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real web server over a real H2 job database, with helpers that put jobs into each state the pages show. */
final class WebFixture implements AutoCloseable {
    final Database db;
    final JdbcJobStore store;
    final JobEvents events = new JobEvents();
    final JobService jobs;
    final JdbcShowcase showcase;
    final JdbcContestStore contests;
    final WebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebFixture(Path dir, int perPage) {
        this(dir, perPage, Clock.systemUTC());
    }

    /** @param contestClock the clock the contest pages count down with (the contest service's, in a test) */
    WebFixture(Path dir, int perPage, Clock contestClock) {
        Clock clock = Clock.systemUTC();
        db = TestDatabases.h2(dir);
        store = new JdbcJobStore(db, clock);
        jobs = new JobService(store, Limits.defaults().withPerUser(10, 50), CostModel.defaults(),
                new Moderation(PromptPolicy.defaults()), events, clock);
        showcase = new JdbcShowcase(db, clock);
        contests = new JdbcContestStore(db);
        server = WebServer.start(new WebServer.Settings("127.0.0.1", 0, perPage, Duration.ofSeconds(30), 64 * 1024,
                Duration.ofMillis(100)), new JobViews(jobs, showcase, new ProvenanceReader(), clock), events, clock,
                List.of(new ContestPages(contests, jobs, contestClock)));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Accept", "text/html").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> bytes(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    long submit(String user, String prompt, Visibility visibility, Long parent) {
        Recipe recipe = TinyModels.recipe(prompt, 6, 2, 1234);
        SubmitResult r = jobs.submit(new JobRequest(new UserRef("discord", user, user), recipe, "test", Lane.NORMAL, parent,
                null, visibility));
        return ((SubmitResult.Accepted) r).job().id();
    }

    Lease claim(long jobId) {
        return store.queue().claim(jobId, "w1", Duration.ofMinutes(5), 10).orElseThrow();
    }

    /** Claims the job, stores a timelapse, and completes it with a stamped image (as a worker does). */
    byte[] finish(long jobId) throws Exception {
        return finish(jobId, TimelapseEncoder.GIF);
    }

    /** As above, with the timelapse made by {@code encoder}. */
    byte[] finish(long jobId, TimelapseEncoder encoder) throws Exception {
        Lease lease = claim(jobId);
        Recipe recipe = store.reads().find(jobId).orElseThrow().recipe();
        Timelapse timelapse = new Timelapse(8, 64);
        for (int i = 0; i < 5; i++) {
            timelapse.add(image(i));
        }
        showcase.storeTimelapse(lease, timelapse.finish(image(9), encoder).orElseThrow());
        byte[] png = new Stamper(Watermark.standard(), "vqclip test").stamp(image(9),
                RecipePayloads.of(recipe, recipe.iterations(), Map.of(), jobId, "vqclip test"), jobId);
        store.leases().complete(lease, png, recipe.iterations(), 0.5, 1000);
        return png;
    }

    static byte[] png(BufferedImage image) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** A colourful 128x128 image that changes with {@code k}. */
    static BufferedImage image(int k) {
        BufferedImage img = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                img.setRGB(x, y, ((x * 2 + k * 20) & 255) << 16 | ((y * 2) & 255) << 8 | ((x + y + k * 30) & 255));
            }
        }
        return img;
    }

    @Override
    public void close() {
        server.close();
        store.close();
        db.close();
    }
}
