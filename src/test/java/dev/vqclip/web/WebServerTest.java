package dev.vqclip.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vqclip.job.JobEvent;
import dev.vqclip.job.Lease;
import dev.vqclip.job.Visibility;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of the web face over HTTP, against a real server and a real H2 job database. */
class WebServerTest {
    @TempDir
    Path dir;
    WebFixture web;

    @BeforeEach
    void start() {
        web = new WebFixture(dir, 2);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void galleryShowsFinishedPublicImagesNewestFirstAndNeverPrivateOrUnfinishedOnes() throws Exception {
        long older = web.submit("1", "an old lighthouse", Visibility.PUBLIC, null);
        web.finish(older);
        long dm = web.submit("2", "a secret garden", Visibility.PRIVATE, null);
        web.finish(dm);
        long newer = web.submit("1", "a new moon", Visibility.PUBLIC, null);
        web.finish(newer);
        web.submit("3", "still waiting", Visibility.PUBLIC, null);

        String page = web.get("/").body();
        assertThat(page).contains("alt=\"a new moon\"", "alt=\"an old lighthouse\"", "seed 1234", "64×48")
                .doesNotContain("secret garden", "still waiting");
        assertThat(page.indexOf("a new moon")).isLessThan(page.indexOf("an old lighthouse"));
        assertThat(page).contains("Page 1 of 1");
    }

    @Test
    void galleryPagesHoldPerPageImagesAndRejectBadPageNumbers() throws Exception {
        for (int i = 0; i < 3; i++) {
            web.finish(web.submit("1", "picture " + i, Visibility.PUBLIC, null));
        }
        assertThat(web.get("/").body()).contains("picture 2", "picture 1", "Page 1 of 2", "rel=\"next\"")
                .doesNotContain("picture 0");
        assertThat(web.get("/?page=2").body()).contains("picture 0", "rel=\"prev\"").doesNotContain("picture 2");
        assertThat(web.get("/?page=9").body()).contains("Page 9 of 2");
        HttpResponse<String> bad = web.get("/?page=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("page must be a whole number");
        assertThat(web.get("/?page=0").statusCode()).isEqualTo(400);
    }

    @Test
    void jobPageShowsImageTimelapseRecipeParentAndImagineCommand() throws Exception {
        long parent = web.submit("1", "a red fox", Visibility.PUBLIC, null);
        web.finish(parent);
        long reroll = web.submit("1", "a red fox", Visibility.PUBLIC, parent);
        web.finish(reroll);

        HttpResponse<String> r = web.get("/jobs/" + reroll);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("src=\"/jobs/" + reroll + "/image.png\"", "alt=\"a red fox\"",
                "src=\"/jobs/" + reroll + "/timelapse\"", "href=\"/jobs/" + parent + "\"",
                "data-copy=\"/imagine prompt:a red fox seed:1234 size:64x48 iterations:6\"",
                "layers", "job_id", "\"lsb\"", "vqgan_tiny.weights.safetensors")
;
    }

    @Test
    void imagesAndTimelapsesOfPublicJobsAreServedWithTheirTypes() throws Exception {
        long id = web.submit("1", "a blue whale", Visibility.PUBLIC, null);
        byte[] png = web.finish(id);
        HttpResponse<byte[]> image = web.bytes("/jobs/" + id + "/image.png");
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(png);
        HttpResponse<byte[]> gif = web.bytes("/jobs/" + id + "/timelapse");
        assertThat(gif.headers().firstValue("Content-Type")).hasValue("image/gif");
        assertThat(new String(gif.body(), 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(web.bytes("/jobs/" + id + "/preview.png").statusCode()).isEqualTo(404);
    }

    @Test
    void privateJobsLookLikeMissingOnesEverywhere() throws Exception {
        long dm = web.submit("2", "a diary page", Visibility.PRIVATE, null);
        web.finish(dm);
        for (String path : new String[] {"/jobs/" + dm, "/jobs/" + dm + "/image.png", "/jobs/" + dm + "/timelapse",
                "/jobs/" + dm + "/preview.png", "/jobs/999999"}) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).doesNotContain("diary");
        }
    }

    @Test
    void badPathParametersAreRefusedWithTheRule() throws Exception {
        for (String path : new String[] {"/jobs/abc", "/jobs/0", "/jobs/-1", "/jobs/1234567890123456789",
                "/jobs/1e3/image.png", "/jobs/%2e%2e/timelapse"}) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            if (r.statusCode() == 400) {
                assertThat(r.body()).as(path).contains("a job id is a positive whole number");
            }
        }
        assertThat(web.get("/jobs/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void queueShowsRunningWithProgressAndPreviewAndQueuedWithPositionButHidesPrivatePrompts() throws Exception {
        long running = web.submit("1", "a running horse", Visibility.PUBLIC, null);
        Lease lease = web.claim(running);
        web.store.leases().heartbeat(lease, 3, 0.7, Duration.ofMinutes(5));
        web.store.leases().storePreview(lease, 3, WebFixture.png(WebFixture.image(3)));
        web.submit("2", "a hidden wish", Visibility.PRIVATE, null);
        long queued = web.submit("3", "a patient snail", Visibility.PUBLIC, null);

        String page = web.get("/queue").body();
        assertThat(page).contains("a running horse", "3 / 6", "value=\"50\"", "/jobs/" + running + "/preview.png?i=3",
                "a patient snail", "href=\"/jobs/" + queued + "\"", "A private job", "data-stream=\"/queue/events\"")
                .doesNotContain("hidden wish");
        assertThat(page.indexOf("A private job")).isLessThan(page.indexOf("a patient snail")); // position 1, then 2
        HttpResponse<byte[]> preview = web.bytes("/jobs/" + running + "/preview.png");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void queueEventsPushTheRenderedQueueWhenAJobEventHappens() throws Exception {
        long id = web.submit("1", "a spinning top", Visibility.PUBLIC, null);
        Lease lease = web.claim(id);
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> stream = web.http.send(HttpRequest.newBuilder(URI.create(web.url("/queue/events")))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        events.add(line);
                    }
                }
            } catch (Exception e) {
                // the stream is closed when the test ends
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(events.poll(10, TimeUnit.SECONDS)).contains("a spinning top", "0 / 6");

        web.store.leases().heartbeat(lease, 4, 0.5, Duration.ofMinutes(5));
        web.events.publish(new JobEvent.Progress(id, 4, 6, 0.5, null));
        assertThat(nextContaining(events, "4 / 6")).contains("a spinning top");
        stream.body().close();
    }

    /** The first pushed event that holds {@code text}; pushes of earlier changes may come first. */
    private static String nextContaining(BlockingQueue<String> events, String text) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            String e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.contains(text)) {
                return e;
            }
        }
        throw new AssertionError("no queue event with '" + text + "' within 10 s");
    }

