package dev.vqclip.web;

import dev.vqclip.testing.TinyModels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vqclip.engine.EngineRenderer;
import dev.vqclip.job.CostModel;
import dev.vqclip.job.JobEvent;
import dev.vqclip.job.JobEvents;
import dev.vqclip.job.JobRequest;
import dev.vqclip.job.JobService;
import dev.vqclip.job.JobState;
import dev.vqclip.job.JobViews;
import dev.vqclip.job.Lane;
import dev.vqclip.job.Limits;
import dev.vqclip.job.SubmitResult;
import dev.vqclip.job.TimelapseVideo;
import dev.vqclip.job.UserRef;
import dev.vqclip.job.Visibility;
import dev.vqclip.job.Worker;
import dev.vqclip.prompt.Moderation;
import dev.vqclip.prompt.PromptPolicy;
import dev.vqclip.prompt.Recipe;
import dev.vqclip.provenance.ProvenanceReader;
import dev.vqclip.provenance.Stamper;
import dev.vqclip.provenance.Watermark;
import dev.vqclip.store.Database;
import dev.vqclip.store.JdbcJobStore;
import dev.vqclip.store.JdbcShowcase;
import dev.vqclip.store.TestDatabases;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web face in a real browser: headless Debian Chromium through Selenium, over a real worker rendering with the
 * tiny fixture models. Skipped, with the reason, when chromium or chromedriver is not installed
 * ({@code .ci/chromium.sh} installs them). Screenshots go to {@code target/screenshots/}.
 */
class WebBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(240); // the first render loads the models; the machine may be shared
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;
    private Database db;
    private JdbcJobStore store;
    private JobService jobs;
    private JobEvents events;
    private EngineRenderer renderer;
    private Worker worker;
    private Thread workerThread;
    private WebServer server;
    private ChromeDriver browser;

    static String executable(String env, String fallback) {
        String v = System.getenv(env);
        return v != null && !v.isBlank() ? v : fallback;
    }

    @BeforeEach
    void start() throws Exception {
        String chromium = executable("VQCLIP_TEST_CHROMIUM", "/usr/bin/chromium");
        String driver = executable("VQCLIP_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        assumeTrue(Files.isExecutable(Path.of(chromium)) && Files.isExecutable(Path.of(driver)),
                "no Chromium browser test: " + chromium + " or " + driver + " is missing (bash .ci/chromium.sh installs "
                        + "Debian's chromium and chromium-driver; or set VQCLIP_TEST_CHROMIUM/VQCLIP_TEST_CHROMEDRIVER)");
        Clock clock = Clock.systemUTC();
        db = TestDatabases.h2(dir.resolve("db"));
        store = new JdbcJobStore(db, clock);
        events = new JobEvents();
        Limits limits = Limits.defaults().withPerUser(2, 10).withLease(Duration.ofSeconds(20), Duration.ofMillis(100));
        jobs = new JobService(store, limits, CostModel.defaults(), new Moderation(PromptPolicy.defaults()), events, clock);
        JdbcShowcase showcase = new JdbcShowcase(db, clock);
        renderer = TinyModels.renderer(dir.resolve("models"));
        worker = new Worker("browser-test", store, renderer, new Stamper(Watermark.standard(), "vqclip test"), events, limits,
                new Worker.Settings(Duration.ofMillis(100), true, "vqclip test"), clock).withTimelapses(showcase, 24, 160);
        server = WebServer.start(new WebServer.Settings("127.0.0.1", 0, 12, Duration.ofSeconds(30), 1 << 20,
                Duration.ofMillis(200)), new JobViews(jobs, showcase, new ProvenanceReader(), clock), events, clock,
                List.of());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")), "--window-size=900,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (worker != null) {
            worker.shutdown(Duration.ZERO);
        }
        if (server != null) {
            server.close();
        }
        if (renderer != null) {
            renderer.close();
        }
        if (store != null) {
            store.close();
            db.close();
        }
    }

    private long submit(String prompt, int iterations, int previewEvery) {
        Recipe r = TinyModels.recipe(prompt, iterations, previewEvery, 42);
        SubmitResult s = jobs.submit(new JobRequest(new UserRef("discord", "1", "ada"), r, "test", Lane.NORMAL, null, null,
                Visibility.PUBLIC));
        return ((SubmitResult.Accepted) s).job().id();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private void awaitState(long id, JobState state) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (store.reads().find(id).orElseThrow().state() != state) {
            assertThat(System.nanoTime()).as("job " + id + " reaching " + state + ", now " + store.reads().find(id).orElseThrow())
                    .isLessThan(end);
            Thread.sleep(50);
        }
    }

    /** Waits until the image has loaded and has pixels (naturalWidth > 0 only for a decoded image). */
    private long naturalWidth(WebElement img) {
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> (Boolean) ((JavascriptExecutor) d)
                .executeScript("return arguments[0].complete", img));
        return ((Number) ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img)).longValue();
    }

    private void screenshot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void galleryJobPageAndLiveQueueWorkInChromiumAfterARealRender() throws Exception {
        workerThread = new Thread(worker, "browser-test-worker");
        workerThread.start();
        long done = submit("a lighthouse at dusk, oil painting", 8, 2);
        awaitState(done, JobState.DONE);
        TimelapseVideo video = new JdbcShowcase(db, Clock.systemUTC()).timelapse(done).orElseThrow();
        assertThat(video.frames()).isGreaterThan(2);

        browser.get(url("/"));
        WebElement card = browser.findElement(By.cssSelector("img[src='/jobs/" + done + "/image.png']"));
        assertThat(card.getAttribute("alt")).isEqualTo("a lighthouse at dusk, oil painting");
        assertThat(naturalWidth(card)).isEqualTo(64);
        screenshot("gallery");

        browser.get(url("/jobs/" + done));
        assertThat(naturalWidth(browser.findElement(By.id("result")))).isEqualTo(64);
        assertThat(naturalWidth(browser.findElement(By.id("timelapse")))).isGreaterThan(0);
        assertThat(browser.findElement(By.cssSelector("pre.recipe")).getText()).contains("\"job_id\"");
        screenshot("job");

        // a job held mid-run: the queue page must show it running, then finished, without reloading
        CountDownLatch seen = new CountDownLatch(1);
        long running = submit("a spinning top, watercolour", 8, 2);
        AutoCloseable gate = events.subscribe(e -> {
            if (e.jobId() == running && e instanceof JobEvent.Progress p && p.iteration() >= 4 && p.previewPng() != null) {
                try {
                    seen.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        browser.get(url("/queue"));
        WebElement queue = browser.findElement(By.id("queue"));
        new WebDriverWait(browser, WAIT).until(d -> queue.getText().contains("a spinning top, watercolour")
                && queue.getText().contains("Running (1)") && queue.getAttribute("data-updates") != null);
        // live updates replace the list's HTML, so the preview is looked up afresh on every check
        new WebDriverWait(browser, WAIT).withMessage("the running job's preview never loaded on /queue")
                .until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                        "const i = document.querySelector('.run img'); return i !== null && i.complete && i.naturalWidth > 0"));
        screenshot("queue");
        seen.countDown();
        gate.close();
        new WebDriverWait(browser, WAIT).withMessage(() -> "the queue page never showed the job finished; it shows: "
                + queue.getText() + "; the job: " + store.reads().find(running).orElseThrow())
                .until(d -> queue.getText().contains("Nothing is running."));
        assertThat(Integer.parseInt(queue.getAttribute("data-updates"))).isGreaterThanOrEqualTo(2);
        awaitState(running, JobState.DONE);
    }
}