    @Test
    void decodeReadsAnUploadedImageAndRefusesJunkAndOversizedFiles() throws Exception {
        long id = web.submit("1", "a stamped kite", Visibility.PUBLIC, null);
        byte[] png = web.finish(id);
        assertThat(web.get("/decode").body()).contains("enctype=\"multipart/form-data\"", "never stored");

        HttpResponse<String> ok = upload("kite.png", png);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("layers", "a stamped kite", "href=\"/jobs/" + id + "\"");

        HttpResponse<String> junk = upload("junk.png", "not an image at all".getBytes(StandardCharsets.UTF_8));
        assertThat(junk.statusCode()).isEqualTo(422);
        assertThat(junk.body()).contains("not a readable image");

        HttpResponse<String> big = upload("big.png", new byte[200 * 1024]);
        assertThat(big.statusCode()).isEqualTo(413);

        HttpResponse<String> none = web.http.send(HttpRequest.newBuilder(URI.create(web.url("/decode")))
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> upload(String name, byte[] content) throws Exception {
        String boundary = "vqclipTestBoundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + name
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return web.http.send(HttpRequest.newBuilder(URI.create(web.url("/decode")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsAlwaysUpAndReadinessWantsTheDatabaseAndARecentWorker() throws Exception {
        HttpResponse<String> health = web.get("/healthz");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
        HttpResponse<String> notReady = web.get("/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("database: ok", "worker heartbeat: none seen");
        web.store.workers().workerSeen("w1", null);
        HttpResponse<String> ready = web.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).startsWith("ready").contains("0 s ago");
        web.db.close(); // the database goes away
        HttpResponse<String> down = web.get("/readyz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("database: unreachable");
    }

    @Test
    void metricsExposeJobStatesQueueTimesOutcomesPoolAndJvmInPrometheusFormat() throws Exception {
        long id = web.submit("1", "a counted star", Visibility.PUBLIC, null);
        web.finish(id);
        web.events.publish(new JobEvent.Started(id, "w1", 1));
        web.events.publish(new JobEvent.Finished(id, new byte[0], 1234, 6, 0.5));
        web.submit("1", "a waiting star", Visibility.PUBLIC, null);

        HttpResponse<String> r = web.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("vqclip_jobs{state=\"done\"} 1.0", "vqclip_jobs{state=\"queued\"} 1.0",
                "vqclip_queue_length 1.0", "vqclip_queue_wait_seconds_count 1", "vqclip_render_seconds_count{size=\"64x48\"} 1",
                "vqclip_job_outcomes_total{outcome=\"done\"} 1.0", "vqclip_db_pool_connections{state=\"total\"}",
                "vqclip_worker_heartbeat_age_seconds", "vqclip_web_sse_clients", "jvm_memory_used_bytes",
                "jvm_threads_live_threads", "process_uptime_seconds");
    }

    @Test
    void everyResponseCarriesSafetyHeadersAndThePagesAreReadOnly() throws Exception {
        for (String path : new String[] {"/", "/queue", "/decode", "/healthz", "/metrics", "/jobs/abc", "/static/app.js"}) {
            HttpResponse<String> r = web.get(path);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValue(WebServer.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
        assertThat(web.get("/static/app.js").body()).contains("EventSource");
        assertThat(web.get("/static/app.css").statusCode()).isEqualTo(200);
        for (String method : new String[] {"POST", "PUT", "DELETE"}) {
            HttpResponse<String> r = web.http.send(HttpRequest.newBuilder(URI.create(web.url("/jobs/1")))
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isEqualTo(405);
        }
        assertThat(web.get("/no/such/page").statusCode()).isEqualTo(404);
    }
}
